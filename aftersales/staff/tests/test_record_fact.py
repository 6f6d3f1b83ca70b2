"""``record_fact``: one fact per kind and source, whoever calls it how often."""

from __future__ import annotations

import datetime as dt

import pytest

from aftersales import testing as t
from aftersales.core.errors import ValidationFailed
from aftersales.core.models import AuditEvent, Region
from aftersales.staff.models import AssessmentFact, FactKind
from aftersales.staff.services import record_fact

pytestmark = pytest.mark.django_db
WHEN = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)


def test_idempotent_per_kind_and_source() -> None:
    tech = t.user("technician", username="tech")
    source = Region.objects.create(code="E", name="华东")
    first = record_fact(
        actor=None, person=tech, kind=FactKind.MISSED_INSPECTION, source=source, occurred_at=WHEN
    )
    again = record_fact(
        actor=None,
        person=tech,
        kind=FactKind.MISSED_INSPECTION,
        source=source,
        occurred_at=WHEN + dt.timedelta(days=1),
    )
    assert again.pk == first.pk and again.occurred_at == WHEN
    other_kind = record_fact(
        actor=None, person=tech, kind=FactKind.PERSON_COMPLAINT, source=source, occurred_at=WHEN
    )
    assert other_kind.pk != first.pk
    assert AssessmentFact.objects.count() == 2
    assert AuditEvent.objects.filter(verb="assessment_fact").count() == 2


def test_unknown_kind_or_no_person_is_refused() -> None:
    tech = t.user("technician", username="tech")
    source = Region.objects.create(code="E", name="华东")
    with pytest.raises(ValidationFailed):
        record_fact(actor=None, person=tech, kind="bonus", source=source, occurred_at=WHEN)
    with pytest.raises(ValidationFailed):
        record_fact(
            actor=None, person=None, kind=FactKind.LATE_ARRIVAL, source=source, occurred_at=WHEN
        )
    assert not AssessmentFact.objects.exists()
