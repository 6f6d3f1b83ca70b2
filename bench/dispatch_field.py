"""Field-service days: the dispatch optimiser against the dispatcher's greedy heuristic.

Both plan the same generated days (``scenarios.field_day``: 华东/华北/华南, six product
skills, SLA and appointment windows, lunch breaks, crews sized so that the greedy misses at
least 10 % of the windows); both plans are checked by the independent checker. Then the
optimiser is run at 50, 200 and 1000 jobs with the same budget (scaling).

    .venv/bin/python bench/dispatch_field.py                 # 5 days × 200 jobs, 30 s
    .venv/bin/python bench/dispatch_field.py --seconds 10 --days 3
    .venv/bin/python bench/dispatch_field.py --quick         # 1 day, 5 s; scaling 50/200
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script (bench/run.sh) as well as with -m
    sys.path.insert(0, str(ROOT))

from aftersales.dispatch.planning.checker import PlanMetrics, check_plan  # noqa: E402
from aftersales.dispatch.planning.greedy import greedy_plan  # noqa: E402
from aftersales.dispatch.planning.model import Plan, PlanningProblem  # noqa: E402
from aftersales.dispatch.planning.scenarios import field_day  # noqa: E402
from aftersales.dispatch.planning.solver import solve  # noqa: E402


@dataclass(frozen=True)
class Measured:
    metrics: PlanMetrics
    feasible: bool
    seconds: float


def measure(problem: PlanningProblem, plan: Plan, seconds: float) -> Measured:
    report = check_plan(problem, plan)
    return Measured(report.metrics, report.feasible, seconds)


def run_greedy(problem: PlanningProblem) -> Measured:
    started = time.perf_counter()
    plan = greedy_plan(problem)
    return measure(problem, plan, time.perf_counter() - started)


def run_solver(problem: PlanningProblem, budget: float, seed: int) -> Measured:
    started = time.perf_counter()
    plan = solve(problem, time_budget_seconds=budget, seed=seed)
    return measure(problem, plan, time.perf_counter() - started)


def ratio(ours: float, theirs: float) -> str:
    return f"{ours / theirs:.2f}" if theirs else ("1.00" if ours == 0 else "inf")


def row(label: str, m: Measured) -> str:
    x = m.metrics
    per_visit = x.total_travel / x.visits if x.visits else 0.0
    return (
        f"{label:<8}{x.weighted_breaches:>8}{x.breached_jobs:>8}{x.late_visits:>6}"
        f"{x.unassigned_must_do:>7}{x.visits:>8}{x.total_travel:>9}{per_visit:>8.1f}"
        f"{'yes' if m.feasible else 'NO':>6}{m.seconds:>8.1f}"
    )


HEADER = (
    f"{'':<8}{'w.brch':>8}{'breach':>8}{'late':>6}{'unasg':>7}{'visits':>8}"
    f"{'travel':>9}{'min/vis':>8}{'ok':>6}{'s':>8}"
)


def compare_days(jobs: int, days: int, budget: float, first_seed: int) -> bool:
    print(f"## {days} field days × {jobs} jobs, optimiser budget {budget:g} s\n")
    totals = {"greedy": [0, 0, 0], "ours": [0, 0, 0]}
    feasible = True
    for seed in range(first_seed, first_seed + days):
        day = field_day(jobs, seed)
        problem = day.problem
        print(
            f"day seed {seed}: {len(problem.jobs)} jobs, {len(problem.technicians)} technicians "
            f"({day.jobs_per_technician:g} jobs each)"
        )
        print(HEADER)
        greedy = run_greedy(problem)
        ours = run_solver(problem, budget, seed)
        for label, measured in (("greedy", greedy), ("ours", ours)):
            print(row(label, measured))
            m = measured.metrics
            totals[label][0] += m.weighted_breaches
            totals[label][1] += m.total_travel
            totals[label][2] += m.visits
            feasible = feasible and measured.feasible
        g, o = greedy.metrics, ours.metrics
        print(
            f"ratio   weighted breaches {ratio(o.weighted_breaches, g.weighted_breaches)}, "
            f"travel {ratio(o.total_travel, g.total_travel)}\n"
        )
    (gb, gt, gv), (ob, ot, ov) = totals["greedy"], totals["ours"]
    print(
        f"all days: weighted breaches {ob} vs {gb} (ratio {ratio(ob, gb)}, "
        f"{100 * (1 - ob / gb) if gb else 0:.0f} % fewer); total travel {ot} vs {gt} min "
        f"(ratio {ratio(ot, gt)}, {100 * (1 - ot / gt):.0f} % less); visits {ov} vs {gv}; "
        f"travel per visit {ot / ov:.1f} vs {gt / gv:.1f} min "
        f"(ratio {ratio(ot / ov, gt / gv)}); all plans feasible: {'yes' if feasible else 'NO'}\n"
    )
    return feasible


def scaling(sizes: list[int], budget: float, seed: int) -> bool:
    print(f"## Scaling, optimiser budget {budget:g} s\n")
    print(
        f"{'jobs':>6}{'techs':>7}{'greedy s':>10}{'ours s':>8}{'w.brch g/o':>13}"
        f"{'ratio':>7}{'travel g/o':>15}{'ratio':>7}{'ok':>5}"
    )
    feasible = True
    for jobs in sizes:
        problem = field_day(jobs, seed).problem
        greedy = run_greedy(problem)
        ours = run_solver(problem, budget, seed)
        g, o = greedy.metrics, ours.metrics
        ok = greedy.feasible and ours.feasible
        feasible = feasible and ok
        print(
            f"{jobs:>6}{len(problem.technicians):>7}{greedy.seconds:>10.2f}{ours.seconds:>8.1f}"
            f"{f'{g.weighted_breaches}/{o.weighted_breaches}':>13}"
            f"{ratio(o.weighted_breaches, g.weighted_breaches):>7}"
            f"{f'{g.total_travel}/{o.total_travel}':>15}{ratio(o.total_travel, g.total_travel):>7}"
            f"{'yes' if ok else 'NO':>5}",
            flush=True,
        )
    print()
    return feasible


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30.0, help="optimiser budget")
    parser.add_argument("--days", type=int, default=5)
    parser.add_argument("--jobs", type=int, default=200, help="jobs per compared day")
    parser.add_argument("--sizes", type=int, nargs="*", default=[50, 200, 1000])
    parser.add_argument("--seed", type=int, default=0, help="first day's seed")
    parser.add_argument("--quick", action="store_true", help="1 day, 5 s, scaling 50/200")
    args = parser.parse_args(argv)
    if args.quick:
        args.seconds, args.days, args.sizes = 5.0, 1, [50, 200]
    ok = compare_days(args.jobs, args.days, args.seconds, args.seed)
    if args.sizes:
        ok = scaling(args.sizes, args.seconds, args.seed) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
