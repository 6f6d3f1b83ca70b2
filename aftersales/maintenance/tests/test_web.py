"""The maintenance pages: list, editor with preview, plan page, board, inspection page,
report PDF; visibility per user."""

from __future__ import annotations

from typing import Any

from django.test import Client

from aftersales.maintenance.models import MaintenancePlan, VisitState
from aftersales.maintenance.services import inspections
from aftersales.maintenance.tests.world import make_plan, on_site_visit, signature_png


def login(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_plan_list_editor_and_preview(w) -> None:  # type: ignore[no-untyped-def]
    plan = make_plan(w)
    page = login(w.coordinator).get("/maintenance/").content.decode()
    assert plan.number in page
    preview = login(w.coordinator).post(
        "/maintenance/plans/preview/",
        {"recurrence": "monthly", "interval": "1", "start_date": "2027-10-01"},
    )
    text = preview.content.decode()
    assert "2027-10-01" in text and "2027-09-30" in text
    bad = login(w.coordinator).post(
        "/maintenance/plans/preview/",
        {"recurrence": "monthly", "interval": "0", "start_date": "2027-10-01"},
    )
    assert "间隔" in bad.content.decode()
    resp = login(w.coordinator).post(
        f"/maintenance/plans/{plan.pk}/edit/",
        {
            "name": plan.name,
            "kind": "routine",
            "customer_id": w.c1.pk,
            "site_id": w.s1.pk,
            "recurrence": "monthly",
            "interval": "2",
            "start_date": "2026-08-01",
            "lead_days": "90",
            "release_days": "7",
            "min_engineers": "1",
            "duration_minutes": "120",
            "equipment_ids": [w.e1.pk],
        },
    )
    assert resp.status_code == 302
    plan.refresh_from_db()
    assert plan.interval == 2 and plan.revision == 2


def test_the_editor_shows_a_bad_input_error_and_writes_nothing(w) -> None:  # type: ignore[no-untyped-def]
    resp = login(w.coordinator).post(
        "/maintenance/plans/new/",
        {
            "name": "x",
            "kind": "routine",
            "customer_id": w.c1.pk,
            "recurrence": "monthly",
            "interval": "1",
            "start_date": "2026-10-01",
            "end_date": "2026-09-01",
        },
    )
    assert resp.status_code == 200
    assert "结束日期不能早于开始日期" in resp.content.decode()
    assert not MaintenancePlan.objects.exists()
    assert login(w.tech).get("/maintenance/plans/new/").status_code in (403, 302)


def test_a_customer_sees_his_own_plans_only(w) -> None:  # type: ignore[no-untyped-def]
    mine = make_plan(w)
    theirs = make_plan(
        w,
        customer_id=w.c2.pk,
        site_id=w.s2.pk,
        equipment_ids=[w.e2.pk],
        contact_name="刘",
        contact_phone="13900139000",
    )
    page = login(w.cust1).get("/maintenance/", follow=True).content.decode()
    assert mine.number in page and theirs.number not in page
    assert login(w.cust1).get(f"/maintenance/plans/{theirs.pk}/", follow=True).status_code == 404


def test_the_board_shows_the_month(w) -> None:  # type: ignore[no-untyped-def]
    make_plan(w)
    page = login(w.coordinator).get("/maintenance/board/?month=2026-09").content.decode()
    assert 'data-date="2026-09-30"' in page
    assert page.count('data-testid="board-visit"') == 2  # 1 Sep, and 1 Oct moved to 30 Sep


def test_the_inspection_page_and_the_report_pdf(w) -> None:  # type: ignore[no-untyped-def]
    visit = on_site_visit(w)
    c = login(w.tech)
    page = c.get(f"/maintenance/visits/{visit.pk}/").content.decode()
    assert "出水温度" in page and 'data-testid="complete"' in page
    items = list(visit.checklist.items.order_by("seq"))
    c.post(
        f"/maintenance/visits/{visit.pk}/act/record/",
        {
            f"outcome_{items[0].pk}": "pass",
            f"value_{items[1].pk}": "15",
            f"outcome_{items[2].pk}": "pass",
        },
    )
    c.post(
        f"/maintenance/visits/{visit.pk}/act/complete/",
        {"signed_by": "王经理", "signature_png": signature_png()},
    )
    visit.refresh_from_db()
    assert visit.state == VisitState.DONE
    assert visit.results.get(item=items[1]).follow_up is not None
    pdf = login(w.cust1).get(f"/maintenance/visits/{visit.pk}/report.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert login(w.cust2).get(f"/maintenance/visits/{visit.pk}/report.pdf").status_code == 404
    assert login(w.tech2).get(f"/maintenance/visits/{visit.pk}/").status_code == 404


def test_the_report_is_chinese(w) -> None:  # type: ignore[no-untyped-def]
    from aftersales.maintenance.views import report_html

    visit = on_site_visit(w)
    items = list(visit.checklist.items.order_by("seq"))
    inspections.record(
        actor=w.tech,
        visit=visit,
        answers=[
            inspections.AnswerInput(i.pk, "pass", "9" if i.kind == "value" else "") for i in items
        ],
    )
    inspections.complete(
        actor=w.tech, visit=visit, signed_by="王经理", signature_png=signature_png()
    )
    visit.refresh_from_db()
    html = report_html(visit)
    assert "巡检报告" in html and "王经理" in html and f"stored:{visit.signature.name}" in html


def test_the_contract_coverage_page(w) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    from aftersales.maintenance.services import generation, overdue

    plan = make_plan(w, contract_id=w.k1.pk, start_date=None, release_days=0)
    generation.release_due(today=dt.date(2026, 9, 1))
    overdue.mark_overdue(today=dt.date(2026, 9, 2))
    c = login(w.coordinator)
    link = f'href="/maintenance/contracts/{w.k1.pk}/"'
    assert link in c.get(f"/maintenance/plans/{plan.pk}/").content.decode()
    page = c.get(f"/maintenance/contracts/{w.k1.pk}/").content.decode()
    # 1 September (overdue) and 1 October, due on Wednesday 30 September
    assert 'data-period="2026-09" data-planned="2" data-done="0" data-overdue="1"' in page, page
    assert plan.number in page
    assert login(w.tech2).get(f"/maintenance/contracts/{w.k1.pk}/").status_code == 404
    assert login(w.cust2).get(f"/maintenance/contracts/{w.k1.pk}/").status_code == 302
