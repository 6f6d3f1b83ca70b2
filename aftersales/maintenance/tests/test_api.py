"""The maintenance API: visibility (a customer his own plans and reports, a technician only
his visits), Chinese errors with nothing written, an inspection done end to end."""

from __future__ import annotations

import datetime as dt

from aftersales.maintenance.models import MaintenancePlan, MaintenanceVisit
from aftersales.maintenance.services import generation
from aftersales.maintenance.tests.world import TODAY, make_plan, on_site_visit, signature_png
from aftersales.parts.tests.test_api import call


def body(w, **kw):  # type: ignore[no-untyped-def]
    values = {
        "name": "水系统季度巡检",
        "kind": "routine",
        "customer_id": w.c1.pk,
        "site_id": w.s1.pk,
        "recurrence": "quarterly",
        "start_date": "2026-12-01",
        "equipment_ids": [w.e1.pk],
        "min_engineers": 2,
    }
    values.update(kw)
    return values


def test_plan_create_previews_the_next_working_days(w) -> None:  # type: ignore[no-untyped-def]
    got = call(
        "post",
        "/api/v1/maintenance/plans",
        w.coordinator,
        body(w, start_date="2027-10-01"),
        status=201,
    )
    assert got["number"].startswith("XJ")
    # Friday 1 October 2027 is National Day: the visit is on Thursday 30 September
    assert got["next_occurrences"][0] == {
        "key": "2027-10-01",
        "nominal": "2027-10-01",
        "due": "2027-09-30",
    }
    assert got["next_occurrences"][1]["key"] == "2028-01-01"


def test_bad_input_is_a_chinese_error_and_nothing_is_written(w) -> None:  # type: ignore[no-untyped-def]
    for bad, field in (
        ({"start_date": "2026-12-01", "end_date": "2026-11-01"}, "end_date"),
        ({"interval": 0}, "interval"),
        ({"checklist_code": "无此表"}, "checklist_code"),
    ):
        err = call("post", "/api/v1/maintenance/plans", w.coordinator, body(w, **bad), status=422)
        assert err["field"] == field
        assert any("\u4e00" <= ch <= "\u9fff" for ch in err["message"])
    too_long = call(
        "post", "/api/v1/maintenance/plans", w.coordinator, body(w, name="巡" * 101), status=422
    )
    assert too_long
    assert not MaintenancePlan.objects.exists()


def test_a_customer_sees_only_his_own_plans_and_visits(w) -> None:  # type: ignore[no-untyped-def]
    mine = make_plan(w)
    theirs = make_plan(
        w,
        customer_id=w.c2.pk,
        site_id=w.s2.pk,
        equipment_ids=[w.e2.pk],
        contact_phone="13900139000",
        contact_name="刘主任",
    )
    listed = call("get", "/api/v1/maintenance/plans", w.cust1)["items"]
    assert [p["id"] for p in listed] == [mine.pk]
    call("get", f"/api/v1/maintenance/plans/{theirs.pk}", w.cust1, status=404)
    visits = call("get", "/api/v1/maintenance/visits", w.cust1)["items"]
    assert visits and {v["plan_id"] for v in visits} == {mine.pk}
    other_visit = MaintenanceVisit.objects.filter(plan=theirs).first()
    call("get", f"/api/v1/maintenance/visits/{other_visit.pk}", w.cust1, status=404)
    # a customer cannot plan
    call("post", "/api/v1/maintenance/plans", w.cust1, body(w), status=403)


def test_a_technician_sees_only_the_visits_assigned_to_him(w) -> None:  # type: ignore[no-untyped-def]
    visit = on_site_visit(w)
    assert [v["id"] for v in call("get", "/api/v1/maintenance/visits", w.tech)["items"]] == [
        visit.pk
    ]
    assert call("get", "/api/v1/maintenance/visits", w.tech2)["items"] == []
    call("get", f"/api/v1/maintenance/visits/{visit.pk}", w.tech2, status=404)
    assert call("get", "/api/v1/maintenance/plans", w.tech)["items"] == []


def test_an_inspection_through_the_api(w) -> None:  # type: ignore[no-untyped-def]
    visit = on_site_visit(w, min_engineers=2)
    items = list(visit.checklist.items.order_by("seq").values_list("pk", flat=True))
    url = f"/api/v1/maintenance/visits/{visit.pk}"
    bad = call(
        "post",
        f"{url}/results",
        w.tech,
        {"answers": [{"item_id": items[1], "value": "abc"}]},
        status=422,
    )
    assert "数字" in bad["message"]
    answers = [
        {"item_id": items[0], "outcome": "pass"},
        {"item_id": items[1], "value": "15"},
        {"item_id": items[2], "outcome": "pass"},
    ]
    got = call("post", f"{url}/results", w.tech, {"answers": answers})
    assert [r["outcome"] for r in got["results"]] == ["pass", "fail", "pass"]
    done_body = {"signed_by": "王经理", "signature_png": signature_png()}
    one = call("post", f"{url}/complete", w.tech, done_body, status=422)
    assert "2 名工程师" in one["message"]
    done_body["co_engineer_ids"] = [w.tech2.pk]
    done = call("post", f"{url}/complete", w.tech, done_body)
    assert len(done["follow_up_ticket_ids"]) == 1
    again = call("post", f"{url}/complete", w.tech, done_body)
    assert again["follow_up_ticket_ids"] == []
    assert done["visit"]["state"] == "done"
    # the customer sees his signed report
    mine = call("get", url, w.cust1)
    assert mine["signed_by"] == "王经理"


def test_exports_are_excel(w) -> None:  # type: ignore[no-untyped-def]
    from django.test import Client

    from aftersales.parts.tests.test_api import auth

    make_plan(w)
    generation.generate(today=TODAY)
    for url in ("/api/v1/maintenance/plans/export", "/api/v1/maintenance/results/export"):
        resp = Client().get(url, **auth(w.coordinator))
        assert resp.status_code == 200
        assert resp["Content-Type"].startswith("application/vnd.openxmlformats")


def test_coverage_per_contract(w) -> None:  # type: ignore[no-untyped-def]
    make_plan(w, contract_id=w.k1.pk, start_date=None, release_days=0)
    generation.release_due(today=TODAY)
    from aftersales.maintenance.services import overdue

    overdue.mark_overdue(today=dt.date(2026, 9, 2))
    rows = call("get", f"/api/v1/maintenance/contracts/{w.k1.pk}/coverage", w.coordinator)
    # 1 September (overdue) and 1 October, due on Wednesday 30 September
    assert rows[0] == {"period": "2026-09", "planned": 2, "done": 0, "overdue": 1, "cancelled": 0}
