"""The CAPA API (typed, OpenAPI): the quality office opens, plans, the owner submits, someone
else verifies (a failed verification re-opens it with a new deadline); bad input is refused in
Chinese; dealers and customers get 404; the warning close action, the check list's batch."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from aftersales.parts.tests.test_api import call
from aftersales.quality.models import CorrectiveAction, QualityWarning
from aftersales.quality.tests import warning_world as ww
from aftersales.quality.tests.test_warning_screens import raised

pytestmark = pytest.mark.django_db


def test_the_capa_loop_through_the_api(w) -> None:  # type: ignore[no-untyped-def]
    base = "/api/v1/quality/capa"
    call("post", base, w.qd, {"title": "", "kind": "corrective"}, status=422)
    err = call("post", base, w.qd, {"title": "整改", "kind": "rectification"}, status=422)
    assert "整改报告须选择" in err["message"]
    assert not CorrectiveAction.objects.exists()
    call("post", base, w.dealer_user_a, {"title": "x"}, status=403)
    made = call("post", base, w.qd, {"title": "电源批次虚焊的纠正措施"}, status=201)
    pk = made["id"]
    assert made["state"] == "draft" and "plan" in made["allowed_actions"]
    deadline = (timezone.localdate() + dt.timedelta(days=10)).isoformat()
    plan = {
        "cause": "回流焊温度曲线偏低",
        "measures": "调整温度曲线，首件检验",
        "owner_department_id": w.tech.id,
        "owner_id": w.tech_rep.id,
        "deadline": deadline,
    }
    out = call("post", f"{base}/{pk}/plan", w.coordinator, plan)
    assert out["state"] == "open" and out["deadlines"][0]["step"] == "implement"
    out = call("post", f"{base}/{pk}/submit", w.tech_rep, {"done_note": "已调整三批"})
    assert out["state"] == "verifying"
    body = {"effective": True, "note": "有效"}
    call("post", f"{base}/{pk}/verify", w.tech_rep, body, status=403)  # the owner may not
    later = (timezone.localdate() + dt.timedelta(days=20)).isoformat()
    out = call(
        "post",
        f"{base}/{pk}/verify",
        w.qd,
        {"effective": False, "note": "仍有虚焊", "new_deadline": later},
    )
    assert (out["state"], out["reopen_count"], out["deadline"]) == ("open", 1, later)
    call("post", f"{base}/{pk}/submit", w.tech_rep, {"done_note": "更换供应商"})
    out = call("post", f"{base}/{pk}/verify", w.qcd, body)
    assert out["state"] == "closed" and len(out["verifications"]) == 2
    assert [x["id"] for x in call("get", base, w.qd)["items"]] == [pk]
    for outsider in (w.dealer_user_a, w.customer_user_a):
        assert call("get", base, outsider)["items"] == []
        call("get", f"{base}/{pk}", outsider, status=404)


def test_closing_a_warning_and_the_batch_in_its_check_list() -> None:
    w = ww.build()
    w["e3"].batch_no = "B2025-07"
    w["e3"].save(update_fields=["batch_no"])
    qw = raised(w)
    url = f"/api/v1/quality/warnings/{qw.pk}"
    rows = call("get", url, w["qd"])["check_list"]
    assert {r["serial_no"]: r["batch_no"] for r in rows}["LED2025003"] == "B2025-07"
    page = Client()
    page.force_login(w["qd"])
    html = page.get(f"/quality/warnings/{qw.pk}/").content.decode()
    assert "B2025-07" in html and 'data-testid="close-warning"' in html
    call("post", f"{url}/close", w["coordinator"], {"close_note": "排查完毕"}, status=403)
    call("post", f"{url}/close", w["qd"], {"close_note": ""}, status=422)
    out = call("post", f"{url}/close", w["qd"], {"close_note": "排查完毕，未发现同类隐患"})
    assert out["state"] == "closed"
    call("post", f"{url}/close", w["qd"], {"close_note": "再次"}, status=409)
    qw = QualityWarning.objects.get(pk=qw.pk)
    assert qw.closed_by == w["qd"] and qw.close_note == "排查完毕，未发现同类隐患"
    html = page.get(f"/quality/warnings/{qw.pk}/").content.decode()
    assert 'data-testid="close-warning"' not in html and "未发现同类隐患" in html
