"""KPI board and monthly pack benchmarks (issue 17), measured side by side in one run against
a real server:

1. the manager's KPI board (/reports/, every panel, last full month) p95 at 1 000 000 tickets
   against 10 000 — target ratio ≤ 2 and p95 ≤ 300 ms at 1 M;
2. the monthly pack (PDF + workbook of every panel) generation time, same ratio.

The tickets are the service benchmark's generator's (``bench/service_bench.py``: bulk SQL,
two years), spread over a small company — 8 regions, 40 customers of both tiers and 5
dealers, 3 product categories, every severity and channel — with their three SLA clocks
decided (met or breached), resolution and closing times. Only the panels fed by tickets and
clocks have figures (SLA, first-time fix, mean times, backlog, contacts, costs); the others
(reports, callbacks, surveys, complaints, maintenance, stock, staff, …) are requested and
rendered but empty — the run prints each panel's queries and fact groups. The daily facts are
built as the nightly job builds them (timed too), before the board is measured.

Run: ``.venv/bin/python scripts/with_db.py -- .venv/bin/python bench/reports_bench.py [--quick]``
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aftersales.settings")

from bench.service_bench import HEADERS, free_port, latencies, p95, setup_django, start_server  # noqa: E402


def build_world() -> str:
    """Regions, customers, dealers, categories, equipment, a manager; the session cookie."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from aftersales import testing as t
    from aftersales.demo.defaults import ensure_defaults
    from aftersales.installed_base.models import Equipment

    ensure_defaults()
    regions = [t.region(f"BR{i}", f"压测片区{i}") for i in range(8)]
    dealers = [t.dealer(regions[i]) for i in range(5)]
    cats = [t.category(f"bc{i}", f"压测类别{i}") for i in range(3)]
    models = [t.product_model(c, code=f"BENCH-M{i}") for i, c in enumerate(cats)]
    eq = []
    for i in range(40):
        cust = t.customer(
            regions[i % 8],
            dealers[i % 5] if i % 3 else None,
            tier="key" if i % 4 == 0 else "normal",
        )
        site = t.site(cust)
        eq += [
            Equipment(model=models[j % 3], site=site, serial_no=f"RB{i:03d}{j:03d}")
            for j in range(6)
        ]
    Equipment.objects.bulk_create(eq)
    manager = t.user("manager", username="bench-manager")
    s = SessionStore()
    s[SESSION_KEY] = str(manager.pk)
    s[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    s[HASH_SESSION_KEY] = manager.get_session_auth_hash()
    s.create()
    return str(s.session_key)


def fill(total: int) -> None:
    """Up to ``total`` tickets over the last two years (bulk SQL, as the service benchmark's
    generator), each with its three decided clocks."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT count(*), coalesce(max(id), 0) FROM service_ticket")
        have, start = cur.fetchone()
        need = total - have
        if need <= 0:
            return
        cur.execute(
            "SELECT e.id, s.customer_id FROM installed_base_equipment e "
            "JOIN customers_site s ON s.id = e.site_id WHERE e.serial_no LIKE 'RB%%'"
        )
        pairs = cur.fetchall()
        cur.execute("SELECT id FROM sla_slapolicy WHERE is_default LIMIT 1")
        (policy,) = cur.fetchone()
        eq_ids = [p[0] for p in pairs]
        cust_ids = [p[1] for p in pairs]
        step = 200_000
        for lo in range(0, need, step):
            n = min(step, need - lo)
            cur.execute(
                """
                INSERT INTO service_ticket (number, type, channel, severity, state, customer_id,
                  equipment_id, contact_name, contact_phone, address, description, environment,
                  customer_request, fault_category, received_at, resolved_at, closed_at, remote,
                  reopen_count, cancel_reason, created_at, updated_at, sla_policy_id,
                  sla_policy_source, different_fault_reason, solution_plan, complex_reason)
                SELECT 'RQ' || lpad((%(base)s + g)::text, 10, '0'),
                  (ARRAY['repair','repair','repair','consultation','maintenance'])[1 + g %% 5],
                  (ARRAY['phone','phone','portal','letter','walk_in','qr'])[1 + g %% 6],
                  (ARRAY['normal','normal','urgent','major','low'])[1 + (g / 7) %% 5],
                  CASE WHEN r < 0.02 THEN 'acknowledged' ELSE 'closed' END,
                  (%(cust)s::bigint[])[1 + g %% %(k)s], (%(eq)s::bigint[])[1 + g %% %(k)s],
                  '张三', '13800000000', '', '压测数据', '', '', '', rt,
                  CASE WHEN r < 0.02 THEN NULL ELSE rt + (r * interval '3 days') END,
                  CASE WHEN r < 0.02 THEN NULL ELSE rt + (r * interval '4 days') END,
                  false, (g %% 11 = 0)::int, '', now(), now(), %(policy)s, 'default', '', '', ''
                FROM (SELECT g, random() AS r, now() - (random() * interval '730 days') AS rt
                      FROM generate_series(1, %(n)s) g) x
                """,
                {
                    "base": start + lo,
                    "n": n,
                    "cust": cust_ids,
                    "eq": eq_ids,
                    "k": len(pairs),
                    "policy": policy,
                },
            )
        cur.execute(
            """
            INSERT INTO service_slaclock (ticket_id, metric, target_minutes, working_time,
              started_at, due_at, met_at, status, paused_minutes, breach_minutes)
            SELECT t.id, m.metric, m.minutes, false, t.received_at,
              t.received_at + (m.minutes || ' minutes')::interval,
              t.received_at + (m.minutes * (0.3 + (t.id %% 10) / 8.0) || ' minutes')::interval,
              CASE WHEN (t.id %% 10) <= 5 THEN 'met' ELSE 'breached' END, 0,
              CASE WHEN (t.id %% 10) <= 5 THEN 0 ELSE (m.minutes * ((t.id %% 10) / 8.0 - 0.7))::int END
            FROM service_ticket t
            CROSS JOIN (VALUES ('response', 60), ('on_site', 450), ('resolution', 1440)) m(metric, minutes)
            WHERE t.id > %s
            """,
            [start],
        )
        cur.execute("ANALYZE service_ticket; ANALYZE service_slaclock;")


def warm(port: int, path: str) -> None:
    """Both server processes booted (Django, the PDF warm-up) and the page compiled: on a
    loaded machine the first answers take longer than the measuring client's timeout."""
    import http.client

    from aftersales.reports import registry

    for _ in range(4):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        conn.request("GET", path, headers=HEADERS)
        resp = conn.getresponse()
        body = resp.read().decode()
        assert resp.status == 200, resp.status
        conn.close()
    # the measured page is the whole board: every registered panel, none left out
    keys = [p.key for p in registry.panels()]
    missing = [k for k in keys if f'data-panel="{k}"' not in body]
    assert not missing, f"the board left out {missing}"
    print(f"board: {len(keys)} panels ({', '.join(keys)})", flush=True)


def profile(month: str) -> None:
    """Each panel as the board reads it for the manager, in this process: how many queries,
    how many fact groups summed, how many milliseconds (best of 3) — which panels have figures
    and where a board request's time goes."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from aftersales.accounts.models import User
    from aftersales.reports import filters as rf
    from aftersales.reports import registry, selectors

    user = User.objects.get(username="bench-manager")
    f = rf.scoped(rf.parse({"month": month}), user)
    total_q = 0
    parts = []
    for panel in registry.panels():
        groups = len(selectors.aggregate(panel, f, user))
        best = float("inf")
        for _ in range(3):
            with CaptureQueriesContext(connection) as seen:
                t0 = time.perf_counter()
                selectors.run(panel, f, user)
                best = min(best, (time.perf_counter() - t0) * 1000)
        queries = len(seen.captured_queries)
        total_q += queries
        parts.append(f"{panel.key} {queries}q {groups}g {best:.0f}ms")
    print(f"  panels ({total_q} queries in all): " + "; ".join(parts), flush=True)


def padded(port: int, n: int) -> list[float]:
    """The read side with no panel empty: each panel that has no facts for the last month gets
    a copy of the SLA panel's month rows (~100 rows: its dimensions and keys) under its own
    key — synthetic facts, not figures, only to measure the board rendering every panel full."""
    from django.db import connection
    from django.utils import timezone

    from aftersales.reports import registry
    from aftersales.reports.filters import month_bounds
    from aftersales.reports.services import packs

    first = packs.previous_month(timezone.localdate())
    _, last = month_bounds(first)
    filled = []
    with connection.cursor() as cur:
        for panel in registry.panels():
            cur.execute(
                "SELECT 1 FROM reports_panelfact WHERE panel = %s AND day BETWEEN %s AND %s LIMIT 1",
                [panel.key, first, last],
            )
            if cur.fetchone():
                continue
            daily = panel.snapshot or panel.live
            cur.execute(
                """
                INSERT INTO reports_panelfact (day, span, panel, region_id, team_id, category_id,
                  tier, dealer_id, key1, key2, n, hits, total, total2, peak)
                SELECT %s, %s, %s, region_id, team_id, category_id, tier, dealer_id, key1, key2,
                  n, hits, total, total2, peak
                FROM reports_panelfact WHERE panel = 'sla' AND span = 'month' AND day = %s
                """,
                [last if daily else first, "day" if daily else "month", panel.key, first],
            )
            filled.append(panel.key)
    path = f"/reports/?month={first:%Y-%m}"
    warm(port, path)
    latencies(port, path, 10)
    board = latencies(port, path, n)
    profile(f"{first:%Y-%m}")
    print(
        f"  padded ({len(filled)} empty panels given SLA's groups: {', '.join(filled)}): "
        f"board p50 {statistics.median(board):6.1f} ms  p95 {p95(board):6.1f} ms",
        flush=True,
    )
    return board


def board_and_pack(port: int, label: str, n: int) -> tuple[list[float], float, float]:
    from django.utils import timezone

    from aftersales.reports.models import MonthlyPack
    from aftersales.reports.services import packs, summary

    today = timezone.localdate()
    t0 = time.perf_counter()
    summary.rebuild_recent()  # the nightly job: the last 62 days' facts and month rows
    built = time.perf_counter() - t0
    last = packs.previous_month(today)
    path = f"/reports/?month={last:%Y-%m}"
    warm(port, path)
    latencies(port, path, 10)
    board = latencies(port, path, n)
    profile(f"{last:%Y-%m}")
    packs.generate(packs.previous_month(last))  # the process's first PDF pays WeasyPrint's start
    MonthlyPack.objects.filter(month=last).update(generated_at=None)  # as if not yet made
    t0 = time.perf_counter()
    packs.generate(last)  # as the job on the 1st: the month's facts are final, read not rebuilt
    pack = time.perf_counter() - t0
    t0 = time.perf_counter()
    packs.generate(last, force=True)  # on demand: the month's facts rebuilt first
    forced = time.perf_counter() - t0
    print(
        f"{label}: board p50 {statistics.median(board):6.1f} ms  p95 {p95(board):6.1f} ms   "
        f"pack {pack:5.2f} s (regenerated with the month's facts rebuilt {forced:5.2f} s)   "
        f"nightly rebuild of 62 days {built:6.1f} s"
    )
    return board, pack, built


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="100 000 instead of 1 000 000")
    ap.add_argument("--requests", type=int, default=200)
    ap.add_argument(
        "--padded",
        action="store_true",
        help="then measure the board again with synthetic facts in every empty panel",
    )
    args = ap.parse_args()
    big = 100_000 if args.quick else 1_000_000
    setup_django()
    session = build_world()
    HEADERS.update({"Cookie": f"sessionid={session}"})
    port = free_port()
    server = start_server(port)
    try:
        fill(10_000)
        small, small_pack, _ = board_and_pack(port, f"{10_000:>9} tickets", args.requests)
        fill(big)
        large, large_pack, _ = board_and_pack(port, f"{big:>9} tickets", args.requests)
        if args.padded:
            padded(port, args.requests)
    finally:
        server.terminate()
        server.wait(20)
    q = p95(large) / p95(small)
    qp = large_pack / small_pack
    print("\n== KPI board (every panel, last full month) and monthly pack ==")
    print(
        f"ratio board p95 {big} / 10000 = {q:.2f}   target ≤ 2   {'MET' if q <= 2 else 'NOT MET'}"
    )
    print(
        f"board p95 at {big} = {p95(large):.1f} ms   target ≤ 300 ms   "
        f"{'MET' if p95(large) <= 300 else 'NOT MET'}"
    )
    print(f"ratio pack {big} / 10000 = {qp:.2f}   target ≤ 2   {'MET' if qp <= 2 else 'NOT MET'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
