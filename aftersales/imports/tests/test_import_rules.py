"""Dry run and import through the API: row errors with the Excel row number, all or nothing,
identification by code, dealer restrictions, permissions, audit rows."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from aftersales import testing as t
from aftersales.core.audit import history
from aftersales.core.models import AuditEvent
from aftersales.customers.models import Customer, Site
from aftersales.imports.models import ImportJob
from aftersales.installed_base.models import Equipment

from .helpers import api, api_upload, headers, xlsx

pytestmark = pytest.mark.django_db

EQ = headers("equipment")


def eq_row(serial: str, site: str = "S001", model: str = "LED-P3", **kw: Any) -> list[Any]:
    values = {
        "型号": model,
        "出厂编号": serial,
        "数量": 1,
        "项目编号": site,
        "验收日期": "2024-05-01",
        **kw,
    }
    return [values.get(h) for h in EQ]


def texts(body: dict[str, Any]) -> list[str]:
    return [e["text"] for e in body["errors"]]


def test_duplicate_serial_at_row_12_imports_nothing(world: dict[str, Any]) -> None:
    rows = [eq_row(f"SN-{i}") for i in range(2, 14)]  # Excel rows 2..13
    rows[12 - 2] = eq_row("SN-4")  # row 12 repeats the serial number of row 4
    client, auth = api(world["coordinator"])
    resp = api_upload(client, auth, "equipment", xlsx(EQ, rows))
    assert resp.status_code == 201, resp.content
    body = resp.json()
    assert body["status"] == "validated" and body["background"] is False
    assert (body["total_rows"], body["to_create"], body["error_rows"]) == (12, 11, 1)
    assert len(body["errors"]) == 1
    error = body["errors"][0]
    assert error["row"] == 12 and error["code"] == "duplicate_key" and error["column"] == "出厂编号"
    assert "第12行" in error["text"] and "序列号重复" in error["text"] and "第4行" in error["text"]
    assert body["can_confirm"] is False and body["can_confirm_valid_only"] is True

    refused = client.post(
        f"/api/v1/imports/{body['id']}/confirm", {}, content_type="application/json", **auth
    )
    assert refused.status_code == 409 and refused.json()["code"] == "invalid_transition"
    assert refused.json()["message"].startswith("有 1 行错误，默认全部不导入")
    assert not Equipment.objects.filter(serial_no__startswith="SN-").exists()
    assert ImportJob.objects.get(pk=body["id"]).status == "validated"


def test_valid_only_imports_the_good_rows_and_skips_the_bad(world: dict[str, Any]) -> None:
    rows = [eq_row("A-1"), eq_row("A-2"), eq_row("A-1"), eq_row("A-3", 验收日期="2024-02-30")]
    client, auth = api(world["coordinator"])
    job = api_upload(client, auth, "equipment", xlsx(EQ, rows)).json()
    assert texts(job) == [
        "第4行: 序列号重复（型号 LED-P3，出厂编号 A-1 与第2行相同）",
        "第5行: 验收日期格式应为 YYYY-MM-DD",
    ]
    done = client.post(
        f"/api/v1/imports/{job['id']}/confirm",
        {"valid_only": True},
        content_type="application/json",
        **auth,
    ).json()
    assert done["status"] == "done", done
    assert (done["created_count"], done["updated_count"], done["skipped_count"]) == (2, 0, 2)
    assert set(Equipment.objects.values_list("serial_no", flat=True)) == {"A-1", "A-2"}


def test_unknown_codes_and_bad_cells_are_reported_per_row(world: dict[str, Any]) -> None:
    client, auth = api(world["coordinator"])
    site_rows = [
        [
            "S101",
            "一号楼",
            "C001",
            "上海市浦东新区",
            "",
            31.2,
            121.5,
            "是",
            "",
            "2024-01-05",
            "",
            "",
        ],
        ["S102", "二号楼", "C001", "上海市浦东新区", "NOPE", "", "", "", "", "", "", ""],
        ["S103", "三号楼", "C001", "上海市浦东新区", "", "", "", "也许", "", "", "ghost", ""],
        ["S104", "四号楼", "C0099", "上海市浦东新区", "", "", "", "", "", "", "", ""],
        ["S105", "", "C001", "上海市", "", 95, "", "", "", "", "", ""],
        ["S106", "六号楼", "C001", "上海市", "", "", "", "", "", "明天", "", ""],
    ]
    body = api_upload(client, auth, "sites", xlsx(headers("sites"), site_rows)).json()
    assert texts(body) == [
        "第3行: 片区编码 NOPE 不存在",
        "第4行: 工程项目应填“是”或“否”",
        "第4行: 责任工程师账号 ghost 不存在",
        "第5行: 客户编号 C0099 不存在",
        "第6行: 名称不能为空",
        "第6行: 纬度应在 -90 到 90 之间",
        "第7行: 验收日期格式应为 YYYY-MM-DD",
    ]
    assert (body["to_create"], body["error_rows"]) == (1, 5)
    assert body["sample"][0]["action"] == "create" and body["sample"][1]["action"] == "error"

    eq = [eq_row("X-1", model="NO-MODEL"), eq_row("X-2", site="S999", 经销商编码="DX")]
    body = api_upload(client, auth, "equipment", xlsx(EQ, eq)).json()
    assert texts(body) == [
        "第2行: 型号 NO-MODEL 不存在",
        "第3行: 项目编号 S999 不存在",
        "第3行: 经销商编码 DX 不存在",
    ]


def test_missing_required_column_is_a_file_error(world: dict[str, Any]) -> None:
    client, auth = api(world["coordinator"])
    cols = [h for h in EQ if h not in ("出厂编号", "项目编号")] + ["颜色"]
    body = api_upload(
        client, auth, "equipment", xlsx(cols, [["LED-P3"] + [""] * (len(cols) - 1)])
    ).json()
    assert body["status"] == "failed"
    assert texts(body) == ["缺少必需的列：出厂编号、项目编号"]
    assert body["errors"][0]["row"] is None and body["errors"][0]["code"] == "missing_columns"
    assert body["can_confirm"] is False and body["can_confirm_valid_only"] is False
    resp = client.post(
        f"/api/v1/imports/{body['id']}/confirm",
        {"valid_only": True},
        content_type="application/json",
        **auth,
    )
    assert resp.status_code == 409


def test_not_an_excel_file_is_refused(world: dict[str, Any]) -> None:
    client, auth = api(world["coordinator"])
    from .helpers import upload_file

    resp = client.post(
        "/api/v1/imports", {"kind": "customers", "file": upload_file(b"a,b\n", "x.csv")}, **auth
    )
    assert resp.status_code == 422 and "xlsx" in resp.json()["message"]
    broken = client.post(
        "/api/v1/imports",
        {"kind": "customers", "file": upload_file(b"not a zip", "x.xlsx")},
        **auth,
    )
    # the content decides (issue 8 #11): a file that is not a workbook is refused, no job made
    assert broken.status_code == 422 and broken.json()["code"] == "upload_type_refused"
    assert "xlsx" in broken.json()["message"] and not ImportJob.objects.exists()


def test_dealer_imports_only_its_own_customers(world: dict[str, Any]) -> None:
    dealer_user = t.user("dealer", org=world["d1"])
    client, auth = api(dealer_user)
    cust = headers("customers")
    rows = [
        ["C100", "新客户", "单位", "普通客户", "EAST", "", "021-1", "", ""],
        ["C001", "甲客户", "单位", "重点客户", "EAST", "DL1", "", "", ""],
        ["C002", "乙客户改名", "单位", "普通客户", "EAST", "", "", "", ""],
        ["C101", "抢客户", "单位", "普通客户", "EAST", "DL2", "", "", ""],
    ]
    body = api_upload(client, auth, "customers", xlsx(cust, rows)).json()
    assert texts(body) == [
        "第4行: 客户编号 C002 不可使用（编号已被占用或无权使用），请换一个编号",
        "第5行: 经销商编码 DL2 无效：经销商用户只能填写本经销商编码 DL1",
    ]
    assert (body["to_create"], body["to_update"], body["error_rows"]) == (1, 1, 2)
    done = client.post(
        f"/api/v1/imports/{body['id']}/confirm",
        {"valid_only": True},
        content_type="application/json",
        **auth,
    ).json()
    assert done["status"] == "done"
    new = Customer.objects.get(code="C100")
    assert new.dealer_id == world["d1"].pk and new.name_initials == "xkh"
    assert Customer.objects.get(code="C001").tier == "key"
    assert Customer.objects.get(code="C002").name == "乙客户"
    assert not Customer.objects.filter(code="C101").exists()

    # a site for another dealer's customer: that customer "does not exist" for this dealer
    site_rows = [["S200", "乙的楼", "C002", "上海", "", "", "", "", "", "", "", ""]]
    body = api_upload(client, auth, "sites", xlsx(headers("sites"), site_rows)).json()
    assert texts(body) == ["第2行: 客户编号 C002 不存在"]
    # equipment of another dealer's site with the same model + serial number
    t.equipment(world["s2"], world["model"], serial_no="TAKEN")
    body = api_upload(client, auth, "equipment", xlsx(EQ, [eq_row("TAKEN", site="S001")])).json()
    assert texts(body) == [
        "第2行: 型号 LED-P3，出厂编号 TAKEN 不可使用（编号已被占用或无权使用），请换一个编号"
    ]
    # another organisation's archived record answers the same: its state does not leak
    Customer.objects.filter(code="C002").update(archived_at=timezone.now())
    body = api_upload(client, auth, "customers", xlsx(cust, [rows[2]])).json()
    assert texts(body) == ["第2行: 客户编号 C002 不可使用（编号已被占用或无权使用），请换一个编号"]


def test_user_without_add_permission_is_refused(world: dict[str, Any]) -> None:
    content = xlsx(EQ, [eq_row("P-1")])
    for user in (t.user("technician"), t.user("customer", org=world["c1"]), t.user()):
        client, auth = api(user)
        resp = api_upload(client, auth, "equipment", content)
        assert resp.status_code == 403, resp.content
        assert (
            resp.json()["code"] == "permission_denied" and "无权新建设备" in resp.json()["message"]
        )
    assert not ImportJob.objects.exists()
    assert not Equipment.objects.filter(serial_no="P-1").exists()


def test_update_by_code_writes_audit_before_and_after(world: dict[str, Any]) -> None:
    coordinator = world["coordinator"]
    client, auth = api(coordinator)
    rows = [
        ["C001", "甲客户", "单位", "重点客户", "EAST", "DL1", "021-1", "", ""],  # tier, phone
        ["C003", "直销客户", "单位", "普通客户", "WEST", "", "", "", ""],  # as it is
        ["C300", "上海华建", "单位", "普通客户", "WEST", "", "", "", ""],  # new
    ]
    body = api_upload(client, auth, "customers", xlsx(headers("customers"), rows)).json()
    assert (body["to_create"], body["to_update"], body["unchanged"], body["error_rows"]) == (
        1,
        1,
        1,
        0,
    )
    assert [s["action_label"] for s in body["sample"]] == ["更新", "无变化", "新建"]
    done = client.post(
        f"/api/v1/imports/{body['id']}/confirm", {}, content_type="application/json", **auth
    ).json()
    assert done["status"] == "done" and done["message"] == "导入完成：新建 1 条，更新 1 条"

    c1 = Customer.objects.get(code="C001")
    update = history(c1).get()
    assert update.action == "update" and update.verb == "import" and update.actor == coordinator
    assert update.before == {"tier": "normal", "phone": ""}
    assert update.after == {"tier": "key", "phone": "021-1"}
    assert update.payload == {"import_job": body["id"], "row": 2}
    assert not history(world["c3"]).exists()
    new = Customer.objects.get(code="C300")
    create = history(new).get()
    assert create.action == "create" and create.after["name"] == "上海华建"
    assert create.after["name_initials"] == "shhj" and create.before is None

    job = ImportJob.objects.get(pk=body["id"])
    assert [(e.action, e.verb, e.to_state) for e in history(job).order_by("id")] == [
        ("create", "create", ""),
        ("transition", "validate", "validated"),
        ("transition", "confirm", "importing"),
        ("transition", "import", "done"),
    ]


def test_import_queries_do_not_grow_with_rows(world: dict[str, Any]) -> None:
    client, auth = api(world["coordinator"])
    t.equipment(world["s1"], world["model"], serial_no="OLD-1")

    def queries_for(count: int, prefix: str) -> int:
        rows = [eq_row(f"{prefix}-{i}", site=f"S00{1 + i % 3}") for i in range(count)]
        rows.append(eq_row("OLD-1", 软件版本=f"v{prefix}"))
        job = api_upload(client, auth, "equipment", xlsx(EQ, rows)).json()
        with CaptureQueriesContext(connection) as ctx:
            done = client.post(
                f"/api/v1/imports/{job['id']}/confirm", {}, content_type="application/json", **auth
            ).json()
        assert done["status"] == "done" and done["created_count"] == count, done
        return len(ctx.captured_queries)

    assert queries_for(3, "few") == queries_for(120, "many")
    records = AuditEvent.objects.filter(verb="import", action__in=["create", "update"])
    assert records.count() == 3 + 120 + 2


def test_rows_are_checked_again_at_import_time(world: dict[str, Any]) -> None:
    from aftersales.core.services import archive_record

    coordinator = world["coordinator"]
    client, auth = api(coordinator)
    body = api_upload(
        client, auth, "equipment", xlsx(EQ, [eq_row("R-1"), eq_row("R-2", site="S003")])
    ).json()
    assert body["error_rows"] == 0
    archive_record(Site.objects.get(code="S003"), actor=t.user("admin"))
    done = client.post(
        f"/api/v1/imports/{body['id']}/confirm", {}, content_type="application/json", **auth
    ).json()
    assert done["status"] == "failed" and done["message"] == "发现 1 行错误，未导入任何数据"
    assert texts(done) == ["第3行: 项目编号 S003 已归档或停用，不能使用"]
    assert not Equipment.objects.filter(serial_no__in=["R-1", "R-2"]).exists()


def test_jobs_are_private_to_their_uploader(world: dict[str, Any]) -> None:
    client, auth = api(world["coordinator"])
    body = api_upload(client, auth, "customers", xlsx(headers("customers"), [])).json()
    assert body["message"] == "文件中没有数据行"
    other_client, other_auth = api(t.user("coordinator"))
    assert other_client.get(f"/api/v1/imports/{body['id']}", **other_auth).status_code == 404
    assert other_client.get("/api/v1/imports", **other_auth).json()["items"] == []
    mine = client.get("/api/v1/imports", **auth).json()["items"]
    assert [j["id"] for j in mine] == [body["id"]] and mine[0]["kind_label"] == "客户"


def test_a_card_received_before_the_sale_is_a_row_error(world: dict[str, Any]) -> None:
    """10: the warranty card cannot come back before the sale — the model's rule, here too."""
    rows = [
        eq_row("SN-OK", **{"销售日期": "2024-05-01", "三包卡回寄日期": "2024-05-10"}),
        eq_row("SN-BAD", **{"销售日期": "2024-05-01", "三包卡回寄日期": "2024-04-20"}),
    ]
    client, auth = api(world["coordinator"])
    body = api_upload(client, auth, "equipment", xlsx(EQ, rows)).json()
    assert (body["to_create"], body["error_rows"]) == (1, 1)
    error = body["errors"][0]
    assert error["row"] == 3 and error["column"] == "三包卡回寄日期"
    assert "三包卡回寄日期不能早于销售日期" in error["text"]
