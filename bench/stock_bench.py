"""Stock benchmark (issue 15): 100 000 movements over 5 000 parts, then the p95 of posting a
movement (FIFO issue, transfer store → van) through the services and of the stock query
(the stock-by-part page, the API query behind it) and the pick list page.

    .venv/bin/python scripts/with_db.py -- .venv/bin/python bench/stock_bench.py [--quick]

The history is generated in bulk (numbered documents with their lines, lots of three ages
per part, stock rows consistent with them) — it is the data the measured calls run against,
not what is measured; audit rows are written only by the measured service calls. Pages are
requested in-process through Django's test client (the whole middleware stack, templates
and the flags' queries included), one after the other against the database in DATABASE_URL.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_MS = 100.0


def percentiles(label: str, samples: list[float]) -> float:
    ordered = sorted(samples)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    print(
        f"{label:<52} p50 {statistics.median(ordered):7.1f} ms   p95 {p95:7.1f} ms"
        f"   (n={len(ordered)})",
        flush=True,
    )
    return p95


def measure(n: int, call: Callable[[int], Any]) -> list[float]:
    out = []
    for i in range(n):
        start = time.perf_counter()
        call(i)
        out.append((time.perf_counter() - start) * 1000)
    return out


def generate(parts_n: int, movements_n: int, run: str) -> dict[str, Any]:
    """Parts, a store with bins, vans, and ``movements_n`` one-line movements: receipts of
    three lots per part into the store, then transfers store → van and issues from vans."""
    from django.db import transaction
    from django.utils import timezone

    from aftersales import testing as t
    from aftersales.catalog.models import Part
    from aftersales.stock.models import Bin, Lot, Movement, MovementLine, StockLevel, Warehouse

    rng = random.Random(15)
    keeper = t.user("warehouse", username=f"{run}-keeper")
    store = Warehouse.objects.create(code=f"{run}-MAIN", name="售后总库(bench)", kind="main")
    bins = Bin.objects.bulk_create(
        [
            Bin(warehouse=store, zone=z, shelf=f"{s:02d}", level=str(lv), code=f"{z}-{s:02d}-{lv}")
            for z in "ABCDE"
            for s in range(1, 11)
            for lv in range(1, 5)
        ]
    )
    vans = [
        Warehouse.objects.create(
            code=f"{run}-VAN{i}",
            name=f"车载库{i}",
            kind="van",
            technician=t.user("technician", username=f"{run}-tech{i}"),
        )
        for i in range(20)
    ]
    parts = Part.objects.bulk_create(
        [
            Part(code=f"{run}P{i:05d}", name=f"配件{i}", name_initials=f"PJ{i}", unit_cost=1)
            for i in range(parts_n)
        ]
    )
    now = timezone.now()
    lots = Lot.objects.bulk_create(
        [
            Lot(
                number=f"{run}L{p.pk}-{k}",
                part=p,
                received_at=now - dt.timedelta(days=400 - 120 * k + rng.randint(0, 30)),
                unit_cost=Decimal(f"{rng.randint(5, 500)}.{rng.randint(0, 99):02d}"),
                source="opening",
            )
            for p in parts
            for k in range(3)
        ],
        batch_size=5000,
    )
    # stock per (warehouse, bin, lot), kept consistent with the generated lines
    held: dict[tuple[int, int | None, int], int] = {}
    home = {lot.pk: bins[(lot.part_id * 7 + lot.pk) % len(bins)] for lot in lots}
    docs: list[Movement] = []
    lines: list[tuple[int, MovementLine]] = []
    start = now - dt.timedelta(days=365)
    step = dt.timedelta(days=365) / movements_n

    def doc(kind: str, src: Any, dst: Any) -> int:
        i = len(docs)
        docs.append(
            Movement(
                number=f"{run}M{i:07d}",
                kind=kind,
                from_warehouse=src,
                to_warehouse=dst,
                posted_at=start + step * i,
                posted_by=keeper,
            )
        )
        return i

    def line(i: int, lot: Lot, n: int, from_bin: Any = None, to_bin: Any = None) -> None:
        lines.append(
            (
                i,
                MovementLine(
                    part_id=lot.part_id,
                    lot=lot,
                    quantity=n,
                    from_bin=from_bin,
                    to_bin=to_bin,
                    unit_cost=lot.unit_cost,
                    amount=lot.unit_cost * n,
                ),
            )
        )

    for lot in lots:
        i = doc("receipt", None, store)
        line(i, lot, 40, to_bin=home[lot.pk])
        held[(store.pk, home[lot.pk].pk, lot.pk)] = 40
    in_vans: list[tuple[int, Lot]] = []
    while len(docs) < movements_n:
        if in_vans and rng.random() < 0.5:
            van_pk, lot = in_vans.pop(rng.randrange(len(in_vans)))
            van = next(v for v in vans if v.pk == van_pk)
            line(doc("issue", van, None), lot, 1)
            held[(van_pk, None, lot.pk)] -= 1
            continue
        lot = lots[rng.randrange(len(lots))]
        key = (store.pk, home[lot.pk].pk, lot.pk)
        if held[key] < 2:
            continue
        van = vans[rng.randrange(len(vans))]
        line(doc("transfer", store, van), lot, 1, from_bin=home[lot.pk])
        held[key] -= 1
        held[(van.pk, None, lot.pk)] = held.get((van.pk, None, lot.pk), 0) + 1
        in_vans.append((van.pk, lot))
    with transaction.atomic():
        saved = Movement.objects.bulk_create(docs, batch_size=5000)
        for i, ln in lines:
            ln.movement = saved[i]
        MovementLine.objects.bulk_create([ln for _, ln in lines], batch_size=5000)
        by_lot = {lot.pk: lot for lot in lots}
        bin_by_pk = {b.pk: b for b in bins}
        StockLevel.objects.bulk_create(
            [
                StockLevel(
                    warehouse_id=wh,
                    bin=bin_by_pk.get(b) if b else None,
                    part_id=by_lot[lot_pk].part_id,
                    lot_id=lot_pk,
                    quantity=q,
                )
                for (wh, b, lot_pk), q in held.items()
            ],
            batch_size=5000,
        )
    return {"keeper": keeper, "store": store, "vans": vans, "parts": parts, "rng": rng}


def main(quick: bool) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aftersales.settings")
    os.environ.setdefault("FAST_PASSWORD_HASHER", "1")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test client's host is allowed
    call_command("migrate", verbosity=0)

    from aftersales.stock import selectors
    from aftersales.stock.models import Movement, StockLevel
    from aftersales.stock.services import movements

    parts_n, movements_n, samples = (500, 10_000, 60) if quick else (5_000, 100_000, 300)
    run = f"SB{int(time.time()) % 100000}"
    began = time.perf_counter()
    w = generate(parts_n, movements_n, run)
    print(
        f"generated {Movement.objects.filter(number__startswith=run).count()} movements over "
        f"{parts_n} parts, {StockLevel.objects.filter(part__code__startswith=run).count()} stock "
        f"rows in {time.perf_counter() - began:.1f} s",
        flush=True,
    )
    keeper, store, vans, parts, rng = w["keeper"], w["store"], w["vans"], w["parts"], w["rng"]
    picks = [parts[rng.randrange(len(parts))] for _ in range(samples)]
    results: dict[str, float] = {}
    results["issue"] = percentiles(
        "post: FIFO issue from the store (1 line)",
        measure(
            samples,
            lambda i: movements.issue(
                actor=keeper,
                warehouse_id=store.pk,
                lines=[movements.OutLine(1, picks[i].pk)],
                reason="bench",
            ),
        ),
    )
    results["transfer"] = percentiles(
        "post: transfer store → van (1 line)",
        measure(
            samples,
            lambda i: movements.transfer(
                actor=keeper,
                from_warehouse_id=store.pk,
                to_warehouse_id=vans[i % len(vans)].pk,
                lines=[movements.OutLine(1, picks[-1 - i].pk)],
            ),
        ),
    )
    results["query"] = percentiles(
        "query: stock of a part (rows + totals)",
        measure(
            samples,
            lambda i: (
                list(selectors.levels(keeper, selectors.LevelFilters(part_id=picks[i].pk))[:50]),
                selectors.totals(
                    selectors.levels(keeper, selectors.LevelFilters(part_id=picks[i].pk))
                ),
            ),
        ),
    )
    client = Client()
    client.force_login(keeper)

    def page(url: str) -> None:
        resp = client.get(url)
        assert resp.status_code == 200, (url, resp.status_code)

    def queries(url: str) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as got:
            page(url)
        return len(got.captured_queries)

    # before / after in the same run: the search as it was (an OR of icontains across the
    # joined part and lot columns, the rows annotated with their value) against what the page
    # runs now: the matching parts and lots looked up first (trigram indexes), their rows by id
    def search_before(term: str) -> None:
        from django.db.models import Q

        qs = (
            StockLevel.objects.filter(quantity__gt=0)
            .filter(
                Q(part__code__icontains=term)
                | Q(part__name__icontains=term)
                | Q(part__name_initials__icontains=term)
                | Q(lot__number__icontains=term)
            )
            .select_related("warehouse", "bin", "part", "lot")
            .annotate(amount=selectors.VALUE)  # was value=, now a model property
            .order_by("warehouse__kind", "warehouse__code", "part__code", "lot__received_at", "id")
        )
        qs.count()
        list(qs[:50])
        selectors.totals(qs)

    def search_after(term: str) -> None:
        qs = selectors.levels(keeper, selectors.LevelFilters(q=term))
        qs.count()
        list(qs[:50])
        selectors.totals(qs)

    results["search_before"] = percentiles(
        "before: search q=<code>, OR across joins (count+page+totals)",
        measure(samples, lambda i: search_before(picks[i].code)),
    )
    results["search_after"] = percentiles(
        "after:  search q=<code>, parts/lots first (count+page+totals)",
        measure(samples, lambda i: search_after(picks[i].code)),
    )
    results["page_part"] = percentiles(
        "page: /stock/?part_id= (stock by part, with flags)",
        measure(samples, lambda i: page(f"/stock/?part_id={picks[i].pk}")),
    )
    results["page"] = percentiles(
        "page: /stock/?q=<part code> (with flags)",
        measure(samples, lambda i: page(f"/stock/?q={picks[i].code}")),
    )
    results["page_name"] = percentiles(
        "page: /stock/?q=<part name> (Chinese, with flags)",
        measure(samples, lambda i: page(f"/stock/?q={picks[i].name}")),
    )
    results["page_all"] = percentiles(
        "page: /stock/ unfiltered, first page (with flags)",
        measure(samples // 3, lambda i: page("/stock/")),
    )
    results["api"] = percentiles(
        "api: /api/v1/stock/levels?part_id=",
        measure(samples, lambda i: page(f"/api/v1/stock/levels?part_id={picks[i].pk}")),
    )
    big = movements.transfer(
        actor=keeper,
        from_warehouse_id=store.pk,
        to_warehouse_id=vans[0].pk,
        lines=[movements.OutLine(1, p.pk) for p in picks[:20]],
    )

    def pick_before(pk: int) -> None:
        # as it was: the document read with every line prefetched (part, lot, both bins),
        # then its lines read again in walking order
        from django.db.models import F

        doc = (
            Movement.objects.select_related("from_warehouse", "to_warehouse", "posted_by")
            .prefetch_related("lines__part", "lines__lot", "lines__from_bin", "lines__to_bin")
            .get(pk=pk)
        )
        list(
            doc.lines.select_related("part", "lot", "from_bin").order_by(
                F("from_bin__zone").asc(nulls_last=True),
                F("from_bin__shelf").asc(nulls_last=True),
                F("from_bin__level").asc(nulls_last=True),
                "part__code",
                "lot__received_at",
                "id",
            )
        )

    results["pick_before"] = percentiles(
        "before: pick list reads (document + prefetch + lines)",
        measure(samples, lambda i: pick_before(big.pk)),
    )
    results["pick_after"] = percentiles(
        "after:  pick list reads (selectors.pick_list)",
        measure(samples, lambda i: selectors.pick_list(keeper, big.pk)),
    )
    results["pick"] = percentiles(
        "page: pick list of a 20-line transfer",
        measure(samples, lambda i: page(f"/stock/movements/{big.pk}/pick/")),
    )
    print(
        f"queries per request: stock by part {queries(f'/stock/?part_id={picks[0].pk}')}, "
        f"stock page q=code {queries(f'/stock/?q={picks[0].code}')}, "
        f"API {queries(f'/api/v1/stock/levels?part_id={picks[0].pk}')}, "
        f"pick list {queries(f'/stock/movements/{big.pk}/pick/')}",
        flush=True,
    )
    print()
    for key in ("page_part", "page", "pick"):
        verdict = "met" if results[key] < TARGET_MS else "NOT met"
        print(f"{key}: p95 {results[key]:.1f} ms, target < {TARGET_MS:.0f} ms — {verdict}")


if __name__ == "__main__":
    main("--quick" in sys.argv[1:])
