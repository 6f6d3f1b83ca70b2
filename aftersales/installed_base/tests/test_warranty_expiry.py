"""Sales is told once per unit when its warranty is about to end; the period is the
administrator's rule (``installed_base.warranty_notice``, default 30 days)."""

from __future__ import annotations

import datetime as dt

import pytest

from aftersales import testing as t
from aftersales.approvals.testing import edit_rule
from aftersales.installed_base import expiry
from aftersales.installed_base.selectors import warranty_status
from aftersales.notifications.models import Notification

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 3)


def _world():  # type: ignore[no-untyped-def]
    cat = t.category("hvac", "空调")
    t.policy(cat, months=12)
    reg = t.region()
    site = t.site(t.customer(reg, None, name="杭州东站"))
    model = t.product_model(cat)
    # 12 months from acceptance: ends 2026-12-20 (in 17 days) and 2027-02-20 (in 79 days)
    soon = t.equipment(site, model, serial_no="AC-SOON", acceptance_date=dt.date(2025, 12, 20))
    later = t.equipment(site, model, serial_no="AC-LATER", acceptance_date=dt.date(2026, 2, 20))
    gone = t.equipment(site, model, serial_no="AC-GONE", acceptance_date=dt.date(2025, 1, 1))
    return soon, later, gone


def _notices(serial: str) -> list[Notification]:
    return [n for n in Notification.objects.all() if serial in n.subject]


def test_sales_is_told_once_per_unit_within_the_period() -> None:
    soon, _later, _gone = _world()
    assert warranty_status(soon, TODAY).end == dt.date(2026, 12, 20)
    sales = t.user("sales")
    t.user("agent")  # not sales: not told
    assert expiry.announce_expiring(TODAY) == 1
    told = _notices("AC-SOON")
    assert told and {n.recipient_id for n in told} == {sales.pk}
    assert "2026-12-20" in told[0].body and "17 天" in told[0].body
    assert not _notices("AC-LATER") and not _notices("AC-GONE")
    # the next day's run (and a second worker's) tells nobody again
    assert expiry.announce_expiring(TODAY) == 0
    assert expiry.announce_expiring(TODAY + dt.timedelta(days=1)) == 0
    assert len(_notices("AC-SOON")) == len(told)


def test_the_period_is_the_administrators_rule() -> None:
    _world()
    t.user("sales")
    edit_rule(expiry.NOTICE_RULE, amount=90)
    assert expiry.announce_expiring(TODAY) == 2
    assert _notices("AC-LATER")


def test_nobody_in_sales_writes_nothing() -> None:
    _world()
    assert expiry.announce_expiring(TODAY) == 0
    assert not Notification.objects.exists()
