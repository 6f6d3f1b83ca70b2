"""Today's demo plan (issue #11 target): every major and urgent job that any technician can
physically reach in time is planned in time.

The demo (small) is loaded at 10:30 on a working day and 华东区 is planned at 11:00 through
the planner service, as a dispatcher would. Reachability is then checked independently of
the solver (``planning.reach``: straight from where and when each skilled technician is
free, by the travel model)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from aftersales.core.models import Region
from aftersales.dispatch import services, snapshot
from aftersales.dispatch.planning.checker import check_plan
from aftersales.dispatch.planning.model import SEVERITY_WEIGHTS
from aftersales.dispatch.planning.reach import reachable_misses
from aftersales.sla.rules import Severity

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 12, 8)  # a Tuesday, a working day


def at(hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(DAY, dt.time(hour, minute)))


def test_todays_demo_plan_misses_no_reachable_major_or_urgent_job(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clock = {"now": at(10, 30)}
    monkeypatch.setattr(timezone, "now", lambda: clock["now"])  # the demo is made "now"
    call_command("load_demo", size="small", stdout=io.StringIO())
    clock["now"] = at(11, 0)
    coordinator = get_user_model().objects.get(username="coordinator")
    region = Region.objects.get(name="华东区")
    plan = services.plan_day(
        actor=coordinator,
        day=DAY,
        region=region,
        time_budget_seconds=5,
        background=False,
        now=clock["now"],
    )
    problem = snapshot.problem_from_json(plan.problem)
    pure = snapshot.plan_of(
        problem, plan.routes, plan.items.order_by("technician_id", "sequence"), plan.day
    )
    urgent = SEVERITY_WEIGHTS[Severity.URGENT]
    assert any(job.must_do and job.weight >= urgent for job in problem.jobs)
    assert reachable_misses(problem, pure, min_weight=urgent) == []
    # and the plan as stored passes the project's own checker (it can be published)
    report = check_plan(problem, pure)
    assert report.feasible, report.violations
