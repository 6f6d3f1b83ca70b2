"""Maintaining the pre-aggregated facts (ADR 0006): a day's facts of every panel are deleted
and rebuilt from the rows in one transaction, under an advisory lock, so two workers
rebuilding the same days one after the other leave one set of facts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import connection, transaction
from django.utils import timezone

from aftersales.reports import registry
from aftersales.reports.models import PanelFact, SummaryDay

LOCK_KEY = 0x5245_5054  # "REPT": one builder at a time
BATCH = 5000
RECENT_DAYS = 62  # the nightly rebuild: late reports, callbacks and resolutions land here


def build(start: dt.date, end: dt.date, panels: Iterable[str] | None = None) -> int:
    """Rebuild the facts of the local days ``start``..``end`` (inclusive); returns how many
    fact rows were written."""
    if end < start:
        return 0
    chosen = [p for p in registry.panels() if panels is None or p.key in set(panels)]
    stop = end + dt.timedelta(days=1)
    written = 0
    with transaction.atomic():
        with connection.cursor() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
        for panel in chosen:
            PanelFact.objects.filter(panel=panel.key, day__gte=start, day__lte=end).delete()
            batch: list[PanelFact] = []
            for fact in panel.collect(start, stop):
                batch.append(PanelFact(panel=panel.key, **fact.__dict__))
                if len(batch) >= BATCH:
                    PanelFact.objects.bulk_create(batch)
                    written += len(batch)
                    batch = []
            PanelFact.objects.bulk_create(batch)
            written += len(batch)
        now = timezone.now()
        day = start
        while day <= end:
            SummaryDay.objects.update_or_create(day=day, defaults={"built_at": now})
            day += dt.timedelta(days=1)
    return written


def refresh_today(now: dt.datetime | None = None) -> int:
    today = timezone.localdate(now)
    return build(today - dt.timedelta(days=1), today)


def rebuild_recent(now: dt.datetime | None = None) -> int:
    today = timezone.localdate(now)
    return build(today - dt.timedelta(days=RECENT_DAYS), today)
