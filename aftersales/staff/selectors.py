"""Reads of the staff domain."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, QuerySet

from aftersales.core.visibility import visible
from aftersales.staff.models import AssessmentFact


def assessment_facts(
    user: Any,
    *,
    person_id: int | None = None,
    kind: str | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
) -> QuerySet[AssessmentFact]:
    """The facts ``user`` may see (a technician his own), newest first."""
    qs = visible(AssessmentFact, user).filter(archived_at__isnull=True)
    if person_id is not None:
        qs = qs.filter(person_id=person_id)
    if kind:
        qs = qs.filter(kind=kind)
    if since is not None:
        qs = qs.filter(occurred_at__gte=since)
    if until is not None:
        qs = qs.filter(occurred_at__lt=until)
    return qs.select_related("person").order_by("-occurred_at", "-id")


def fact_counts(user: Any, *, since: dt.datetime, until: dt.datetime) -> list[dict[str, Any]]:
    """Per person and kind, how many facts in [since, until) — the input of the monthly score."""
    rows = (
        assessment_facts(user, since=since, until=until)
        .values("person_id", "kind")
        .annotate(n=Count("id"))
        .order_by("person_id", "kind")
    )
    return [dict(r) for r in rows]
