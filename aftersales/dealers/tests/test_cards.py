"""Warranty cards: a dealer registers its sale, only the company records the day the card
arrived (API, import and service refuse a dealer), day 20 is in time and day 21 late."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.test import Client
from openpyxl import Workbook

from aftersales.accounts.services import issue_token
from aftersales.core import audit
from aftersales.dealers.models import WarrantyCard
from aftersales.installed_base.models import Equipment
from aftersales.parts.tests.test_api import call
from aftersales.warranty.rules import CardTiming as CardState
from aftersales.warranty.rules import card_timing

pytestmark = pytest.mark.django_db

SALE = dt.date(2026, 3, 1)


def register(w, user, serial="A0001", status=201, **kw):  # type: ignore[no-untyped-def]
    body = {
        "customer_code": w.cust_a.code,
        "serial_no": serial,
        "sale_date": str(SALE),
        "card_no": kw.pop("card_no", f"K-{serial}"),
        **kw,
    }
    return call("post", "/api/v1/warranty-cards", user, body, status=status)


def test_day_20_is_in_time_and_day_21_late() -> None:
    def state(received: dt.date | None, today: dt.date) -> CardState:
        return card_timing(sale=SALE, received=received, limit=20, today=today).state

    assert state(dt.date(2026, 3, 21), dt.date(2026, 4, 1)) is CardState.IN_TIME
    assert state(dt.date(2026, 3, 22), dt.date(2026, 4, 1)) is CardState.LATE
    assert state(None, dt.date(2026, 3, 21)) is CardState.WAITING
    assert state(None, dt.date(2026, 3, 22)) is CardState.LATE


def test_dealer_registers_and_the_company_receives(w) -> None:  # type: ignore[no-untyped-def]
    card = register(w, w.dealer_user_a)
    assert card["dealer_id"] == w.dealer_a.pk and card["received_date"] is None
    eq = Equipment.objects.get(pk=w.eq_a.pk)
    assert (eq.sale_date, eq.dealer_id, eq.card_no) == (SALE, w.dealer_a.pk, "K-A0001")
    # the dealer cannot date its own card: 403, nothing changed
    body = {"received_date": "2026-03-10"}
    url = f"/api/v1/warranty-cards/{card['id']}/receive"
    call("post", url, w.dealer_user_a, body, status=403)
    assert WarrantyCard.objects.get(pk=card["id"]).received_date is None
    # another dealer does not even see it
    call("post", url, w.dealer_user_b, body, status=404)
    call("get", f"/api/v1/warranty-cards/{card['id']}", w.dealer_user_b, status=404)
    # the company does (day 21: late, with the reason)
    out = call("post", url, w.agent, {"received_date": "2026-03-22"})
    assert out["state"] == "late" and "超过 20 天" in out["reason"]
    out = call("post", url, w.agent, {"received_date": "2026-03-21"})
    assert out["state"] == "in_time" and out["state_label"] == "已认定"
    eq.refresh_from_db()
    assert (eq.card_received_date, eq.card_status) == (dt.date(2026, 3, 21), "received")
    card_row = WarrantyCard.objects.get(pk=card["id"])
    assert audit.history(card_row).filter(verb="登记收卡日期").count() == 2


def test_late_reads_the_policys_card_deadline_days(w) -> None:  # type: ignore[no-untyped-def]
    card = register(w, w.dealer_user_a)
    w.policy.card_deadline_days = 30
    w.policy.save()
    out = call(
        "post",
        f"/api/v1/warranty-cards/{card['id']}/receive",
        w.agent,
        {"received_date": "2026-03-25"},
    )
    assert out["state"] == "in_time" and "30 天内" in out["reason"]


def test_a_dealer_cannot_set_the_received_date_on_its_equipment(w) -> None:  # type: ignore[no-untyped-def]
    """The hole: the equipment API let a dealer date its own card."""
    for field, value in (("card_received_date", "2026-03-10"), ("card_status", "received")):
        resp = call(
            "patch", f"/api/v1/equipment/{w.eq_a.pk}", w.dealer_user_a, {field: value}, status=403
        )
        assert resp["message"].endswith("只能由公司登记，经销商和客户不能设置或修改")
    created = {
        "model_id": w.model.pk,
        "serial_no": "A0099",
        "site_id": w.site_a.pk,
        "sale_date": "2026-03-01",
        "card_received_date": "2026-03-05",
    }
    call("post", "/api/v1/equipment", w.dealer_user_a, created, status=403)
    assert not Equipment.objects.filter(serial_no="A0099").exists()
    eq = Equipment.objects.get(pk=w.eq_a.pk)
    assert (eq.card_received_date, eq.card_status) == (None, "none")
    # the dealer may still edit its other fields; the company may set the date
    call("patch", f"/api/v1/equipment/{w.eq_a.pk}", w.dealer_user_a, {"software_version": "v2"})
    call(
        "patch",
        f"/api/v1/equipment/{w.eq_a.pk}",
        w.coordinator,
        {"card_received_date": "2026-03-05"},
    )


def test_a_dealer_cannot_import_a_received_date(w) -> None:  # type: ignore[no-untyped-def]
    from aftersales.imports.tests.helpers import api_upload, xlsx

    client = Client()
    auth = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(user=w.dealer_user_a)[1]}"}
    head = ["型号", "出厂编号", "项目编号", "三包卡回寄日期"]
    body = api_upload(
        client,
        auth,
        "equipment",
        xlsx(head, [[w.model.code, "A0001", w.site_a.code, "2026-03-05"]]),
    ).json()
    assert any("只能由公司登记" in e["message"] for e in body["errors"]), body


def test_bad_card_input_is_refused_in_chinese(w) -> None:  # type: ignore[no-untyped-def]
    assert "不存在" in register(w, w.dealer_user_a, serial="NOPE", status=422)["message"]
    future = str(dt.date.today() + dt.timedelta(days=2))
    assert "不能晚于今天" in register(w, w.dealer_user_a, sale_date=future, status=422)["message"]
    # another dealer's customer's unit
    register(w, w.dealer_user_a, serial="B0001", status=422)
    card = register(w, w.dealer_user_a)
    resp = call(
        "post",
        f"/api/v1/warranty-cards/{card['id']}/receive",
        w.agent,
        {"received_date": "2026-02-27"},
        status=422,
    )
    assert resp["message"] == "三包卡回寄日期不能早于销售日期"
    assert register(w, w.dealer_user_a, status=409)["message"].endswith("已登记三包回执卡")
    assert WarrantyCard.objects.count() == 1


def _book(rows: list[list[object]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["客户编号", "出厂编号", "型号编码", "销售日期", "三包卡号"])
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _upload(user, content: bytes):  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    key = issue_token(user=user)[1]
    return Client().post(
        "/api/v1/warranty-cards/import",
        {"file": SimpleUploadedFile("cards.xlsx", content)},
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )


def test_bulk_cards_by_excel_all_or_nothing(w) -> None:  # type: ignore[no-untyped-def]
    bad = _book(
        [
            [w.cust_a.code, "A0001", "", "2026-03-01", "X1"],
            [w.cust_a.code, "ZZZ", "", "2026-03-01", "X2"],
        ]
    )
    resp = _upload(w.dealer_user_a, bad)
    assert resp.status_code == 422 and "第3行" in resp.json()["message"]
    assert WarrantyCard.objects.count() == 0
    good = _book(
        [
            [w.cust_a.code, "A0001", "TR-50", dt.date(2026, 3, 1), "X1"],
            [w.cust_a.code, "A0002", "", "2026-03-02", "X2"],
        ]
    )
    resp = _upload(w.dealer_user_a, good)
    assert resp.status_code == 200 and resp.json()["created"] == 2
    assert set(WarrantyCard.objects.values_list("dealer_id", flat=True)) == {w.dealer_a.pk}


def test_a_dealer_lists_only_its_own_cards(w) -> None:  # type: ignore[no-untyped-def]
    mine = register(w, w.dealer_user_a)
    call(
        "post",
        "/api/v1/warranty-cards",
        w.dealer_user_b,
        {
            "customer_code": w.cust_b.code,
            "serial_no": "B0001",
            "sale_date": str(SALE),
            "card_no": "KB",
        },
        status=201,
    )
    assert [c["id"] for c in call("get", "/api/v1/warranty-cards", w.dealer_user_a)["items"]] == [
        mine["id"]
    ]
    assert len(call("get", "/api/v1/warranty-cards", w.agent)["items"]) == 2


def test_a_card_file_with_a_missing_or_repeated_column_is_refused(w) -> None:  # type: ignore[no-untyped-def]
    row = [w.cust_a.code, "A0001", "2026-03-01", "X1"]

    def book(head: list[str]) -> bytes:
        wb = Workbook()
        ws = wb.active
        ws.append(head)
        ws.append(row)
        buf = io.BytesIO()
        wb.save(buf)
        return buf.getvalue()

    resp = _upload(w.dealer_user_a, book(["客户编号", "型号编码", "销售日期", "三包卡号"]))
    assert resp.status_code == 422 and "缺少必需的列：出厂编号" in resp.json()["message"]
    twice = book(["客户编号", "出厂编号", "销售日期", "三包卡号", "出厂编号*"])
    resp = _upload(w.dealer_user_a, twice)
    assert resp.status_code == 422 and "列名重复：出厂编号" in resp.json()["message"]
    resp = _upload(w.dealer_user_a, b"not a workbook")
    assert resp.status_code == 422 and "文件无法读取" in resp.json()["message"]
    assert WarrantyCard.objects.count() == 0
    # a trailing * on a header is the template's mark of a required column
    resp = _upload(w.dealer_user_a, book(["客户编号*", "出厂编号*", "销售日期*", "三包卡号*"]))
    assert resp.status_code == 200 and resp.json()["created"] == 1
