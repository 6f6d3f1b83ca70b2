"""The quality loop's numbers are data an administrator edits (DeadlineRule rows, in the
admin), and an edit changes what happens next: the dealer's written-reply time and the
old-part return term."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib import admin
from django.utils import timezone

from aftersales.approvals.models import Deadline, DeadlineRule
from aftersales.approvals.testing import day
from aftersales.quality import selectors
from aftersales.quality.services import complaints, old_parts


def _dealer_complaint(w: Any, at: dt.datetime) -> Any:
    return complaints.register(
        actor=w.dealer_user_a,
        data=complaints.ComplaintInput(category="quality_defect", description="模组批量死灯"),
        now=at,
    )


def _due(c: Any) -> dt.datetime:
    return Deadline.objects.get(object_id=c.pk, step="reply", rule="quality.dealer_reply").due_at


def test_the_dealer_reply_time_is_the_rule_an_administrator_edits(w: Any) -> None:
    assert DeadlineRule in admin.site._registry
    first = _dealer_complaint(w, day(0))
    rule = DeadlineRule.objects.get(code="quality.dealer_reply")
    assert rule.amount == Decimal(24)
    rule.amount = Decimal(48)
    rule.save(update_fields=["amount", "updated_at"])
    second = _dealer_complaint(w, day(0))
    assert _due(second) > _due(first)
    just_after = _due(first) + dt.timedelta(minutes=1)
    overdue = selectors.ComplaintFilters(overdue=True)
    assert list(selectors.complaint_list(w.coordinator, overdue, just_after)) == [first]


def test_the_old_part_return_term_is_the_rule_an_administrator_edits(w: Any) -> None:
    now = day(0)
    before = old_parts.register(
        actor=w.coordinator, data=old_parts.OldPartInput(part_code="PSU-5V"), now=now
    )
    assert before.due_date == timezone.localdate(now) + dt.timedelta(days=15)
    DeadlineRule.objects.filter(code="quality.old_part_return").update(amount=Decimal(10))
    after = old_parts.register(
        actor=w.coordinator, data=old_parts.OldPartInput(part_code="PSU-5V"), now=now
    )
    assert after.due_date == timezone.localdate(now) + dt.timedelta(days=10)
