"""The customer portal's maintenance pages and API: a customer (and a dealer for the
customers it serves) sees his own sites' plans with their next visits and his signed
inspection reports — results, failed items and the ticket each raised — and nothing of
another customer's (404, web and API); customer-facing facts only."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client

from aftersales import testing as t
from aftersales.maintenance.models import MaintenancePlan, MaintenanceVisit, VisitState
from aftersales.maintenance.services import inspections
from aftersales.maintenance.tests.world import make_plan, on_site_visit, signature_png
from aftersales.parts.tests.test_api import call

SECRET = "内部备注：客户付款慢，少派人"


def login(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def done_visit(w: Any) -> MaintenanceVisit:
    """c1's inspection completed and signed, its 出水温度 out of range (one repair ticket)."""
    visit = on_site_visit(w, note=SECRET)
    items = list(visit.checklist.items.order_by("seq"))
    inspections.record(
        actor=w.tech,
        visit=visit,
        answers=[
            inspections.AnswerInput(items[0].pk, "pass"),
            inspections.AnswerInput(items[1].pk, "", "14.5"),  # expected 7–12 °C
            inspections.AnswerInput(items[2].pk, "pass"),
        ],
    )
    inspections.complete(
        actor=w.tech,
        visit=visit,
        signed_by="王经理",
        signature_png=signature_png(),
        remark="整体运行正常，出水温度偏高",
    )
    visit.refresh_from_db()
    return visit


def theirs(w: Any) -> Any:
    return make_plan(
        w,
        name="西湖医院机房巡检",
        customer_id=w.c2.pk,
        site_id=w.s2.pk,
        equipment_ids=[w.e2.pk],
        contact_name="刘主任",
        contact_phone="13900139000",
    )


def test_the_customer_sees_his_plans_next_visits_and_reports(w) -> None:  # type: ignore[no-untyped-def]
    visit = done_visit(w)
    other = theirs(w)
    c = login(w.cust1)
    home = c.get("/maintenance/portal/")
    page = home.content.decode()
    assert home.status_code == 200
    assert visit.plan.number in page and other.number not in page and "西湖医院" not in page
    # the next open visits of his plan, in date order; the done one is a report
    nxt = list(
        MaintenanceVisit.objects.filter(plan=visit.plan, state=VisitState.PLANNED).order_by(
            "due_date"
        )[:3]
    )
    assert nxt and all(f'data-date="{v.due_date:%Y-%m-%d}"' in page for v in nxt)
    assert page.count('data-testid="portal-report"') == 1 and "1 项不合格" in page
    assert SECRET not in page and "主办老张" not in page
    # the navigation leads there, and the staff pages send him there
    assert 'href="/maintenance/portal/"' in page
    assert c.get("/maintenance/").url == "/maintenance/portal/"
    assert (
        c.get(f"/maintenance/visits/{visit.pk}/").url == f"/maintenance/portal/visits/{visit.pk}/"
    )

    report = c.get(f"/maintenance/portal/visits/{visit.pk}/").content.decode()
    assert report.count('data-testid="result"') == 3
    assert 'data-outcome="fail"' in report and "（超出范围）" in report
    failed = visit.results.get(outcome="fail")
    assert failed.follow_up is not None
    assert f'href="/portal/tickets/{failed.follow_up.pk}/"' in report
    assert failed.follow_up.number in report and "整体运行正常" in report
    assert f"/maintenance/visits/{visit.pk}/report.pdf" in report
    assert SECRET not in report
    MaintenancePlan.objects.filter(pk=visit.plan.pk).update(
        visit_from=dt.time(9, 0), visit_until=dt.time(11, 30)
    )
    plan_page = c.get(f"/maintenance/portal/plans/{visit.plan.pk}/").content.decode()
    assert "09:00–11:30" in plan_page
    assert visit.plan.name in plan_page and 'data-testid="portal-report"' in plan_page


