"""Jobs of the dispatch domain: solving a big day in the background (queue ``dispatch``)."""

from __future__ import annotations

from procrastinate.contrib.django import app

from aftersales.dispatch import services


@app.task(name="dispatch.solve_plan", queue="dispatch")
def solve_plan(plan_id: int) -> bool:
    return services.solve_pending(plan_id=plan_id)
