"""Exports hold exactly what the user may see, in the import's columns, typed; an export can
be imported again unchanged, or edited and imported."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from aftersales import testing as t
from aftersales.customers.models import Site
from aftersales.imports.columns import SPECS
from aftersales.installed_base.models import Equipment

from .helpers import XLSX, api, api_upload, read_rows, xlsx

pytestmark = pytest.mark.django_db


def web_client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def installed(world: dict[str, Any]) -> dict[str, Any]:
    t.equipment(
        world["s1"],
        world["model"],
        serial_no="0012",
        acceptance_date=t.day("2024-03-01"),
        dealer=world["d1"],
        card_status="received",
        quantity=2,
    )
    t.equipment(world["s2"], world["model"], serial_no="0013")
    t.equipment(world["s3"], world["model"], serial_no="0014", software_version="v2.1")
    Site.objects.filter(pk=world["s1"].pk).update(
        lat="31.230400", lng="121.473700", acceptance_date=t.day("2024-01-05")
    )
    return world


@pytest.mark.parametrize("kind", ["customers", "sites", "equipment"])
def test_export_reimports_unchanged(installed: dict[str, Any], kind: str) -> None:
    user = installed["coordinator"]
    resp = web_client(user).get(f"/imports/export/{kind}/")
    assert resp.status_code == 200 and resp["Content-Type"] == XLSX
    assert "attachment" in resp["Content-Disposition"]
    content = resp.content
    rows = read_rows(content)
    assert list(rows[0]) == SPECS[kind].headers and len(rows) == 4

    client, auth = api(user)
    body = api_upload(client, auth, kind, content).json()
    assert body["errors"] == [] and body["status"] == "validated"
    assert (body["unchanged"], body["to_create"], body["to_update"]) == (3, 0, 0)
    assert body["message"] == "所有行与系统中的数据一致，无需导入"


def test_export_cells_are_typed(installed: dict[str, Any]) -> None:
    client, auth = api(installed["coordinator"])
    resp = client.get("/api/v1/imports/export/equipment", **auth)
    assert resp.status_code == 200
    ws = load_workbook(io.BytesIO(resp.content)).worksheets[0]
    head = [c.value for c in ws[1]]
    first = {h: c for h, c in zip(head, ws[2], strict=True)}
    assert first["出厂编号"].value == "0012" and first["出厂编号"].data_type == "s"
    assert first["验收日期"].value == dt.datetime(2024, 3, 1) and first["验收日期"].is_date
    assert first["数量"].value == 2 and first["数量"].data_type == "n"
    assert first["三包卡状态"].value == "已回寄" and first["经销商编码"].value == "DL1"
    sites = client.get("/api/v1/imports/export/sites", **auth)
    ws = load_workbook(io.BytesIO(sites.content)).worksheets[0]
    row = {h.value: c for h, c in zip(ws[1], ws[2], strict=True)}
    assert row["纬度"].value == pytest.approx(31.2304) and row["纬度"].number_format == "0.000000"
    assert row["工程项目"].value == "是"


def test_edited_export_updates_and_creates(installed: dict[str, Any]) -> None:
    user = installed["coordinator"]
    client, auth = api(user)
    content = client.get("/api/v1/imports/export/equipment", **auth).content
    rows = [list(r) for r in read_rows(content)]
    head = rows[0]
    rows[1][head.index("软件版本")] = "v9.9"
    new = list(rows[1])
    new[head.index("出厂编号")] = "0099"
    rows.append(new)
    body = api_upload(client, auth, "equipment", xlsx(head, rows[1:])).json()
    assert (body["to_update"], body["to_create"], body["unchanged"]) == (1, 1, 2), body["errors"]
    done = client.post(
        f"/api/v1/imports/{body['id']}/confirm", {}, content_type="application/json", **auth
    ).json()
    assert done["status"] == "done"
    assert Equipment.objects.get(serial_no="0012").software_version == "v9.9"
    copy = Equipment.objects.get(serial_no="0099")
    assert copy.acceptance_date == dt.date(2024, 3, 1) and copy.quantity == 2
    assert copy.card_status == "received" and copy.dealer_id == installed["d1"].pk


def test_dealer_export_holds_only_its_own_rows(installed: dict[str, Any]) -> None:
    client = web_client(t.user("dealer", org=installed["d1"]))
    for kind, expected in (("customers", ["C001"]), ("sites", ["S001"]), ("equipment", ["LED-P3"])):
        rows = read_rows(client.get(f"/imports/export/{kind}/").content)
        assert [r[0] for r in rows[1:]] == expected
    eq = read_rows(client.get("/imports/export/equipment/").content)
    assert eq[1][1] == "0012"


def test_template_has_headers_and_instructions(world: dict[str, Any]) -> None:
    client, auth = api(world["coordinator"])
    resp = client.get("/api/v1/imports/template/sites", **auth)
    wb = load_workbook(io.BytesIO(resp.content))
    assert wb.sheetnames == ["项目现场", "填写说明"]
    assert [c.value for c in wb.worksheets[0][1]] == SPECS["sites"].headers
    assert wb.worksheets[0].max_row == 1
    notes = [r[0] for r in wb["填写说明"].iter_rows(values_only=True)]
    assert "客户编号" in notes and "验收日期" in notes
    assert client.get("/api/v1/imports/template/parts", **auth).status_code == 422


def test_export_needs_view_permission(world: dict[str, Any]) -> None:
    client, auth = api(t.user())
    resp = client.get("/api/v1/imports/export/customers", **auth)
    assert resp.status_code == 403 and resp.json()["code"] == "permission_denied"


def test_dealer_reimports_its_export_unchanged(installed: dict[str, Any]) -> None:
    """References the dealer could not choose itself (an engineer, another dealer) are kept."""
    Site.objects.filter(pk=installed["s1"].pk).update(responsible_engineer=t.user("technician"))
    t.equipment(installed["s1"], installed["model"], serial_no="0015", dealer=installed["d2"])
    dealer_user = t.user("dealer", org=installed["d1"])
    web = web_client(dealer_user)
    client, auth = api(dealer_user)
    for kind, count in (("customers", 1), ("sites", 1), ("equipment", 2)):
        content = web.get(f"/imports/export/{kind}/").content
        body = api_upload(client, auth, kind, content).json()
        assert body["errors"] == [], (kind, body["errors"])
        assert body["unchanged"] == count
    # the same engineer on a new site of its own is a choice the dealer may not make
    rows = read_rows(web.get("/imports/export/sites/").content)
    new = list(rows[1])
    new[0] = "S777"
    body = api_upload(client, auth, "sites", xlsx(list(rows[0]), [new])).json()
    assert [e["code"] for e in body["errors"]] == ["unknown_user"]
