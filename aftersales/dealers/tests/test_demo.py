"""The demo has dealer work made through the services: cards in time, late and awaited,
tasks, claims in several states, and a settlement notice awaiting the dealer when the
quality check lets one through."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from aftersales.dealers.models import DealerTask, SettlementNotice, WarrantyCard, WarrantyClaim
from aftersales.dealers.services.cards import recognition

pytestmark = pytest.mark.django_db


def test_demo_dealer_work() -> None:
    call_command("load_demo", "--size", "small", stdout=io.StringIO())
    states = {recognition(c).state.value for c in WarrantyCard.objects.all()}
    assert states >= {"in_time", "late", "waiting"}, states
    assert DealerTask.objects.exists()
    claim_states = set(WarrantyClaim.objects.values_list("state", flat=True))
    assert len(claim_states) >= 3, claim_states
    for notice in SettlementNotice.objects.all():
        assert notice.state == "sent"
        assert notice.total == sum(c.accepted_amount for c in notice.claims.all())
