"""The company's particulars as every page reads them (name, service hotline), cached per
process and dropped when an administrator saves a new row."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from aftersales.core.cache import TimedCache
from aftersales.core.models import CompanySettings
from aftersales.core.said import Said

DEFAULT_RETENTION_YEARS = 5
_DIALABLE = re.compile(r"^\+?[0-9][0-9 \-]*$")


@dataclass(frozen=True)
class Company:
    name: str  # shown to customers (labels, report letterhead); "" when not configured
    hotline: str  # as written, e.g. "400-820-1234"; "" when not configured
    logo: str = ""  # the stored name of the logo image (MEDIA_ROOT-relative); "" when none
    retention_years: int = DEFAULT_RETENTION_YEARS  # kept at least this long after a change

    @property
    def hotline_tel(self) -> str:
        """The ``tel:`` target: digits (and a leading +) only."""
        return dial_digits(self.hotline)


def dial_digits(number: str) -> str:
    text = number.strip()
    if not _DIALABLE.match(text):
        return ""
    return ("+" if text.startswith("+") else "") + re.sub(r"\D", "", text)


def _load() -> Company:
    row = CompanySettings.objects.filter(archived_at__isnull=True).order_by("-created_at", "-id")
    found = row.first()
    if found is None:
        return Company(name="", hotline="")
    return Company(
        name=found.company_name.strip(),
        hotline=found.hotline.strip(),
        retention_years=found.retention_years,
        logo=found.logo.name or "",
    )


_CACHE: TimedCache[Company] = TimedCache(CompanySettings)


def company() -> Company:
    return _CACHE.get("company", _load)


def hotline_phrase() -> str:
    """「服务热线」, with the number when one is configured (for plain-text messages)."""
    number = company().hotline
    return Said("服务热线（%(number)s）", number=number) if number else "服务热线"


def context(request: Any) -> dict[str, Any]:
    """``company`` in every template (read lazily: pages that do not show it pay nothing)."""
    from django.utils.functional import SimpleLazyObject

    return {"company": SimpleLazyObject(company)}