def test_another_customers_plan_and_report_are_404_on_the_web(w) -> None:  # type: ignore[no-untyped-def]
    visit = done_visit(w)
    other = theirs(w)
    other_visit = other.visits.order_by("due_date").first()
    c2 = login(w.cust2)
    assert c2.get(f"/maintenance/portal/plans/{visit.plan.pk}/").status_code == 404
    assert c2.get(f"/maintenance/portal/visits/{visit.pk}/").status_code == 404
    assert c2.get(f"/maintenance/visits/{visit.pk}/report.pdf").status_code == 404
    page = c2.get("/maintenance/portal/").content.decode()
    assert other.number in page and visit.plan.number not in page
    assert 'data-testid="portal-report"' not in page
    # his own upcoming visit: its date and state, no report yet
    own = c2.get(f"/maintenance/portal/visits/{other_visit.pk}/").content.decode()
    assert 'data-testid="results"' not in own and 'data-testid="report-pdf"' not in own


def test_the_api_gives_customer_facing_facts_and_404_for_anothers(w) -> None:  # type: ignore[no-untyped-def]
    visit = done_visit(w)
    other = theirs(w)
    plans = call("get", "/api/v1/maintenance/portal/plans", w.cust1)["items"]
    assert [p["number"] for p in plans] == [visit.plan.number]
    [mine] = plans
    assert mine["next_visits"] and all(v["state"] != "done" for v in mine["next_visits"])
    assert mine["next_visits"][0]["state_label"] == "已计划"
    assert not {"note", "coordinator_id", "lead_days", "release_days", "revision"} & set(mine)
    reports = call("get", "/api/v1/maintenance/portal/reports", w.cust1)["items"]
    assert [(r["id"], r["failed_count"]) for r in reports] == [(visit.pk, 1)]
    got = call("get", f"/api/v1/maintenance/portal/visits/{visit.pk}", w.cust1)
    failed = [r for r in got["results"] if r["outcome"] == "fail"]
    ticket = visit.results.get(outcome="fail").follow_up
    assert [(r["seq"], r["out_of_range"], r["follow_up"]["number"]) for r in failed] == [
        (2, True, ticket.number)
    ]
    assert failed[0]["follow_up"]["progress"] in ("已受理", "已提交", "已派工")
    assert got["signed_by"] == "王经理" and got["report_pdf_url"].endswith("/report.pdf")
    assert SECRET not in str(got) + str(plans)
    # another customer's plan and report: 404, and nothing of them in his lists
    call("get", f"/api/v1/maintenance/portal/plans/{visit.plan.pk}", w.cust2, status=404)
    call("get", f"/api/v1/maintenance/portal/visits/{visit.pk}", w.cust2, status=404)
    assert call("get", "/api/v1/maintenance/portal/reports", w.cust2)["items"] == []
    assert [
        p["number"] for p in call("get", "/api/v1/maintenance/portal/plans", w.cust2)["items"]
    ] == [other.number]


def test_a_dealer_sees_the_plans_and_reports_of_its_own_customers(w) -> None:  # type: ignore[no-untyped-def]
    dealer = t.dealer(w.region, name="甲经销商")
    w.c1.dealer = dealer
    w.c1.save(update_fields=["dealer"])
    dealer_user = t.user("dealer", org=dealer, username="dealer1")
    visit = done_visit(w)
    other = theirs(w)
    page = login(dealer_user).get("/maintenance/portal/").content.decode()
    assert visit.plan.number in page and other.number not in page
    assert 'data-testid="portal-report"' in page
    assert login(dealer_user).get(f"/maintenance/portal/plans/{other.pk}/").status_code == 404
    got = call("get", f"/api/v1/maintenance/portal/visits/{visit.pk}", dealer_user)
    assert got["failed_count"] == 1
    other_visit = other.visits.first()
    call("get", f"/api/v1/maintenance/portal/visits/{other_visit.pk}", dealer_user, status=404)
