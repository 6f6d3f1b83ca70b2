"""「解决了」/「不相关」 on a suggested case: recorded once per person and ticket (a second
click changes the verdict), counted on the case with ``F()``, used by the ranking."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from aftersales.approvals import workflow
from aftersales.core import audit
from aftersales.core.errors import ValidationFailed
from aftersales.core.visibility import get_visible
from aftersales.knowledge.models import Case, Feedback, ReviewState, Verdict
from aftersales.knowledge.transitions import FEEDBACK_ROLES
from aftersales.service.models import Ticket

COUNTER: dict[str, str] = {
    Verdict.SOLVED.value: "solved_count",
    Verdict.NOT_RELEVANT.value: "not_relevant_count",
}


@transaction.atomic
def feedback_record(
    *,
    actor: Any,
    case: Case,
    verdict: str,
    ticket_id: int | None = None,
    query: str = "",
    now: dt.datetime | None = None,
) -> Feedback:
    workflow.require_role(actor, FEEDBACK_ROLES, "反馈案例是否有用")
    if verdict not in COUNTER:
        raise ValidationFailed("反馈须为「解决了」或「不相关」", field="verdict")
    if case.state != ReviewState.PUBLISHED:
        raise ValidationFailed("只能反馈已发布的案例", field="case")
    now = now or timezone.now()
    ticket = get_visible(Ticket, actor, pk=ticket_id) if ticket_id is not None else None
    existing = (
        Feedback.objects.select_for_update().filter(case=case, user=actor, ticket=ticket).first()
        if ticket is not None
        else None
    )
    if existing is not None and existing.verdict == verdict:
        return existing
    if existing is not None:
        before = existing.verdict
        Case.objects.filter(pk=case.pk).update(**{COUNTER[before]: F(COUNTER[before]) - 1})
        existing.verdict = verdict
        existing.save(update_fields=["verdict", "updated_at"])
        fb = existing
        audit.record(
            fb, actor=actor, action="update", before={"verdict": before}, after={"verdict": verdict}
        )
    else:
        fb = Feedback.objects.create(
            case=case,
            verdict=verdict,
            user=actor if getattr(actor, "pk", None) else None,
            ticket=ticket,
            query=str(query or "")[:500],
            created_at=now,
        )
        audit.record(fb, actor=actor, action="create", after=audit.snapshot(fb), at=now)
    Case.objects.filter(pk=case.pk).update(**{COUNTER[verdict]: F(COUNTER[verdict]) + 1})
    return fb
