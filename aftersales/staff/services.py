"""Writes of the staff domain: assessment facts (考核事实) recorded by other domains."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction

from aftersales.core import audit
from aftersales.core.errors import ValidationFailed
from aftersales.staff.models import AssessmentFact, FactKind


def record_fact(
    *,
    actor: Any,
    person: Any,
    kind: str,
    source: models.Model,
    occurred_at: dt.datetime,
    details: dict[str, Any] | None = None,
) -> AssessmentFact:
    """Record that ``kind`` happened to ``person`` on ``source`` (a report, a work order, a
    callback …). Idempotent per (kind, source): a second call returns the first fact
    unchanged, so a retried job or a re-run never counts a thing twice."""
    if kind not in FactKind.values:
        raise ValidationFailed("考核事实类型无效", field="kind")
    if person is None or not getattr(person, "pk", None):
        raise ValidationFailed("考核事实必须指明人员", field="person")
    source_type = ContentType.objects.get_for_model(source, for_concrete_model=True)
    key = {"kind": kind, "source_type": source_type, "source_id": str(source.pk)}
    existing = AssessmentFact.objects.filter(**key).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            fact = AssessmentFact.objects.create(
                **key,
                person=person,
                source_repr=str(source)[:200],
                occurred_at=occurred_at,
                details=audit._jsonable(details or {}),
            )
            audit.record(
                fact,
                actor=actor,
                action="create",
                verb="assessment_fact",
                after=audit.snapshot(fact),
            )
    except IntegrityError:  # a concurrent call recorded it first
        return AssessmentFact.objects.get(**key)
    return fact
