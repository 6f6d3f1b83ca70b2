"""Finding 8#12: a request never solves inline for longer than DISPATCH_INLINE_MAX_SECONDS;
a bigger budget (even with background=False) goes to the worker's job path."""

from __future__ import annotations

import pytest
from procrastinate.contrib.django.models import ProcrastinateJob

from aftersales.dispatch import services
from aftersales.dispatch.tests import world as W


@pytest.mark.django_db
def test_a_long_budget_is_never_solved_inside_the_request(settings) -> None:  # type: ignore[no-untyped-def]
    settings.DISPATCH_INLINE_MAX_SECONDS = 2
    w = W.build()
    W.ticket(w, 0, severity="normal")
    plan = services.plan_day(
        actor=w.coordinator, day=w.day, region=w.region, time_budget_seconds=20, background=False
    )
    assert plan.solving and plan.solved_at is None and not plan.items.exists()
    job = ProcrastinateJob.objects.get(task_name="dispatch.solve_plan")
    assert job.args == {"plan_id": plan.pk} and job.status == "todo"
    # within the cap the same request solves inline, as before
    quick = services.plan_day(
        actor=w.coordinator, day=w.day, region=w.region, time_budget_seconds=1, background=False
    )
    assert quick.solved_at is not None
    assert ProcrastinateJob.objects.filter(task_name="dispatch.solve_plan").count() == 1
