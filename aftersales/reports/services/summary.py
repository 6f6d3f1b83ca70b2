"""Maintaining the pre-aggregated facts (ADR 0007): a day's facts of every panel are deleted
and rebuilt from the rows in one transaction, under an advisory lock, so two workers
rebuilding the same days one after the other leave one set of facts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models.functions import TruncMonth
from django.utils import timezone

from aftersales.reports import registry
from aftersales.reports.filters import month_bounds
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
    today = timezone.localdate()
    with transaction.atomic():
        with connection.cursor() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
        for panel in chosen:
            lo, hi = start, stop
            if panel.live:  # only today's state can be read: the days before stay
                if not start <= today <= end:
                    continue
                lo, hi = today, today + dt.timedelta(days=1)
            PanelFact.objects.filter(
                panel=panel.key, span=PanelFact.DAY, day__gte=lo, day__lt=hi
            ).delete()
            batch: list[PanelFact] = []
            for fact in panel.collect(lo, hi):
                batch.append(PanelFact(panel=panel.key, **fact.__dict__))
                if len(batch) >= BATCH:
                    PanelFact.objects.bulk_create(batch)
                    written += len(batch)
                    batch = []
            PanelFact.objects.bulk_create(batch)
            written += len(batch)
            if not (panel.snapshot or panel.live):
                written += _roll_up(panel.key, start, end)
        now = timezone.now()
        day = start
        while day <= end:
            SummaryDay.objects.update_or_create(day=day, defaults={"built_at": now})
            day += dt.timedelta(days=1)
    return written


def _roll_up(panel: str, start: dt.date, end: dt.date) -> int:
    """The month rows of every month touched by ``start``..``end``: its day rows summed."""
    from django.db.models import Max, Sum

    first = start.replace(day=1)
    _, last = month_bounds(end)
    PanelFact.objects.filter(
        panel=panel, span=PanelFact.MONTH, day__gte=first, day__lte=last
    ).delete()
    groups = ("region_id", "team_id", "category_id", "tier", "dealer_id", "key1", "key2")
    rows = (
        PanelFact.objects.filter(panel=panel, span=PanelFact.DAY, day__gte=first, day__lte=last)
        .annotate(month=TruncMonth("day"))
        .values("month", *groups)
        .annotate(sn=Sum("n"), sh=Sum("hits"), st=Sum("total"), st2=Sum("total2"), sp=Max("peak"))
        .order_by()
    )
    made = [
        PanelFact(
            panel=panel,
            span=PanelFact.MONTH,
            day=r["month"],
            **{g: r[g] for g in groups},
            n=r["sn"] or 0,
            hits=r["sh"] or 0,
            total=r["st"] or 0,
            total2=r["st2"] or 0,
            peak=r["sp"] or 0,
        )
        for r in rows
    ]
    PanelFact.objects.bulk_create(made, batch_size=BATCH)
    return len(made)


def month_built_after_close(first: dt.date) -> bool:
    """Every day of the month was (re)built after the month ended: its facts are final."""
    _, last = month_bounds(first)
    tz = timezone.get_current_timezone()
    closed = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), tzinfo=tz)
    days = SummaryDay.objects.filter(day__gte=first, day__lte=last, built_at__gte=closed)
    return days.count() == (last - first).days + 1


def refresh_today(now: dt.datetime | None = None) -> int:
    today = timezone.localdate(now)
    return build(today - dt.timedelta(days=1), today)


def rebuild_recent(now: dt.datetime | None = None) -> int:
    today = timezone.localdate(now)
    return build(today - dt.timedelta(days=RECENT_DAYS), today)
