"""Service-flow benchmarks, measured side by side in one run against a real server:

1. ticket creation throughput (warranty decision, SLA clocks, audit, job and notification
   enqueue) against a bare authenticated JSON endpoint (/api/v1/me) of the same server —
   target ≥ 0.15;
2. the agent queue's first page p95 latency at 1 000 000 tickets against 10 000 tickets —
   target ≤ 3× (indexes, not scans).

Run: ``make bench`` or
``.venv/bin/python scripts/with_db.py -- .venv/bin/python bench/service_bench.py [--quick]``
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aftersales.settings")


def setup_django() -> None:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build_world(n_equipment: int) -> tuple[str, list[int]]:
    import datetime as dt

    from aftersales import testing as t
    from aftersales.accounts.services import issue_token
    from aftersales.demo.defaults import ensure_defaults
    from aftersales.installed_base.models import Equipment

    ensure_defaults()
    reg = t.region("BENCH", "压测片区")
    cat = t.category("led", "LED显示屏")
    t.policy(cat, months=24, latent_defect_months=24)
    model = t.product_model(cat, code="BENCH-P3")
    customer = t.customer(reg, None, name="压测客户")
    site = t.site(customer, acceptance_date=dt.date(2025, 6, 1))
    Equipment.objects.bulk_create(
        [
            Equipment(
                model=model, site=site, serial_no=f"B{i:07d}", acceptance_date=dt.date(2025, 6, 1)
            )
            for i in range(n_equipment)
        ]
    )
    agent = t.user("agent", username="bench-agent")
    _, key = issue_token(user=agent)
    return key, list(Equipment.objects.filter(site=site).values_list("id", flat=True))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(port: int, workers: int = 2) -> subprocess.Popen[bytes]:
    env = {**os.environ, "LOG_LEVEL": "ERROR"}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "aftersales.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            "4",
            "--worker-class",
            "gthread",
            "--timeout",
            "120",  # as scripts/run.py: a worker's warm-up under load is not a hung worker
            "--log-level",
            "error",
        ],
        cwd=ROOT,
        env=env,
    )
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("server did not start")


def load(port: int, seconds: float, clients: int, request: object) -> tuple[float, int]:
    """Closed-loop load: ``clients`` keep-alive connections, each sending the next request as
    soon as the previous answered. Returns (requests per second, errors)."""
    done = [0] * clients
    errors = [0] * clients
    stop_at = time.monotonic() + seconds

    def run(i: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        rnd = random.Random(i)
        while time.monotonic() < stop_at:
            method, path, body, ok = request(rnd)  # type: ignore[operator]
            conn.request(method, path, body=body, headers=HEADERS)
            resp = conn.getresponse()
            resp.read()
            if resp.status == ok:
                done[i] += 1
            else:
                errors[i] += 1
        conn.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(clients)]
    t0 = time.monotonic()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return sum(done) / (time.monotonic() - t0), sum(errors)


HEADERS: dict[str, str] = {}


def latencies(port: int, path: str, n: int) -> list[float]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    out = []
    for _ in range(n):
        t0 = time.perf_counter()
        conn.request("GET", path, headers=HEADERS)
        resp = conn.getresponse()
        body = resp.read()
        out.append((time.perf_counter() - t0) * 1000)
        assert resp.status == 200, body[:200]
    conn.close()
    return out


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[94]


def fill_tickets(total: int, open_share: float = 0.02) -> None:
    """Bulk rows straight in SQL: ``total`` tickets over the last two years, a small share
    open (with their three clocks), the rest closed — as a busy installation has them."""
    from django.db import connection

    from aftersales.customers.models import Customer

    customer = Customer.objects.get(name="压测客户")
    with connection.cursor() as cur:
        cur.execute("SELECT coalesce(max(id), 0) FROM service_ticket")
        (start,) = cur.fetchone()
        have = _count()
        need = total - have
        if need <= 0:
            return
        step = 200_000
        for lo in range(0, need, step):
            n = min(step, need - lo)
            cur.execute(
                """
                INSERT INTO service_ticket (number, type, channel, severity, state, customer_id,
                  contact_name, contact_phone, address, description, environment, customer_request,
                  fault_category, received_at, remote, reopen_count, cancel_reason, created_at,
                  updated_at, sla_policy_source)
                SELECT 'BQ' || lpad((%(base)s + g)::text, 10, '0'), 'repair', 'phone', 'normal',
                  CASE WHEN random() < %(open)s THEN 'acknowledged' ELSE 'closed' END, %(cust)s,
                  '张三', '13800000000', '', '压测数据', '', '', '',
                  now() - (random() * interval '730 days'), false, 0, '', now(), now(), 'default'
                FROM generate_series(1, %(n)s) g
                """,
                {"base": start + lo, "open": open_share, "cust": customer.pk, "n": n},
            )
        cur.execute(
            """
            INSERT INTO service_slaclock (ticket_id, metric, target_minutes, working_time, started_at,
              due_at, status, paused_minutes, breach_minutes)
            SELECT t.id, m.metric, m.minutes, true, t.received_at,
              t.received_at + (m.minutes || ' minutes')::interval, 'running', 0, 0
            FROM service_ticket t
            CROSS JOIN (VALUES ('response', 60), ('on_site', 450), ('resolution', 450)) m(metric, minutes)
            WHERE t.id > %s AND t.state = 'acknowledged'
            """,
            [start],
        )
        cur.execute("ANALYZE service_ticket; ANALYZE service_slaclock;")


def _count() -> int:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM service_ticket")
        return int(cur.fetchone()[0])


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="short runs, 100 000 instead of 1 000 000")
    ap.add_argument("--seconds", type=float, default=20.0)
    ap.add_argument("--clients", type=int, default=8)
    args = ap.parse_args()
    seconds = 5.0 if args.quick else args.seconds
    big = 100_000 if args.quick else 1_000_000

    setup_django()
    key, equipment = build_world(2000)
    HEADERS.update({"Authorization": f"Bearer {key}", "Content-Type": "application/json"})
    port = free_port()
    server = start_server(port)
    try:

        def me(rnd: random.Random) -> tuple[str, str, None, int]:
            return "GET", "/api/v1/me", None, 200

        def create(rnd: random.Random) -> tuple[str, str, str, int]:
            body = json.dumps(
                {
                    "description": "压测：屏幕黑屏",
                    "contact_name": "王经理",
                    "contact_phone": "13800138000",
                    "equipment_id": rnd.choice(equipment),
                    "allow_duplicate": True,
                }
            )
            return "POST", "/api/v1/tickets", body, 201

        load(port, 2, args.clients, me)  # warm up both server processes
        me_rps, me_err = load(port, seconds, args.clients, me)
        create_rps, create_err = load(port, seconds, args.clients, create)
        print("\n== Ticket creation vs bare authenticated endpoint (same server, same run) ==")
        print(f"GET  /api/v1/me       {me_rps:8.1f} req/s  (errors {me_err})")
        print(f"POST /api/v1/tickets  {create_rps:8.1f} req/s  (errors {create_err})")
        ratio = create_rps / me_rps
        print(
            f"ratio create / me = {ratio:.3f}   target ≥ 0.15   {'MET' if ratio >= 0.15 else 'NOT MET'}"
        )

        queue = "/api/v1/tickets?page=1&page_size=20"
        fill_tickets(10_000)
        latencies(port, queue, 20)
        small = latencies(port, queue, 300)
        fill_tickets(big)
        latencies(port, queue, 20)
        large = latencies(port, queue, 300)
        print("\n== Agent queue first page, p95 over 300 requests ==")
        print(
            f"{10_000:>9} tickets: p50 {statistics.median(small):6.1f} ms  p95 {p95(small):6.1f} ms"
        )
        print(f"{big:>9} tickets: p50 {statistics.median(large):6.1f} ms  p95 {p95(large):6.1f} ms")
        q = p95(large) / p95(small)
        print(f"ratio p95 {big} / 10000 = {q:.2f}   target ≤ 3   {'MET' if q <= 3 else 'NOT MET'}")
    finally:
        server.terminate()
        server.wait(20)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
