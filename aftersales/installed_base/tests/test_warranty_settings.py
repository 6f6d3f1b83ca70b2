"""The warranty policy's settings an administrator edits change the decision: the card
deadline, the start event and a fitted part's own period (SPEC §3.2), read from the
database through the API and the equipment's components."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from aftersales import testing as t
from aftersales.accounts.services import issue_token
from aftersales.installed_base.models import EquipmentComponent
from aftersales.installed_base.selectors import warranty_status

pytestmark = pytest.mark.django_db


def _patch_policy(admin, policy, **changes) -> None:  # type: ignore[no-untyped-def]
    _, key = issue_token(user=admin)
    resp = Client().patch(
        f"/api/v1/warranty-policies/{policy.pk}",
        changes,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert resp.status_code == 200, resp.content
    for name, value in changes.items():
        assert resp.json()[name] == value


def test_card_deadline_days_edited_by_the_administrator_decides(admin) -> None:  # type: ignore[no-untyped-def]
    cat = t.category("agri", "农机")
    policy = t.policy(cat, months=12)
    reg = t.region()
    dealer = t.dealer(reg)
    eq = t.equipment(
        t.site(t.customer(reg, dealer)),
        t.product_model(cat),
        dealer=dealer,
        sale_date=dt.date(2026, 3, 1),
        card_status="received",
        card_received_date=dt.date(2026, 3, 26),  # day 25
    )
    today = dt.date(2026, 6, 1)
    late = warranty_status(eq, today)
    assert late.label == "不予保修"
    assert any("超过 20 天" in r for r in late.reasons)
    _patch_policy(admin, policy, card_deadline_days=30)
    eq.refresh_from_db()
    on_time = warranty_status(eq, today)
    assert (on_time.label, on_time.start) == ("保修期内", dt.date(2026, 3, 1))
    assert any("在 30 天内" in r for r in on_time.reasons)


def test_start_event_edited_by_the_administrator_decides(admin) -> None:  # type: ignore[no-untyped-def]
    cat = t.category("hvac", "空调")
    policy = t.policy(cat, months=12)
    reg = t.region()
    site = t.site(t.customer(reg), acceptance_date=None)
    eq = t.equipment(site, t.product_model(cat), sale_date=dt.date(2026, 1, 10))
    today = dt.date(2026, 6, 1)
    assert warranty_status(eq, today).label == "不予保修"  # counted from acceptance: none
    _patch_policy(admin, policy, start_event="sale")
    status = warranty_status(eq, today)
    assert (status.label, status.start, status.end) == (
        "保修期内",
        dt.date(2026, 1, 10),
        dt.date(2027, 1, 10),
    )


def test_a_fitted_parts_own_warranty_months_extend_its_cover(admin) -> None:  # type: ignore[no-untyped-def]
    """A 12-month unit (accepted 2025-06-01, to 2026-06-01) whose power supply was replaced in
    a warranty repair on 2026-04-01 with its own 3 months: the supply is covered to
    2026-07-01; without its own months it would get the component's 12. The months are
    edited through the service an administrator's edit goes through."""
    cat = t.category("led", "LED显示屏")
    t.policy(cat, months=12)
    eq = t.equipment(
        t.site(t.customer(t.region()), acceptance_date=dt.date(2025, 6, 1)),
        t.product_model(cat),
        acceptance_date=dt.date(2025, 6, 1),
    )
    part = EquipmentComponent.objects.create(
        equipment=eq,
        code="PSU",
        name="电源",
        fitted_date=dt.date(2026, 4, 1),
        fitted_in_warranty_repair=True,
        warranty_months=3,
    )
    from aftersales.installed_base.selectors import policy_for
    from aftersales.installed_base.warranty_facts import facts_of, fitted_parts_of, rule_policy
    from aftersales.warranty import rules

    def decide(day: dt.date) -> rules.WarrantyDecision:
        return rules.decide_warranty(
            policy=rule_policy(policy_for(eq)),  # type: ignore[arg-type]
            equipment=facts_of(eq),
            claim=rules.Claim(failure_date=day, component_code="PSU"),
            fitted_parts=fitted_parts_of(eq),
        )

    assert decide(dt.date(2026, 6, 20)).warranty_end == dt.date(2026, 7, 1)
    assert decide(dt.date(2026, 7, 1)).outcome is rules.Outcome.FREE
    assert decide(dt.date(2026, 7, 2)).outcome is rules.Outcome.CHARGEABLE
    from aftersales.core.services import update_record

    update_record(part, actor=admin, changes={"warranty_months": None})
    assert decide(dt.date(2026, 7, 2)).warranty_end == dt.date(2027, 4, 1)
    update_record(part, actor=admin, changes={"warranty_months": 3})
    assert decide(dt.date(2026, 7, 2)).outcome is rules.Outcome.CHARGEABLE


@pytest.fixture
def admin():  # type: ignore[no-untyped-def]
    return t.user("admin")


def test_a_card_received_before_the_sale_is_refused_as_input(admin) -> None:  # type: ignore[no-untyped-def]
    reg = t.region()
    eq = t.equipment(t.site(t.customer(reg)), t.product_model(), sale_date=dt.date(2026, 3, 1))
    api = Client(HTTP_AUTHORIZATION=f"Bearer {issue_token(user=admin)[1]}")
    resp = api.patch(
        f"/api/v1/equipment/{eq.pk}",
        {"card_received_date": "2026-02-20"},
        content_type="application/json",
    )
    assert resp.status_code == 422
    assert resp.json()["message"].endswith("三包卡回寄日期不能早于销售日期")
    eq.refresh_from_db()
    assert eq.card_received_date is None
