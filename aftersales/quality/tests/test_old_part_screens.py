"""Old parts through the API and the pages: a dealer sees its own (others' 404, no appraisal
text or supplier), the keeper receives with a bin, the technical department appraises, the
settlement check answers with its Chinese reasons; the list, tag and export render."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from aftersales.parts.tests.test_api import call
from aftersales.quality.models import OldPart
from aftersales.quality.tests.test_old_parts import old_part_world, repaired, the_old_part

pytestmark = pytest.mark.django_db

SECRET = "驱动IC批次失效（内部鉴定）"


@pytest.fixture
def w(db: Any) -> dict[str, Any]:
    return old_part_world()


def client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_the_api_path_from_return_to_supplier_claim(w: dict[str, Any]) -> None:
    mine = the_old_part(repaired(w))
    theirs = the_old_part(repaired(w, "e2"))
    base = "/api/v1/quality/old-parts"
    listed = call("get", base, w["dealer1"])["items"]
    assert [x["number"] for x in listed] == [mine.number]
    call("get", f"{base}/{theirs.pk}", w["dealer2"])  # its own
    call("get", f"{base}/{mine.pk}", w["dealer2"], status=404)
    call("post", f"{base}/{mine.pk}/ship", w["dealer2"], {"waybill": "X"}, status=404)
    call("get", f"{base}/{mine.pk}", w["cust1"], status=404)
    check = call("get", f"{base}/settlement-check?ticket_id={mine.ticket_id}", w["dealer1"])
    assert check["settleable"] is False and mine.number in check["reasons"][0]
    out = call("post", f"{base}/{mine.pk}/ship", w["dealer1"], {"waybill": "SF001"})
    assert out["state"] == "shipped" and "ship" not in out["allowed_actions"]
    call(
        "post",
        f"{base}/{mine.pk}/receive",
        w["keeper"],
        {"warehouse_id": w["store"].pk, "bin_id": w["bin"].pk},
    )
    body = {
        "disposition": "supplier_claim",
        "appraisal": SECRET,
        "supplier": "深圳某某光电",
        "supplier_email": "qa@supplier.example.com",
    }
    call("post", f"{base}/{mine.pk}/appraise", w["keeper"], body, status=403)
    staff = call("post", f"{base}/{mine.pk}/appraise", w["engineer"], body)
    assert staff["state"] == "supplier_claim" and staff["appraisal"] == SECRET
    seen = call("get", f"{base}/{mine.pk}", w["dealer1"])
    assert seen["appraisal"] == "" and seen["supplier"] == ""
    assert SECRET not in str(seen)
    assert {e["action"] for e in seen["timeline"]} >= {"旧件已寄回", "旧件已完成鉴定"}
    assert call("get", f"{base}/settlement-check?ticket_id={mine.ticket_id}", w["dealer1"])[
        "settleable"
    ]
    call("get", f"{base}/settlement-check?ticket_id={mine.ticket_id}", w["dealer2"], status=404)


def test_api_bad_input_is_refused_in_chinese_and_writes_nothing(w: dict[str, Any]) -> None:
    base = "/api/v1/quality/old-parts"
    err = call("post", base, w["coordinator"], {"part_code": "NOPE"}, status=422)
    assert "配件编码不存在" in str(err)
    call("post", base, w["coordinator"], {"part_code": "X" * 41}, status=422)
    assert not OldPart.objects.exists()
    made = call(
        "post",
        base,
        w["coordinator"],
        {"part_code": "MOD-P3", "source": "return", "source_note": "TH20261201-0001"},
        status=201,
    )
    assert made["number"].startswith("JJ") and made["state"] == "pending"


def test_the_pages(w: dict[str, Any]) -> None:
    op = the_old_part(repaired(w))
    other = the_old_part(repaired(w, "e2"))
    keeper = client(w["keeper"])
    page = keeper.get("/quality/old-parts/").content.decode()
    assert op.number in page and other.number in page
    detail = keeper.get(f"/quality/old-parts/{op.pk}/").content.decode()
    assert 'data-testid="receive-form"' in detail
    resp = keeper.post(
        f"/quality/old-parts/{op.pk}/act/receive/",
        {"warehouse_id": w["store"].pk},
        follow=True,
    )
    assert "请选择售后总库的库位" in resp.content.decode()
    keeper.post(
        f"/quality/old-parts/{op.pk}/act/receive/",
        {"warehouse_id": w["store"].pk, "bin_id": w["bin"].pk},
    )
    op.refresh_from_db()
    assert op.state == "received"
    engineer = client(w["engineer"])
    assert (
        'data-testid="appraise-form"'
        in engineer.get(f"/quality/old-parts/{op.pk}/").content.decode()
    )
    engineer.post(
        f"/quality/old-parts/{op.pk}/act/appraise/",
        {"disposition": "scrap", "appraisal": SECRET},
    )
    op.refresh_from_db()
    assert op.state == "scrapped"
    dealer = client(w["dealer1"])
    mine = dealer.get(f"/quality/old-parts/{op.pk}/").content.decode()
    assert op.number in mine and SECRET not in mine and "报废" in mine
    assert dealer.get(f"/quality/old-parts/{other.pk}/").status_code == 404
    assert dealer.get(f"/quality/old-parts/{other.pk}/tag/").status_code == 404
    assert client(w["cust1"]).get(f"/quality/old-parts/{op.pk}/").status_code == 404
    tag = keeper.get(f"/quality/old-parts/{other.pk}/tag/").content.decode()
    assert other.number in tag and "MOD-P3" in tag
    xlsx = keeper.get("/quality/old-parts/export.xlsx?state=all")
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd")
