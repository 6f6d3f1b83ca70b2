"""10: the cause of a failure has one list (ADR 0008). The parts request's analysis
(SPEC §4.2) and the warranty decision / service report (SPEC §3.2) used two lists for the same
idea — ``parts.Cause`` and ``warranty.CauseClass`` — each with its own idea of which causes
are the company's. Now both choose from ``warranty.rules.CauseClass``, and whether a cause is
free is decided by one set, ``QUALITY_CAUSES``."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from aftersales.parts.models import PartsRequest
from aftersales.service.views.display import CAUSE_CHOICES as REPORT_CAUSES
from aftersales.warranty.rules import (
    CAUSE_CHOICES,
    CAUSE_LABELS,
    QUALITY_CAUSES,
    CauseClass,
    Claim,
    Outcome,
)
from aftersales.warranty.tests.test_rules import decide

ROOT = Path(__file__).resolve().parents[2]  # the aftersales package
# the values parts requests stored before the lists were joined, and the warranty's
PARTS_VALUES = {
    "development",
    "process",
    "material",
    "production",
    "customer_damage",
    "discounted",
    "expired",
}
WARRANTY_VALUES = {
    "manufacturing",
    "assembly",
    "material",
    "installation",
    "misuse",
    "wrong_operation",
    "unstable_voltage",
    "modification",
    "force_majeure",
    "transport_storage",
}


def test_every_screen_chooses_from_the_one_list_with_the_stored_values_kept() -> None:
    values = {c.value for c in CauseClass}
    assert values == PARTS_VALUES | WARRANTY_VALUES  # nothing stored needs migrating
    field = PartsRequest._meta.get_field("cause")
    assert [v for v, _ in field.choices] == [v for v, _ in CAUSE_CHOICES]
    assert list(REPORT_CAUSES) == list(CAUSE_CHOICES)
    assert set(CAUSE_LABELS) == set(CauseClass)


def test_no_other_cause_list_is_defined() -> None:
    """Grep-able: a cause is defined as a list member in warranty/rules.py only (a demo's
    single constant naming one cause is not a list)."""
    values = "development|manufacturing|customer_damage|misuse"
    # an enum member (indented, in a class) or a (value, label) choice pair
    member = re.compile(rf'^\s+[A-Z_]+\s*=\s*"({values})"|\("({values})",\s*"', re.M)
    found = []
    for path in ROOT.rglob("*.py"):
        rel = path.relative_to(ROOT)
        if "migrations" in rel.parts or "tests" in rel.parts:
            continue
        if member.search(path.read_text(encoding="utf-8")):
            found.append(str(rel))
    assert found == ["warranty/rules.py"]


@pytest.mark.parametrize("cause", list(CauseClass))
def test_one_set_says_which_causes_are_free(cause: CauseClass) -> None:
    outcome = decide(Claim(date(2025, 6, 1), cause)).outcome
    if cause in QUALITY_CAUSES:
        assert outcome is Outcome.FREE
    else:
        assert outcome is Outcome.PARTS_AT_COST
    quality = {"manufacturing", "assembly", "material", "installation"}
    quality |= {"development", "process", "production"}  # SPEC §4.2's quality causes
    assert cause.is_quality == (cause.value in quality)
