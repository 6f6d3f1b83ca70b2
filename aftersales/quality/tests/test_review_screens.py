"""The monthly quality review through its typed API and its page: the figures served are
the month's records (the same as the service's), bad input is refused in Chinese with
nothing written, dealers, customers and technicians get 404, the Excel workbook keeps its
Chinese name and never turns stored text into a formula."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from aftersales.parts.tests.test_api import call
from aftersales.quality import review_figures
from aftersales.quality.models import QualityReview, ReviewAction
from aftersales.quality.services import reviews
from aftersales.quality.tests.test_reviews import NOV, _november, local

pytestmark = pytest.mark.django_db
BASE = "/api/v1/quality/reviews"


def client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_the_review_through_the_api(w: Any) -> None:
    _november(w)
    call("post", BASE, w.qd, {"month": "2026-13"}, status=422)
    this_month = f"{timezone.localdate():%Y-%m}"
    err = call("post", BASE, w.qd, {"month": this_month}, status=422)
    assert err["code"] == "month_not_over" and "尚未结束" in err["message"]
    call("post", BASE, w.qd, {"month": "9999-12"}, status=422)
    call("post", BASE, w.dealer_user_a, {"month": "2026-11"}, status=403)
    call("post", BASE, w.qd, {"month": "2026-11" + "x" * 10}, status=422)  # its maxlength
    assert not QualityReview.objects.exists()
    made = call("post", BASE, w.qd, {"month": "2025-06"}, status=201)
    assert made["state"] == "open" and made["allowed_actions"] == ["close"]
    call("post", BASE, w.coordinator, {"month": "2025-06"}, status=409)

    r = reviews.open_review(actor=w.qd, month="2026-11", now=local(2026, 12, 2))
    out = call("get", f"{BASE}/{r.pk}", w.qcd)
    assert out["figures"] == review_figures.figures(NOV)
    assert out["figures"]["complaints"]["total"] == 3
    assert out["figures"]["old_parts"]["out_at_month_end"] == 2

    out = call("post", f"{BASE}/{r.pk}/conclusions", w.qd, {"conclusions": "电源批次问题集中"})
    assert out["conclusions"] == "电源批次问题集中"
    due = (timezone.localdate() + dt.timedelta(days=10)).isoformat()
    action = {"description": "更换电源供应商批次", "owner_id": w.tech_rep.id, "due_date": due}
    err = call(
        "post", f"{BASE}/{r.pk}/actions", w.qd, {**action, "owner_id": w.dealer_user_a.id}, 422
    )
    assert "负责人" in err["message"]
    call("post", f"{BASE}/{r.pk}/actions", w.qd, {**action, "due_date": "2020-01-01"}, 422)
    call("post", f"{BASE}/{r.pk}/actions", w.qd, {**action, "description": "x" * 501}, 422)
    assert not ReviewAction.objects.exists()
    out = call("post", f"{BASE}/{r.pk}/actions", w.qd, action, status=201)
    [a] = out["actions"]
    assert (a["owner_id"], a["due_date"], a["state"]) == (w.tech_rep.id, due, "open")
    out = call("post", f"{BASE}/{r.pk}/close", w.coordinator)
    assert out["state"] == "in_approval" and len(out["approvals"]) == 1
    call("post", f"{BASE}/{r.pk}/conclusions", w.qd, {"conclusions": "改"}, status=409)
    # the owner finishes his action (he sees the review that gave it to him)
    out = call("post", f"{BASE}/{r.pk}/actions/{a['id']}/done", w.tech_rep, {"done_note": "已更换"})
    assert out["actions"][0]["state"] == "done"

    for outsider in (w.dealer_user_a, w.customer_user_a, w.engineer):
        assert call("get", BASE, outsider)["items"] == []
        call("get", f"{BASE}/{r.pk}", outsider, status=404)
        call("post", f"{BASE}/{r.pk}/conclusions", outsider, {"conclusions": "x"}, status=404)
        call("post", f"{BASE}/{r.pk}/close", outsider, status=404)
    schema = Client().get("/api/openapi.json").json()
    assert "ReviewFiguresOut" in schema["components"]["schemas"]
    assert f"{BASE.removeprefix('/api')}/{{pk}}" in {
        p.removeprefix("/api") for p in schema["paths"]
    }


def test_the_review_page_and_its_workbook(w: Any) -> None:
    _november(w)
    qd = client(w.qd)
    page = qd.get("/quality/reviews/")
    assert page.status_code == 200 and 'name="month"' in page.content.decode()
    resp = qd.post("/quality/reviews/new/", {"month": "2026-11"})
    r = QualityReview.objects.get(month=NOV)
    assert resp.status_code == 302 and resp["Location"] == f"/quality/reviews/{r.pk}/"
    html = qd.get(f"/quality/reviews/{r.pk}/").content.decode()
    assert 'data-testid="fig-complaints">3<' in html
    assert 'data-testid="fig-overdue-capas">2<' in html
    assert 'data-testid="fig-old-parts">5 / 1 / 1 / 2<' in html
    assert 'maxlength="4000"' in html and 'name="description" maxlength="500"' in html
    # bad input: a Chinese message, nothing written
    qd.post(f"/quality/reviews/{r.pk}/act/add_action/", {"description": "措施", "owner_id": ""})
    assert not ReviewAction.objects.exists()
    page = qd.get(f"/quality/reviews/{r.pk}/").content.decode()
    assert "请选择改进措施的负责人" in page
    formula = '=HYPERLINK("http://evil","点我")'
    qd.post(f"/quality/reviews/{r.pk}/act/conclusions/", {"conclusions": formula})
    due = (timezone.localdate() + dt.timedelta(days=5)).isoformat()
    qd.post(
        f"/quality/reviews/{r.pk}/act/add_action/",
        {"description": "+加强来料检验", "owner_id": w.tech_rep.id, "due_date": due},
    )
    assert ReviewAction.objects.count() == 1

    resp = qd.get(f"/quality/reviews/{r.pk}/export.xlsx")
    assert resp.status_code == 200
    assert (
        "filename*=UTF-8''%E6%9C%88%E5%BA%A6%E8%B4%A8%E9%87%8F%E8%AF%84%E5%AE%A1_2026-11.xlsx"
        in resp["Content-Disposition"]
    )
    wb = load_workbook(io.BytesIO(resp.content))
    assert wb.sheetnames[:2] == ["概况", "分类统计"]
    summary = {row[0].value: row[1] for row in wb["概况"].iter_rows(min_row=2)}
    assert summary["投诉（不含撤销）"].value == 3
    assert summary["评审结论"].value == formula and summary["评审结论"].data_type == "s"
    acts = list(wb["改进措施"].iter_rows(min_row=2, values_only=True))
    assert acts[0][1] == "+加强来料检验"
    assert wb["改进措施"]["B2"].data_type == "s"

    qd.post(f"/quality/reviews/{r.pk}/act/close/", {})
    r.refresh_from_db()
    assert r.state == "in_approval"
    qcd_page = client(w.qcd).get(f"/quality/reviews/{r.pk}/").content.decode()
    assert 'data-testid="decide-form"' in qcd_page

    for outsider in (w.dealer_user_a, w.customer_user_a, w.engineer):
        c = client(outsider)
        assert c.get(f"/quality/reviews/{r.pk}/").status_code == 404
        assert c.get(f"/quality/reviews/{r.pk}/export.xlsx").status_code == 404
        assert c.post(f"/quality/reviews/{r.pk}/act/close/", {}).status_code == 404
        assert "data-month" not in c.get("/quality/reviews/").content.decode()


def test_the_review_pages_are_english_outside_stored_data(w: Any) -> None:
    from aftersales.approvals.services import engine
    from aftersales.charges.tests.test_english_pages import english
    from aftersales.quality.tests.test_reviews import pending_review_task
    from aftersales.web.tests.untranslated import stored_runs, untranslated

    _november(w)
    at = local(2026, 12, 2)
    r = reviews.open_review(actor=w.qd, month="2026-11", now=at)
    reviews.record_conclusions(actor=w.qd, review=r, conclusions="电源批次问题集中", now=at)
    reviews.add_action(
        actor=w.qd,
        review=r,
        description="更换电源供应商批次",
        owner_id=w.tech_rep.id,
        due_date="2026-12-20",
        now=at,
    )
    reviews.close_review(actor=w.qd, review=r, now=at)
    engine.decide(
        actor=w.qcd, task=pending_review_task(r), decision="return", comment="补充", now=at
    )
    c = client(w.qd)
    assert english(c, "/quality/reviews/") == []
    # every panel this page adds; the shared approval history and timeline are the
    # approvals app's (their step and verb words are not translated yet)
    for section in ("conclusions", "actions"):
        assert english(c, f"/quality/reviews/{r.pk}/", section) == [], section
    c.cookies["django_language"] = "en"
    html = c.get(f"/quality/reviews/{r.pk}/").content.decode()
    figures = html.split('<section class="panel" id="conclusions">')[0]
    figures = re.sub(r"<(script|style)\b.*?</\1>", "", figures, flags=re.S)
    figures = re.sub(r'<form [^>]*class="lang".*?</form>', "", figures, flags=re.S)
    assert untranslated(figures, stored_runs()) == []
    assert "Monthly quality review" in html and "Complaints by class" in html
