"""The parts, returns and approvals pages: lists with filters and colours, document pages
with approval history and timeline, the step forms with Chinese errors, the inbox, the
printable loading list, the ledger, the closing report, the monthly chart, Excel export."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from aftersales.parts.models import PartsRequest
from aftersales.parts.services import analysis, closing, fulfilment, requests, shipping
from aftersales.parts.tests.helpers import approved_request, file_request, pending_task
from aftersales.parts.tests.test_fulfilment import good_receipt

pytestmark = pytest.mark.django_db


def client(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    return c


def page(c: Client, url: str, status: int = 200) -> str:
    resp = c.get(url)
    assert resp.status_code == status, (url, resp.status_code)
    return resp.content.decode()


def test_list_filters_colours_and_dealer_scope(w) -> None:  # type: ignore[no-untyped-def]
    now = timezone.now()
    late = approved_request(w, now=now - dt.timedelta(days=20))
    requests.release(
        actor=w.agent, request=late, group="parts_group", now=now - dt.timedelta(days=20)
    )
    other = file_request(w, actor=w.dealer_user_b, customer_id=w.cust_b.id, now=now)
    html = page(client(w.agent), "/parts/")
    assert late.number in html and other.number in html and 'data-colour="sla-bad"' in html
    html = page(client(w.agent), "/parts/?overdue=1")
    assert late.number in html and other.number not in html
    html = page(client(w.agent), f"/parts/?dealer_id={w.dealer_b.id}&state=all")
    assert other.number in html and late.number not in html
    dealer_a = client(w.dealer_user_a)
    html = page(dealer_a, "/parts/?state=all")
    assert late.number in html and other.number not in html
    page(dealer_a, f"/parts/requests/{other.pk}/", status=404)
    page(dealer_a, "/parts/borrowings/", status=404)
    page(dealer_a, "/parts/closing-runs/", status=404)


def test_request_page_forms_and_errors(w) -> None:  # type: ignore[no-untyped-def]
    c = client(w.agent)
    resp = c.post(
        "/parts/new/",
        {"customer_id": w.cust_a.id, "reason": "", "part_code": ["DOOR-01"], "quantity": ["1"]},
    )
    assert "请填写补件原因" in resp.content.decode()
    assert PartsRequest.objects.count() == 0
    resp = c.post(
        "/parts/new/",
        {
            "customer_id": w.cust_a.id,
            "reason": "柜门变形",
            "part_code": ["DOOR-01", ""],
            "quantity": ["2", ""],
        },
    )
    r = PartsRequest.objects.get()
    assert resp.status_code == 302 and resp["Location"] == f"/parts/requests/{r.pk}/"
    html = page(c, f"/parts/requests/{r.pk}/")
    assert "原因分析" in html and "处理记录" in html and "审批记录" in html
    resp = c.post(
        f"/parts/requests/{r.pk}/act/analyse/",
        {"cause": "customer_damage", "amount": "1,000"},
        follow=True,
    )
    assert "含逗号" in resp.content.decode()
    r.refresh_from_db()
    assert r.state == "requested"
    c.post(f"/parts/requests/{r.pk}/act/analyse/", {"cause": "process"})
    far = (timezone.localdate() + dt.timedelta(days=16)).isoformat()
    resp = c.post(
        f"/parts/requests/{r.pk}/act/confirm/", {"committed_date": far, "note": "电话"}, follow=True
    )
    assert "最长不超过15天" in resp.content.decode()
    ok = (timezone.localdate() + dt.timedelta(days=10)).isoformat()
    c.post(f"/parts/requests/{r.pk}/act/confirm/", {"committed_date": ok, "note": "电话确认"})
    c.post(f"/parts/requests/{r.pk}/act/submit/")
    r.refresh_from_db()
    assert r.state == "in_review"
    # the coordinator decides on the document page, then the director from the inbox
    coord = client(w.coordinator)
    html = page(coord, f"/parts/requests/{r.pk}/")
    assert 'data-testid="decide-form"' in html
    task = pending_task(r)
    coord.post(
        f"/approvals/tasks/{task.pk}/decide/",
        {"decision": "approve", "next": f"/parts/requests/{r.pk}/"},
    )
    qd = client(w.qd)
    html = page(qd, "/approvals/")
    assert r.number in html
    task = pending_task(r)
    resp = qd.post(f"/approvals/tasks/{task.pk}/decide/", {"decision": "reject"}, follow=True)
    assert "须填写意见" in resp.content.decode()
    qd.post(f"/approvals/tasks/{task.pk}/decide/", {"decision": "approve"})
    r.refresh_from_db()
    assert r.state == "approved"
    c.post(f"/parts/requests/{r.pk}/act/release/", {"group": "purchasing", "confirm_late": "1"})
    html = page(c, f"/parts/requests/{r.pk}/")
    assert 'data-step="production"' in html and "审批同意" in html
    assert page(client(w.coordinator), "/approvals/").count('data-testid="inbox-row"') == 0


def test_export_ledger_loading_list_closing_and_analysis_pages(w) -> None:  # type: ignore[no-untyped-def]
    now = timezone.now()
    r = approved_request(w, now=now - dt.timedelta(days=10))
    requests.release(
        actor=w.agent,
        request=r,
        group="parts_group",
        now=now - dt.timedelta(days=5),
        confirm_late=True,
    )
    b = fulfilment.borrow(
        actor=w.team_leader,
        request=r,
        pack_code="FG-77",
        pack_description="柜体成品包",
        storage_area="拆包区",
        now=now,
    )
    resp = client(w.agent).get("/parts/export.xlsx?state=all")
    ws = load_workbook(io.BytesIO(resp.content)).active
    assert ws["A1"].value == "补件单号" and ws["A2"].value == r.number
    leader = client(w.team_leader)
    html = page(leader, "/parts/borrowings/")
    assert "FG-77" in html and 'data-state="borrowed"' in html
    assert page(leader, f"/parts/borrowings/{b.pk}/", status=302) == ""
    ll = shipping.daily_list(actor=w.warehouse, now=now)
    html = page(client(w.warehouse), f"/parts/loading-lists/{ll.pk}/")
    assert "补件装车单" in html and r.number in html and "data-print" in html
    fulfilment.receive(actor=w.team_leader, request=r, data=good_receipt(), now=now)
    run = closing.run(actor=w.team_leader, now=now)
    html = page(leader, f"/parts/closing-runs/{run.pk}/")
    assert "欠补件" in html or "本期无欠补件" in html
    xl = leader.get(f"/parts/closing-runs/{run.pk}/?format=xlsx")
    assert xl["Content-Type"].startswith("application/vnd.openxmlformats")
    a = analysis.prepare(actor=w.agent, month=timezone.localdate().replace(day=1), now=now)
    html = page(client(w.agent), f"/parts/analyses/{a.pk}/")
    assert "vendor/echarts.min.js" in html and 'id="chart-data"' in html
    nav = page(client(w.qd), "/parts/")
    assert "/approvals/" in nav and "/returns/" in nav


def test_returns_pages(w) -> None:  # type: ignore[no-untyped-def]
    from aftersales.returns.tests.helpers import apply, to_record_sent

    mine = apply(w, actor=w.dealer_user_a)
    theirs = apply(w, actor=w.dealer_user_b, customer_id=w.cust_b.id)
    dealer = client(w.dealer_user_a)
    html = page(dealer, "/returns/")
    assert mine.number in html and theirs.number not in html
    page(dealer, f"/returns/{theirs.pk}/", status=404)
    c = client(w.coordinator)
    html = page(c, f"/returns/{mine.pk}/")
    assert "受理并提交会签" in html
    resp = c.post(f"/returns/{mine.pk}/act/submit/", {}, follow=True)
    assert "会签" in resp.content.decode()
    c.post(f"/returns/{mine.pk}/act/submit/", {"department_ids": [w.sales.id]})
    mine.refresh_from_db()
    assert mine.state == "in_approval"
    ret = to_record_sent(w)
    html = page(client(w.customer_user_a), f"/returns/{ret.pk}/")
    assert "确认检验结果" in html and 'data-step="confirmation"' in html
    resp = client(w.agent).get("/returns/export.xlsx?state=all")
    assert load_workbook(io.BytesIO(resp.content)).active["A1"].value == "退货单号"
    resp = client(w.customer_user_a).post(
        "/returns/new/",
        {"reason": "不想要了", "description": ["羊毛衫"], "part_code": [""], "quantity": ["-1"]},
    )
    assert "正整数" in resp.content.decode()


def test_a_failed_receipt_check_shows_no_success_message(w) -> None:  # type: ignore[no-untyped-def]
    """9#9: a refused receipt is not announced with the green 「入库检查已记录」."""
    r = approved_request(w)
    requests.release(actor=w.agent, request=r, group="parts_group", confirm_late=True)
    c = client(w.team_leader)
    form = {"supplier": "parts_group", "quantity": "2", "package_intact": "on"}
    resp = c.post(f"/parts/requests/{r.pk}/act/receive/", form, follow=True)
    html = resp.content.decode()
    assert "入库检查不合格，未入库" in html and "无驻补配组质检员检验合格章" in html
    assert "入库检查合格" not in html.replace("入库检查不合格", "")
    assert '<li class="success">' not in html
    r.refresh_from_db()
    assert r.state == "in_production"
    stamped = {**form, "label_customer_ok": "on", "label_part_ok": "on"}
    stamped |= {"label_quantity_ok": "on", "inspector_stamp": "on", "storage_location": "A-01"}
    html = c.post(f"/parts/requests/{r.pk}/act/receive/", stamped, follow=True).content.decode()
    assert "入库检查合格，已入库" in html
    r.refresh_from_db()
    assert r.state == "in_store"


