"""Retention (保存年限): business records are never deleted by the system; each is kept at
least ``CompanySettings.retention_years`` (default 5) after its last change. Records past
that are listed for the administrator to export and handle by the company's own rules.

``updated_at`` is the last change; a record changed again starts its period again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.utils import timezone

from aftersales.core.company import company
from aftersales.core.models import BusinessModel


@dataclass(frozen=True)
class PastRetention:
    label: str  # app_label.model
    name: str  # verbose name
    count: int


def cutoff(now: dt.datetime | None = None, years: int | None = None) -> dt.datetime:
    """Records last changed before this instant are past retention."""
    now = timezone.localtime(now or timezone.now())
    years = company().retention_years if years is None else years
    try:
        return now.replace(year=now.year - years)
    except ValueError:  # 29 February
        return now.replace(year=now.year - years, day=28)


def business_models() -> list[type[BusinessModel]]:
    return sorted(
        (m for m in apps.get_models() if issubclass(m, BusinessModel)),
        key=lambda m: m._meta.label_lower,
    )


def past_retention(now: dt.datetime | None = None) -> list[PastRetention]:
    """Per business model, how many records are past retention (models with none left out)."""
    limit = cutoff(now)
    out = []
    for model in business_models():
        n = model._default_manager.filter(updated_at__lt=limit).count()
        if n:
            out.append(PastRetention(model._meta.label_lower, str(model._meta.verbose_name), n))
    return out


def rows(now: dt.datetime | None = None) -> Iterator[list[Any]]:
    """The export: one row per record past retention."""
    limit = cutoff(now)
    for model in business_models():
        qs = model._default_manager.filter(updated_at__lt=limit).order_by("pk")
        for record in qs.iterator(chunk_size=500):
            yield [
                str(model._meta.verbose_name),
                model._meta.label_lower,
                record.pk,
                str(record)[:200],
                timezone.localtime(record.created_at).strftime("%Y-%m-%d"),
                timezone.localtime(record.updated_at).strftime("%Y-%m-%d"),
                timezone.localtime(record.archived_at).strftime("%Y-%m-%d")
                if record.archived_at
                else "",
            ]


HEADER = ["记录类型", "模型", "ID", "记录", "创建日期", "最后变更", "归档日期"]
