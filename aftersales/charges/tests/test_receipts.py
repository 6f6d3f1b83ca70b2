"""Every payment gets exactly one receipt (SK…), numbered without gaps per day; a refund is a
red credit note reversing the receipt, which stays; the receipt PDF carries its Chinese."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from aftersales import testing as t
from aftersales.accounts.services import issue_token
from aftersales.charges import pdf
from aftersales.charges.models import Payment, Receipt
from aftersales.charges.rules import rmb_upper
from aftersales.charges.services import payments
from aftersales.charges.tests.helpers import accepted_quote, pdf_text
from aftersales.core.errors import Conflict, PermissionDenied, ValidationFailed
from aftersales.core.models import AuditEvent
from aftersales.service.services import warranty

pytestmark = pytest.mark.django_db
D = Decimal


def sk(n: int) -> str:
    return f"SK{timezone.localdate():%Y%m%d}-{n:04d}"


def pay(world: Any, quote: Any, amount: str = "100.00", **kw: Any) -> Receipt:
    return payments.record_payment(
        actor=kw.pop("actor", world.finance),
        quote_id=quote.pk,
        amount=amount,
        method=kw.pop("method", "cash"),
        payer_name="王经理",
        **kw,
    )


def test_every_payment_gets_exactly_one_receipt_and_numbers_follow(world: Any) -> None:
    quote = accepted_quote(world)
    assert quote.total == D("205.00")
    first = pay(world, quote, "100.00")
    second = pay(world, quote, "105.00", method="wechat", reference="4200001234")
    assert (first.number, second.number) == (sk(1), sk(2))
    for r in (first, second):
        assert Receipt.objects.filter(payment=r.payment).count() == 1
        assert r.kind == "receipt" and r.amount == r.payment.amount
    assert Payment.objects.count() == 2
    assert AuditEvent.objects.filter(verb="receipt_issued").count() == 2
    assert payments.paid_on(quote) == D("205.00")
    # nothing beyond the accepted quote (the published list) may be charged
    with pytest.raises(ValidationFailed, match="超过该报价未收金额"):
        pay(world, quote, "0.01")
    assert Payment.objects.count() == 2


def test_bad_input_is_refused_in_chinese_and_nothing_is_written(world: Any) -> None:
    quote = accepted_quote(world)
    for amount, message in (
        ("1,000", "含逗号"),
        ("-5", "不能为负数"),
        ("0", "必须大于0"),
        ("12.345", "不是有效金额"),
        ("", "请填写收款金额"),
    ):
        with pytest.raises(ValidationFailed, match=message):
            pay(world, quote, amount)
    with pytest.raises(ValidationFailed, match="付款流水号"):
        pay(world, quote, "10", method="transfer")
    with pytest.raises(ValidationFailed, match="付款方式"):
        pay(world, quote, "10", method="bitcoin")
    assert not Payment.objects.exists() and not Receipt.objects.exists()
    # no number was used up by the refusals
    assert pay(world, quote, "10").number == sk(1)


def test_only_an_accepted_quote_is_paid_and_only_by_company_staff(world: Any) -> None:
    quote = accepted_quote(world)
    sent = warranty.quote_create(actor=world.agent, ticket=quote.ticket, parts=[], labour_hours="1")
    with pytest.raises(Conflict, match="只能按客户已接受的报价收款"):
        pay(world, sent)
    customer_user = t.user("customer", org=world.customer)
    with pytest.raises(PermissionDenied):
        pay(world, quote, actor=customer_user)
    assert not Payment.objects.exists()


def test_a_credit_note_reverses_a_receipt_without_touching_it(world: Any) -> None:
    quote = accepted_quote(world)
    receipt = pay(world, quote, "205.00")
    before = Receipt.objects.filter(pk=receipt.pk).values().get()
    with pytest.raises(PermissionDenied):
        payments.reverse_receipt(actor=world.agent, receipt_id=receipt.pk, reason="退款")
    with pytest.raises(ValidationFailed, match="冲销原因"):
        payments.reverse_receipt(actor=world.finance, receipt_id=receipt.pk, reason=" ")
    note = payments.reverse_receipt(actor=world.finance, receipt_id=receipt.pk, reason="客户退款")
    assert note.number == sk(2) and note.kind == "credit" and note.amount == D("-205.00")
    assert note.reverses_id == receipt.pk
    assert Receipt.objects.filter(pk=receipt.pk).values().get() == before  # unchanged, kept
    assert payments.paid_on(quote) == D("0.00")
    with pytest.raises(Conflict, match="已冲销"):
        payments.reverse_receipt(actor=world.finance, receipt_id=receipt.pk, reason="再退")
    with pytest.raises(Conflict, match="不能再冲销"):
        payments.reverse_receipt(actor=world.finance, receipt_id=note.pk, reason="再退")
    assert Receipt.objects.count() == 2
    # after the refund the quote may be paid again, under the next number
    assert pay(world, quote, "205.00").number == sk(3)


def test_the_receipt_pdf_shows_its_chinese(world: Any) -> None:
    quote = accepted_quote(world)
    receipt = pay(world, quote, "205.00", method="alipay", reference="2026120322001")
    note = payments.reverse_receipt(actor=world.finance, receipt_id=receipt.pk, reason="客户退款")
    staff = Client()
    staff.force_login(world.finance)
    resp = staff.get(f"/charges/receipts/{receipt.pk}/pdf/")
    assert resp.status_code == 200 and resp["Content-Type"] == "application/pdf"
    text = pdf_text(resp.content)
    for want in (
        "收",
        "据",
        receipt.number,
        quote.ticket.number,
        "上海浦东会展中心",
        "王经理",
        "支付宝",
        "贰佰零伍元整",
        "5V电源模块",
    ):
        assert want in text, want
    credit = pdf_text(pdf.receipt_pdf(note))
    for want in ("红字收据（冲销）", note.number, receipt.number, "客户退款", "负贰佰零伍元整"):
        assert want in credit, want
    # the customer downloads its own receipt; another customer gets 404
    own, other = Client(), Client()
    own.force_login(t.user("customer", org=world.customer))
    other.force_login(t.user("customer", org=t.customer(world.region, None, name="别家")))
    assert own.get(f"/charges/receipts/{receipt.pk}/pdf/").status_code == 200
    assert other.get(f"/charges/receipts/{receipt.pk}/pdf/").status_code == 404


def test_capital_amounts() -> None:
    assert rmb_upper(D("1234.50")) == "壹仟贰佰叁拾肆元伍角整"
    assert rmb_upper(D("10001")) == "壹万零壹元整"
    assert rmb_upper(D("20300.07")) == "贰万零叁佰元零柒分"
    assert rmb_upper(D("100010000")) == "壹亿零壹万元整"
    assert rmb_upper(D("0.05")) == "伍分"
    assert rmb_upper(D("-80")) == "负捌拾元整"


def test_api_pays_lists_and_hides(world: Any) -> None:
    quote = accepted_quote(world)
    c = Client()
    _, key = issue_token(user=world.finance)
    h = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    bad = c.post(
        f"/api/v1/quotes/{quote.pk}/payments",
        {"amount": "1,000", "method": "cash", "payer_name": "王经理"},
        content_type="application/json",
        **h,
    )
    assert bad.status_code == 422 and "逗号" in bad.json()["message"]
    ok = c.post(
        f"/api/v1/quotes/{quote.pk}/payments",
        {"amount": "205.00", "method": "cash", "payer_name": "王经理"},
        content_type="application/json",
        **h,
    )
    assert ok.status_code == 201, ok.content
    body = ok.json()
    assert body["number"] == sk(1) and body["amount"] == "205.00"
    listed = c.get("/api/v1/receipts", **h).json()
    assert [r["number"] for r in listed["items"]] == [sk(1)]
    credit = c.post(
        f"/api/v1/receipts/{body['id']}/credit-note",
        {"reason": "退款"},
        content_type="application/json",
        **h,
    )
    assert credit.status_code == 201 and credit.json()["amount"] == "-205.00"
    other = t.user("customer", org=t.customer(world.region, None, name="别家"))
    _, okey = issue_token(user=other)
    oh = {"HTTP_AUTHORIZATION": f"Bearer {okey}"}
    assert c.get(f"/api/v1/receipts/{body['id']}", **oh).status_code == 404
    assert c.get("/api/v1/receipts", **oh).json()["items"] == []