def test_a_refused_request_form_keeps_its_lines_and_a_code_without_case(w) -> None:  # type: ignore[no-untyped-def]
    """9#4: the form shown again after an error keeps every line; a quantity without a code
    is an error (not a silently dropped line); codes match whatever their case."""
    c = client(w.agent)
    form = {
        "customer_id": w.cust_a.id,
        "reason": "柜门运输变形",
        "part_code": ["door-01", "", ""],
        "quantity": ["2", "3", ""],
        "outsourced": ["1"],
    }
    html = c.post("/parts/new/", form).content.decode()
    assert "第2行：请填写配件编码" in html
    assert 'value="door-01"' in html and 'value="2"' in html and 'value="3"' in html
    assert 'name="outsourced" value="1" checked' in html
    assert PartsRequest.objects.count() == 0
    form["part_code"] = ["door-01", "Psu-5v", ""]
    resp = c.post("/parts/new/", form)
    assert resp.status_code == 302
    lines = PartsRequest.objects.get().lines.order_by("id")
    assert [(ln.part.code, ln.quantity, ln.outsourced) for ln in lines] == [
        ("DOOR-01", 2, False),
        ("PSU-5V", 3, True),
    ]


def test_a_refused_return_form_keeps_its_lines(w) -> None:  # type: ignore[no-untyped-def]
    c = client(w.agent)
    form = {
        "customer_id": w.cust_a.id,
        "reason": "",
        "description": ["柜门面板", ""],
        "part_code": ["door-01", "NOPE-9"],
        "quantity": ["1", "4"],
    }
    html = c.post("/returns/new/", form).content.decode()
    assert 'value="柜门面板"' in html and 'value="NOPE-9"' in html and 'value="4"' in html
