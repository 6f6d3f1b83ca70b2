"""The KPI board reads the pre-aggregated facts (ADR 0007), never the rows behind them: a board
request with every registered panel touches only the facts, the summary days and the few
tables that name the facts' keys, and makes as many queries after the month gained a thousand
tickets as before — the reason its time does not grow with the volume (bench/reports_bench.py)."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from aftersales import testing as t
from aftersales.reports import registry
from aftersales.reports.services import summary
from aftersales.reports.tests import fixture_month as fm

pytestmark = pytest.mark.django_db
MARCH = "/reports/?start=2026-03-01&end=2026-03-31"
# what a board request may read besides the facts: the session, the user and his roles, the
# filters' choice lists, the names of the keys the facts store
MAY_READ = {
    "reports_panelfact",
    "reports_summaryday",
    "django_session",
    "accounts_user",
    "accounts_user_groups",
    "auth_group",
    "accounts_department",
    "core_region",
    "installed_base_productcategory",
    "dealers_dealer",
    "stock_warehouse",
    "surveys_surveyquestion",
    "surveys_survey",
    "approvals_deadline",
}
TABLE = re.compile(r'(?:FROM|JOIN)\s+"([a-z0-9_]+)"')


def _board(c: Client) -> list[str]:
    with CaptureQueriesContext(connection) as seen:
        resp = c.get(MARCH)
    assert resp.status_code == 200
    body = resp.content.decode()
    for panel in registry.panels():
        assert f'data-panel="{panel.key}"' in body, panel.key
    return [q["sql"] for q in seen.captured_queries]


def _more_tickets(n: int) -> None:
    """``n`` more closed tickets received in March on the fixture's own equipment, with their
    three decided clocks (bulk SQL, as the benchmark's generator)."""
    with connection.cursor() as cur:
        cur.execute(
            "SELECT customer_id, equipment_id, sla_policy_id FROM service_ticket "
            "WHERE equipment_id IS NOT NULL ORDER BY id LIMIT 1"
        )
        cust, eq, policy = cur.fetchone()
        cur.execute("SELECT coalesce(max(id), 0) FROM service_ticket")
        (start,) = cur.fetchone()
        cur.execute(
            """
            INSERT INTO service_ticket (number, type, channel, severity, state, customer_id,
              equipment_id, contact_name, contact_phone, address, description, environment,
              customer_request, fault_category, received_at, resolved_at, closed_at, remote,
              reopen_count, cancel_reason, created_at, updated_at, sla_policy_id,
              sla_policy_source, different_fault_reason, solution_plan, complex_reason)
            SELECT 'QC' || lpad(g::text, 10, '0'), 'repair', 'phone', 'normal', 'closed',
              %(cust)s, %(eq)s, '张三', '13800000000', '', '查询数测试', '', '', '', rt,
              rt + interval '5 hours', rt + interval '1 day', false, 0, '', now(), now(),
              %(policy)s, 'default', '', '', ''
            FROM (SELECT g, timestamptz '2026-03-02 02:00+00' + (g %% 600) * interval '1 hour'
                         AS rt FROM generate_series(1, %(n)s) g) x
            """,
            {"cust": cust, "eq": eq, "policy": policy, "n": n},
        )
        cur.execute(
            """
            INSERT INTO service_slaclock (ticket_id, metric, target_minutes, working_time,
              started_at, due_at, met_at, status, paused_minutes, breach_minutes)
            SELECT t.id, m.metric, m.minutes, false, t.received_at,
              t.received_at + (m.minutes || ' minutes')::interval,
              t.received_at + (m.minutes / 2 || ' minutes')::interval, 'met', 0, 0
            FROM service_ticket t
            CROSS JOIN (VALUES ('response', 30), ('on_site', 240), ('resolution', 1440))
              m(metric, minutes)
            WHERE t.id > %s
            """,
            [start],
        )


def test_the_board_reads_only_facts_and_its_queries_do_not_grow_with_the_tickets() -> None:
    fm.build()
    summary.build(fm.MONTH_START, fm.MONTH_END)
    c = Client()
    c.force_login(t.user("manager"))
    c.get(MARCH)  # the first request loads what a process caches once
    before = _board(c)
    read = {m for sql in before for m in TABLE.findall(sql)}
    assert "reports_panelfact" in read
    assert read <= MAY_READ, sorted(read - MAY_READ)
    # a few queries per panel (its facts, a snapshot's last day, the names of its keys)
    assert len(before) <= 4 * len(registry.panels()) + 10, len(before)

    _more_tickets(1000)
    summary.build(fm.MONTH_START, fm.MONTH_END)
    after = _board(c)
    assert len(after) == len(before)
