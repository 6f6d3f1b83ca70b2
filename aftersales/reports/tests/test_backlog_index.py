"""The backlog's daily query reads through the index on resolution time (the tickets resolved
after the day, or not yet) instead of every ticket received before it: on a history shaped like
the benchmark's (two years of tickets, 2 % still open), the planner picks the index."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aftersales import testing as t
from aftersales.demo.defaults import ensure_defaults
from aftersales.reports import collectors

pytestmark = pytest.mark.django_db
TICKETS = 30_000


def _history() -> None:
    ensure_defaults()
    cust = t.customer(t.region("IDX"))
    with connection.cursor() as cur:
        cur.execute("SELECT id FROM sla_slapolicy WHERE is_default LIMIT 1")
        (policy,) = cur.fetchone()
        cur.execute(
            """
            INSERT INTO service_ticket (number, type, channel, severity, state, customer_id,
              contact_name, contact_phone, address, description, environment,
              customer_request, fault_category, received_at, resolved_at, closed_at, remote,
              reopen_count, cancel_reason, created_at, updated_at, sla_policy_id,
              sla_policy_source, different_fault_reason, solution_plan, complex_reason)
            SELECT 'IX' || lpad(g::text, 10, '0'), 'repair', 'phone', 'normal',
              CASE WHEN r < 0.02 THEN 'acknowledged' ELSE 'closed' END, %(cust)s,
              '张三', '13800000000', '', '索引测试', '', '', '', rt,
              CASE WHEN r < 0.02 THEN NULL ELSE rt + (r * interval '3 days') END,
              CASE WHEN r < 0.02 THEN NULL ELSE rt + (r * interval '4 days') END,
              false, 0, '', now(), now(), %(policy)s, 'default', '', '', ''
            FROM (SELECT g, random() AS r,
                         timestamptz '2026-03-01' - (random() * interval '730 days') AS rt
                  FROM generate_series(1, %(n)s) g) x
            """,
            {"cust": cust.pk, "policy": policy, "n": TICKETS},
        )
        cur.execute("ANALYZE service_ticket")


def _plan(sql: str) -> str:
    with connection.cursor() as cur:
        cur.execute("EXPLAIN " + sql)
        return "\n".join(r[0] for r in cur.fetchall())


def test_the_backlog_query_uses_the_resolution_time_index() -> None:
    _history()
    with CaptureQueriesContext(connection) as seen:
        facts = list(collectors.backlog(dt.date(2026, 2, 27), dt.date(2026, 2, 28)))
    [sql] = [q["sql"] for q in seen.captured_queries if 'FROM "service_ticket"' in q["sql"]]
    plan = _plan(sql)
    assert "Index Scan on ticket_resolved" in plan, plan
    assert "Seq Scan on service_ticket" not in plan, plan
    # and the figure is still the open count straight from the rows
    close = "2026-02-28 00:00:00+08"
    with connection.cursor() as cur:
        cur.execute(
            "SELECT count(*) FROM service_ticket WHERE received_at < %s AND state <> 'cancelled'"
            " AND (resolved_at IS NULL OR resolved_at >= %s)"
            " AND (closed_at IS NULL OR closed_at >= %s)",
            [close, close, close],
        )
        (open_then,) = cur.fetchone()
    assert sum(f.n for f in facts) == open_then > 0
