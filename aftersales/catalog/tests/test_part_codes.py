"""9#4: a typed part code matches whatever its case, in one place for every form and API."""

from __future__ import annotations

from decimal import Decimal

import pytest

from aftersales.catalog.models import Part
from aftersales.catalog.selectors import code_key, parts_by_code
from aftersales.core.errors import ValidationFailed

pytestmark = pytest.mark.django_db


def test_codes_match_case_insensitively_and_trimmed() -> None:
    psu = Part.objects.create(code="PSU-5V", name="5V电源模块", price=Decimal("150.00"))
    old = Part.objects.create(code="OLD-1", name="停用件", price=Decimal("1.00"))
    old.archived_at = old.created_at
    old.save()
    found = parts_by_code([" psu-5v ", "Psu-5V", "old-1", "", None])
    assert found == {"PSU-5V": psu}
    assert found.get(code_key("psu-5v ")) == psu


def test_two_parts_differing_only_in_case_are_refused() -> None:
    Part.objects.create(code="ab-1", name="甲", price=Decimal("1.00"))
    Part.objects.create(code="AB-1", name="乙", price=Decimal("1.00"))
    with pytest.raises(ValidationFailed, match="仅大小写不同"):
        parts_by_code(["Ab-1"])
