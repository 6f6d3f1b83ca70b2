"""Claims and settlement: priced from the price list valid on the repair date, appraised,
settled only with the signed record and the old part back; the notice's total equals its
claims; confirmation books exactly one ledger entry; a dispute books none."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from aftersales import testing as t
from aftersales.catalog.models import PriceList, PriceListItem
from aftersales.core.errors import Conflict, PermissionDenied, ValidationFailed
from aftersales.dealers.models import LedgerEntry, SettlementNotice, WarrantyClaim
from aftersales.dealers.services import claims
from aftersales.parts.tests.test_api import call
from aftersales.quality.services import old_parts
from aftersales.quality.tests.test_old_parts import old_part_world, repaired, the_old_part

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def w(db: Any) -> dict[str, Any]:
    w = old_part_world()
    w["finance"] = t.user("finance", username="fin1")
    return w


def xlsx_rows(user: Any, url: str) -> list[tuple[Any, ...]]:
    import io

    from django.test import Client
    from openpyxl import load_workbook

    c = Client()
    c.force_login(user)
    resp = c.get(url)
    assert resp.status_code == 200, url
    return list(load_workbook(io.BytesIO(resp.content)).active.iter_rows(values_only=True))


def claim_for(w: dict[str, Any], report: Any, **kw: Any) -> WarrantyClaim:
    return claims.submit(
        actor=w["dealer1"],
        data=claims.ClaimInput(
            ticket_id=report.ticket_id,
            repair_date=kw.pop("repair_date", timezone.localdate()),
            description="更换P3模组",
            parts=[claims.PartIn("MOD-P3", 2)],
            labour_hours=kw.pop("labour_hours", "1.5"),
            visit=True,
            distance_km="30",
        ),
    )


def test_the_claim_reads_the_price_list_valid_on_the_repair_date(w: dict[str, Any]) -> None:
    report = repaired(w)
    today = timezone.localdate()
    old = PriceList.objects.get(code="STD")
    old.valid_to = today - dt.timedelta(days=10)
    old.save()
    PriceListItem.objects.create(price_list=old, part=w["parts"][1], price=D("200.00"))
    new = PriceList.objects.create(
        code="STD2",
        name="新收费标准",
        valid_from=today - dt.timedelta(days=9),
        labour_rate_per_hour=D("120.00"),
        travel_rate_per_km=D("3.00"),
        travel_flat_fee=D("80.00"),
        minimum_labour_hours=D("2.00"),
    )
    PriceListItem.objects.create(price_list=new, part=w["parts"][1], price=D("230.00"))
    early = claim_for(w, report, repair_date=today - dt.timedelta(days=12))
    # old list: 2 × 200 + 1.5 h × 100 + 30 km × 2
    assert early.price_list_id == old.pk and early.claimed_amount == D("610.00")
    late = claim_for(w, report, repair_date=today)
    # new list: 2 × 230 + min 2 h × 120 + flat 80
    assert late.price_list_id == new.pk and late.claimed_amount == D("780.00")


def test_bad_amounts_are_refused_and_nothing_written(w: dict[str, Any]) -> None:
    report = repaired(w)
    for hours, message in (("1,5", "不要带逗号"), ("-1", "不能为负数")):
        with pytest.raises(ValidationFailed, match=message):
            claim_for(w, report, labour_hours=hours)
    with pytest.raises(ValidationFailed, match="晚于今天"):
        claim_for(w, report, repair_date=timezone.localdate() + dt.timedelta(days=1))
    assert WarrantyClaim.objects.count() == 0


def test_settlement_flow_and_ledger(w: dict[str, Any]) -> None:
    report = repaired(w)
    claim = claim_for(w, report)
    with pytest.raises(PermissionDenied):
        claims.appraise(actor=w["dealer1"], claim_id=claim.pk, decision="accept")
    with pytest.raises(ValidationFailed, match="理由"):
        claims.appraise(actor=w["qd"], claim_id=claim.pk, decision="partly")
    labour = claim.lines.get(kind="labour")
    claims.appraise(
        actor=w["qd"],
        claim_id=claim.pk,
        decision="partly",
        reason="工时超标",
        line_amounts={labour.pk: "100.00"},
    )
    claim.refresh_from_db()
    assert claim.accepted_amount == claim.claimed_amount - labour.amount + D("100.00")
    period = (timezone.localdate() - dt.timedelta(days=30), timezone.localdate())
    # the old part is not back: refused with the reason, nothing written
    with pytest.raises(Conflict, match="旧件及维修记录未返回，不能结算") as exc:
        claims.issue_notice(
            actor=w["finance"], dealer_id=w["d1"].pk, period_start=period[0], period_end=period[1]
        )
    assert exc.value.code == "old_part_missing"
    assert SettlementNotice.objects.count() == 0
    assert WarrantyClaim.objects.get(pk=claim.pk).state == "partly"
    op = the_old_part(report)
    old_parts.ship(actor=w["dealer1"], old_part=op, waybill="YT1")
    old_parts.receive(
        actor=w["keeper"], old_part=op, warehouse_id=w["store"].pk, bin_id=w["bin"].pk
    )
    notice = claims.issue_notice(
        actor=w["finance"], dealer_id=w["d1"].pk, period_start=period[0], period_end=period[1]
    )
    assert notice.total == claim.accepted_amount
    # the dealer disputes: back to appraisal, no ledger
    claims.dispute_notice(actor=w["dealer1"], notice_id=notice.pk, reason="人工费应全额")
    assert LedgerEntry.objects.count() == 0
    assert WarrantyClaim.objects.get(pk=claim.pk).state == "submitted"
    claims.appraise(actor=w["qd"], claim_id=claim.pk, decision="accept")
    second = claims.issue_notice(
        actor=w["finance"], dealer_id=w["d1"].pk, period_start=period[0], period_end=period[1]
    )
    assert second.total == claim.claimed_amount
    before = w["d1"].receivables
    for _ in range(2):  # a double click books once
        claims.confirm_notice(actor=w["dealer1"], notice_id=second.pk)
    entries = LedgerEntry.objects.filter(dealer=w["d1"])
    assert [e.amount for e in entries] == [-second.total]
    w["d1"].refresh_from_db()
    assert w["d1"].receivables == before - second.total == entries[0].balance
    assert WarrantyClaim.objects.get(pk=claim.pk).state == "settled"
    [totals] = call("get", "/api/v1/dealer-claims/totals", w["dealer1"])
    assert totals["settled"] == totals["accepted"] == str(second.total)
    assert totals["awaiting"] == totals["in_settlement"] == "0.00"
    # finance's Excel of the notices: the dealer's own, confirmed, with its claim
    sheet = xlsx_rows(w["dealer1"], "/dealers/notices/?format=xlsx")
    assert sheet[0][:5] == ("核销通知号", "经销商", "期间起", "期间止", "核销金额")
    assert [(r[0], r[4], r[5], r[9]) for r in sheet[1:]] == [
        (second.number, float(second.total), "已确认核销", claim.number),
        (notice.number, float(notice.total), "经销商有异议", None),  # its claims went back
    ]
    assert len(xlsx_rows(w["dealer2"], "/dealers/notices/?format=xlsx")) == 1  # header only


def test_claim_api_visibility(w: dict[str, Any]) -> None:
    report = repaired(w)
    body = {
        "ticket_id": report.ticket_id,
        "repair_date": str(timezone.localdate()),
        "description": "更换模组",
        "parts": [{"part_code": "MOD-P3", "quantity": "1"}],
        "labour_hours": "1",
    }
    made = call("post", "/api/v1/dealer-claims", w["dealer1"], body, status=201)
    assert made["claimed_amount"] == "320.00" and len(made["lines"]) == 2
    call("get", f"/api/v1/dealer-claims/{made['id']}", w["dealer2"], status=404)
    assert call("get", "/api/v1/dealer-claims", w["dealer2"])["items"] == []
    bad = call(
        "post", "/api/v1/dealer-claims", w["dealer1"], {**body, "labour_hours": "1,5"}, status=422
    )
    assert "逗号" in bad["message"]
    call("post", f"/api/v1/dealer-claims/{made['id']}/appraise", w["qd"], {"decision": "accept"})
    assert call("get", "/api/v1/dealer-ledger", w["dealer2"])["items"] == []


def test_portal_pages(w: dict[str, Any]) -> None:
    from django.test import Client

    report = repaired(w)
    claim = claim_for(w, report)

    def web(user: Any) -> Client:
        c = Client()
        c.force_login(user)
        return c

    dealer, other, qd = web(w["dealer1"]), web(w["dealer2"]), web(w["qd"])
    for url in ("/dealers/claims/", "/dealers/notices/", "/dealers/ledger/", "/dealers/tasks/"):
        assert dealer.get(url).status_code == 200, url
        assert qd.get(url).status_code == 200, url
    assert claim.number in dealer.get("/dealers/claims/").content.decode()
    assert claim.number not in other.get("/dealers/claims/").content.decode()
    assert other.get(f"/dealers/claims/{claim.pk}/").status_code == 404
    page = qd.get(f"/dealers/claims/{claim.pk}/").content.decode()
    assert 'data-testid="appraise"' in page
    qd.post(f"/dealers/claims/{claim.pk}/appraise/", {"decision": "reject"})
    assert WarrantyClaim.objects.get(pk=claim.pk).state == "submitted"  # a reason is needed
    qd.post(f"/dealers/claims/{claim.pk}/appraise/", {"decision": "reject", "reason": "非质量原因"})
    assert WarrantyClaim.objects.get(pk=claim.pk).state == "rejected"
    assert dealer.get("/dealers/ledger/?format=xlsx").status_code == 200


def test_a_repair_outside_warranty_cannot_be_claimed(w: dict[str, Any]) -> None:
    from aftersales.service.models import Ticket
    from aftersales.service.services import warranty

    report = repaired(w)
    ticket = Ticket.objects.get(pk=report.ticket_id)
    warranty.override(
        actor=w["coordinator"], ticket=ticket, outcome="chargeable", reason="超出保修期"
    )
    count = WarrantyClaim.objects.count()
    with pytest.raises(Conflict, match="不属于三包维修") as err:
        claim_for(w, report)
    assert err.value.code == "not_in_warranty"
    assert WarrantyClaim.objects.count() == count


def test_a_dealer_created_with_a_starting_balance_gets_its_opening_entry(w: dict[str, Any]) -> None:
    from aftersales.core.models import Region
    from aftersales.dealers.models import Dealer

    admin = t.user("admin", username="dealer_admin")
    region = Region.objects.first()
    for code, balance in (("NEW1", "1234.50"), ("NEW0", "0")):
        call(
            "post",
            "/api/v1/dealers",
            admin,
            {
                "code": code,
                "name": f"新经销商{code}",
                "region_id": region.pk,
                "receivables": balance,
            },
            status=201,
        )
    new = Dealer.objects.get(code="NEW1")
    [entry] = LedgerEntry.objects.filter(dealer=new)
    assert (entry.kind, entry.amount, entry.balance) == ("opening", D("1234.50"), D("1234.50"))
    assert new.receivables == D("1234.50")  # recorded, not added twice
    assert not LedgerEntry.objects.filter(dealer__code="NEW0").exists()


def test_a_dealer_added_in_the_back_office_gets_its_opening_entry_and_keeps_it(
    w: dict[str, Any],
) -> None:
    from django.test import Client

    from aftersales.dealers.models import Dealer

    c = Client()
    c.force_login(t.user("admin", username="office_admin", is_staff=True, is_superuser=True))
    region = w["d1"].region
    form = {"code": "D-NEW", "name": "新开经销商", "level": "B", "region": region.pk}
    form |= {"contact_name": "", "phone": "", "address": "", "receivables": "1234.50"}
    assert c.post("/admin/dealers/dealer/add/", form).status_code == 302
    dealer = Dealer.objects.get(code="D-NEW")
    [entry] = LedgerEntry.objects.filter(dealer=dealer)
    assert (entry.kind, entry.amount, entry.balance) == ("opening", D("1234.50"), D("1234.50"))
    assert dealer.receivables == D("1234.50")
    # afterwards the balance moves only by ledger entries: the change form cannot set it
    form |= {"name": "新开经销商（改名）", "receivables": "0.00"}
    assert c.post(f"/admin/dealers/dealer/{dealer.pk}/change/", form).status_code == 302
    dealer.refresh_from_db()
    assert dealer.name == "新开经销商（改名）" and dealer.receivables == D("1234.50")
    assert LedgerEntry.objects.filter(dealer=dealer).count() == 1


def test_accepted_amounts_accumulate_per_dealer(w: dict[str, Any]) -> None:
    from django.test import Client

    report = repaired(w)
    first, second, third, waiting = (claim_for(w, report) for _ in range(4))
    claims.appraise(actor=w["qd"], claim_id=first.pk, decision="accept")
    labour = second.lines.get(kind="labour")
    claims.appraise(
        actor=w["qd"],
        claim_id=second.pk,
        decision="partly",
        reason="工时超标",
        line_amounts={labour.pk: "0"},
    )
    claims.appraise(actor=w["qd"], claim_id=third.pk, decision="reject", reason="非三包范围")
    # 2 × 220 (MOD-P3) + 1.5 h × 100 + 30 km × 2 = 650; the partly one without its 150 labour
    assert first.claimed_amount == D("650.00") == second.claimed_amount
    assert labour.amount == D("150.00")
    [mine] = call("get", "/api/v1/dealer-claims/totals", w["dealer1"])
    assert (mine["dealer_id"], mine["claims"]) == (w["d1"].pk, 2)
    assert (mine["accepted"], mine["awaiting"], mine["settled"]) == ("1150.00", "1150.00", "0.00")
    assert call("get", "/api/v1/dealer-claims/totals", w["dealer2"]) == []
    c = Client()
    c.force_login(w["dealer1"])
    page = c.get("/dealers/claims/").content.decode()
    assert 'data-testid="accepted">1150.00<' in page
    sheet = xlsx_rows(w["dealer1"], "/dealers/claims/?format=xlsx")
    by_number = {r[0]: r for r in sheet[1:]}
    assert set(by_number) == {first.number, second.number, third.number, waiting.number}
    assert by_number[second.number][4:7] == ("部分同意", 650, 500)
    assert by_number[third.number][4:8] == ("鉴定驳回", 650, 0, "非三包范围")
    assert len(xlsx_rows(w["dealer2"], "/dealers/claims/?format=xlsx")) == 1
    from aftersales.dealers.tests.test_plan_pages import english

    assert english(c, "/dealers/claims/") == []
    assert waiting.state == "submitted"
