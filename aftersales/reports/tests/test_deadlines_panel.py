"""The parts requests' and returns' deadlines on time vs overdue (补件与退货按时 / 逾期):
the timed steps of real requests (filed through their services), given the due and done
times defined below as plain values, against the board's table — due in June only (local
time), a cancelled step not counted, done at its due time on time, a step still open past
due overdue — the export equal to the table, and a dealer seeing its customers' only."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.utils import timezone

from aftersales import testing as t
from aftersales.approvals.models import Deadline
from aftersales.approvals.testing import build
from aftersales.parts.tests.helpers import file_request
from aftersales.reports.services import summary
from aftersales.reports.tests.tables import Tables, assert_export_is_table
from aftersales.returns.tests.helpers import apply

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
JUNE = "start=2026-06-01&end=2026-06-30"
# a document: its kind (p 补件, r 退货), its customer (a: 杭州经销商's, b: 苏州经销商's), a number
DOCS = {"pa1", "pa2", "pa3", "pb1", "ra1", "ra2"}
KINDS = {"p": "补件", "r": "退货"}
LABELS = {"analyse": "分析判定", "confirm": "电话确认", "receive": "收货", "inspect": "检验"}


def at(month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=TZ)


# document, step, due, done (None: still open), cancelled
DEADLINES: tuple[tuple[Any, ...], ...] = (
    ("pa1", "analyse", at(6, 3, 10), at(6, 3, 9), False),  # on time
    ("pb1", "analyse", at(6, 4, 10), at(6, 4, 13), False),  # 3 h late
    ("pa1", "confirm", at(6, 5, 10), at(6, 5, 12), False),  # 2 h late
    ("pb1", "confirm", at(6, 10, 10), None, False),  # still open, past due
    ("ra1", "receive", at(6, 20, 10), at(6, 20, 10), False),  # done at the due time: on time
    ("ra1", "inspect", at(6, 30, 23, 50), at(7, 1, 1, 0), False),  # June's end, 70 min late
    ("ra2", "receive", at(6, 21, 10), None, True),  # cancelled: not counted
    ("pa2", "analyse", at(7, 1, 0, 10), at(7, 1, 0, 5), False),  # July
    ("pa3", "analyse", at(5, 31, 23, 50), at(6, 1, 9), False),  # May
)


def by_hand(customers: str, now: dt.datetime) -> dict[tuple[str, str], list[Any]]:
    """(document kind, step) → [due, on time, overdue, on-time %, mean hours overdue]."""
    groups: dict[tuple[str, str], list[Any]] = defaultdict(lambda: [0, 0, 0, 0.0])
    for doc, step, due, done, cancelled in DEADLINES:
        if cancelled or due.month != 6 or doc[1] not in customers:
            continue
        g = groups[(KINDS[doc[0]], LABELS[step])]
        g[0] += 1
        if done is not None and done <= due:
            g[1] += 1
        else:
            g[2] += 1
            g[3] += ((done or now) - due).total_seconds() / 3600
    out = {}
    for key, (n, ok, late, hours) in groups.items():
        rate = (Decimal(ok) * 100 / n).quantize(Decimal("0.1"), ROUND_HALF_UP)
        out[key] = [str(n), str(ok), str(late), str(rate), hours / late if late else None]
    return out


@pytest.fixture
def world() -> Any:
    w = build()
    customers = {"a": w.cust_a, "b": w.cust_b}
    docs = {
        key: (file_request if key[0] == "p" else apply)(w, customer_id=customers[key[1]].id)
        for key in sorted(DOCS)
    }
    # (the steps the services started fall due after DAY0, in November: outside June)
    for doc, step, due, done, cancelled in DEADLINES:
        d = docs[doc]
        Deadline.objects.create(
            content_type=ContentType.objects.get_for_model(d),
            object_id=d.pk,
            document_number=d.number,
            step=f"june_{step}",
            label=LABELS[step],
            starts_at=due - dt.timedelta(days=1),
            due_at=due,
            done_at=done,
            cancelled_at=due if cancelled else None,
        )
    summary.build(dt.date(2026, 5, 1), dt.date(2026, 7, 31), panels=["deadlines"])
    w.built_at = timezone.now()
    return w


def table_of(c: Client) -> list[list[str]]:
    p = Tables()
    p.feed(c.get(f"/reports/?{JUNE}&panel=deadlines").content.decode())
    return p.tables["deadlines"]


def check(rows: list[list[str]], want: dict[tuple[str, str], list[Any]]) -> None:
    got = {(r[0], r[1]): r[2:] for r in rows[1:]}
    assert len(got) == len(rows) - 1
    assert set(got) == set(want)
    for key, (n, ok, late, rate, hours) in want.items():
        assert got[key][:4] == [n, ok, late, rate], key
        if hours is None:
            assert got[key][4] == "—", key
        else:  # (a step still open is overdue until the build: within a tenth of an hour)
            assert abs(Decimal(got[key][4]) - Decimal(str(hours))) <= Decimal("0.06"), key


def test_parts_and_returns_deadlines_on_time_and_overdue(world) -> None:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(t.user("manager"))
    rows = table_of(c)
    assert rows[0] == ["单据", "步骤", "到期", "按时", "逾期", "按时率%", "平均逾期(小时)"]
    want = by_hand("ab", world.built_at)
    check(rows, want)
    # by hand, a few: two analyses due, one on time; the receipt done at its due time
    assert want[("补件", "分析判定")][:4] == ["2", "1", "1", "50.0"]
    assert want[("补件", "分析判定")][4] == 3.0
    assert want[("退货", "收货")][:4] == ["1", "1", "0", "100.0"]
    assert want[("退货", "检验")][4] == pytest.approx(70 / 60)
    # the export is the table on the screen
    assert_export_is_table(c, f"/reports/export/deadlines.xlsx?{JUNE}", rows)


def test_a_dealer_sees_its_customers_deadlines_only(world) -> None:  # type: ignore[no-untyped-def]
    dealer_user = t.user("dealer", org=world.dealer_a)
    dealer_user.user_permissions.add(*Permission.objects.filter(codename="view_panelfact"))
    c = Client()
    c.force_login(dealer_user)
    check(table_of(c), by_hand("a", world.built_at))
