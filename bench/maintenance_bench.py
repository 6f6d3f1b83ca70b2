"""Maintenance generation benchmark: a year of visits for 10 000 plans, then the same run
again (it must create nothing).

    .venv/bin/python scripts/with_db.py -- .venv/bin/python bench/maintenance_bench.py [PLANS]

Runs ``generation.generate`` (the daily job's function: add the occurrences up to each
plan's horizon with the unique key, cancel beyond contract ends) in-process against the
database in DATABASE_URL (tables created with ``migrate``). Release of visits as service
tickets is not part of it (it happens a fortnight ahead, a few visits a day). The plans are
inserted directly (``bulk_create``): plan creation is not what is measured.
Targets (issue 14): first run < 60 s, second run < 10 s creating nothing.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# recurrence, interval, share of the plans (per 10); a year ahead: 52 / 12 / 4 / 2 / 1 visits
MIX = [
    ("weekly", 1, 1),
    ("monthly", 1, 5),
    ("monthly", 2, 1),
    ("quarterly", 1, 2),
    ("yearly", 1, 1),
]


def main(count: int) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aftersales.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from aftersales import testing as t
    from aftersales.demo.defaults import ensure_defaults
    from aftersales.maintenance.models import MaintenancePlan, MaintenanceVisit
    from aftersales.maintenance.services import generation

    today = dt.date(2026, 12, 1)
    ensure_defaults(today=today)
    run = f"MB{int(time.time()) % 100000}"
    region = t.region(f"{run}R", "基准片区")
    customers = [t.customer(region, None, code=f"{run}C{i}") for i in range(50)]
    kinds = [m for m in MIX for _ in range(m[2])]
    plans = [
        MaintenancePlan(
            number=f"{run}-{i:05d}",
            name=f"基准计划{i}",
            kind="routine",
            customer=customers[i % len(customers)],
            recurrence=kinds[i % len(kinds)][0],
            interval=kinds[i % len(kinds)][1],
            start_date=today - dt.timedelta(days=i % 28),
            lead_days=365,
            release_days=14,
            contact_name="联系人",
            contact_phone="13800138000",
        )
        for i in range(count)
    ]
    MaintenancePlan.objects.bulk_create(plans, batch_size=2000)
    ids = list(MaintenancePlan.objects.filter(number__startswith=run).values_list("pk", flat=True))
    print(f"plans: {len(ids)}", flush=True)

    start = time.perf_counter()
    first = generation.generate(today=today, plan_ids=ids, release=False)
    t1 = time.perf_counter() - start
    visits = MaintenanceVisit.objects.filter(plan_id__in=ids).count()
    print(f"first run: {first.created} visits created in {t1:.2f} s ({visits} in the table)")

    start = time.perf_counter()
    second = generation.generate(today=today, plan_ids=ids, release=False)
    t2 = time.perf_counter() - start
    print(f"second run: {second.created} created, {second.cancelled} cancelled in {t2:.2f} s")

    start = time.perf_counter()
    next_day = generation.generate(today=today + dt.timedelta(days=1), plan_ids=ids, release=False)
    t3 = time.perf_counter() - start
    print(f"next day: {next_day.created} created in {t3:.2f} s")

    print(
        f"targets: first < 60 s {'met' if t1 < 60 else 'MISSED'}, "
        f"second < 10 s with nothing created {'met' if t2 < 10 and second.created == 0 else 'MISSED'}"
    )
    return (
        0 if second.created == 0 and first.created == visits else 1
    )  # correctness; times are printed


if __name__ == "__main__":
    raise SystemExit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000))
