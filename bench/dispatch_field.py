"""Field-service days: the dispatch optimiser against the dispatcher's greedy heuristic and
against OR-Tools' routing solver (guided local search), side by side in one run.

All plan the same generated days (``scenarios.field_day``: 华东/华北/华南, six product
skills, SLA and appointment windows, lunch breaks, crews sized so that the greedy misses at
least 10 % of the windows); every plan is checked by the independent checker. OR-Tools
(``bench/dispatch_ortools.py``) and ours get the same wall-clock budget (ours with
``cpu_aware=False`` here, so that a busy machine hurts both alike). "ours" is the product's
setting (a must-do job that cannot be reached in time is still planned, late);
"ours·hard" plans on-time visits only, like the OR-Tools model. Then the optimiser is run at
50, 200 and 1000 jobs with the same budget (scaling).

    .venv/bin/python bench/dispatch_field.py                 # 5 days × 200 jobs, 30 s
    .venv/bin/python bench/dispatch_field.py --seconds 10 --days 3
    .venv/bin/python bench/dispatch_field.py --no-ortools    # without the peer
    .venv/bin/python bench/dispatch_field.py --quick         # 1 day, 5 s; scaling 50/200
    .venv/bin/python bench/dispatch_field.py --only or-tools --days 1 --sizes   # one solver
    .venv/bin/python bench/dispatch_field.py --only ours --ab --sizes   # ours vs run D's search
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script (bench/run.sh) as well as with -m
    sys.path.insert(0, str(ROOT))

from aftersales.dispatch.planning.checker import PlanMetrics, check_plan  # noqa: E402
from aftersales.dispatch.planning.greedy import greedy_plan  # noqa: E402
from aftersales.dispatch.planning.model import Plan, PlanningProblem  # noqa: E402
from aftersales.dispatch.planning.scenarios import field_day  # noqa: E402
from aftersales.dispatch.planning.solver import SearchSettings, solve  # noqa: E402

# ``--ab``: the search as it was in run D (no exchange repair, no rounds), side by side
ROUND_D = SearchSettings(exchange=False, rounds_patience=None, final_polish=0.0)


@dataclass(frozen=True)
class Measured:
    metrics: PlanMetrics
    feasible: bool
    seconds: float
    late_minutes: int = 0


def measure(problem: PlanningProblem, plan: Plan, seconds: float) -> Measured:
    report = check_plan(problem, plan)
    late = sum(v.late_minutes for r in plan.routes for v in r.visits)
    return Measured(report.metrics, report.feasible, seconds, late)


def run_greedy(problem: PlanningProblem) -> Measured:
    started = time.perf_counter()
    plan = greedy_plan(problem)
    return measure(problem, plan, time.perf_counter() - started)


def run_solver(
    problem: PlanningProblem, budget: float, seed: int, settings: SearchSettings | None = None
) -> Measured:
    started = time.perf_counter()
    plan = solve(problem, time_budget_seconds=budget, seed=seed, cpu_aware=False, settings=settings)
    return measure(problem, plan, time.perf_counter() - started)


def run_solver_hard(problem: PlanningProblem, budget: float, seed: int) -> Measured:
    return run_solver(replace(problem, schedule_late_visits=False), budget, seed)


def run_round_d(problem: PlanningProblem, budget: float, seed: int) -> Measured:
    return run_solver(problem, budget, seed, ROUND_D)


def run_round_d_hard(problem: PlanningProblem, budget: float, seed: int) -> Measured:
    return run_solver(replace(problem, schedule_late_visits=False), budget, seed, ROUND_D)


def run_ortools(problem: PlanningProblem, budget: float, seed: int) -> Measured:
    from bench.dispatch_ortools import solve_ortools

    started = time.perf_counter()
    plan = solve_ortools(problem, budget)
    elapsed = time.perf_counter() - started
    for note in plan.notes:
        print(f"  (or-tools: {note})")
    return measure(problem, plan, elapsed)


def ratio(ours: float, theirs: float) -> str:
    return f"{ours / theirs:.2f}" if theirs else ("1.00" if ours == 0 else "inf")


def row(label: str, m: Measured) -> str:
    x = m.metrics
    per_visit = x.total_travel / x.visits if x.visits else 0.0
    return (
        f"{label:<12}{x.weighted_breaches:>8}{x.breached_jobs:>8}{x.late_visits:>6}"
        f"{m.late_minutes:>9}{x.unassigned_must_do:>7}{x.visits:>8}{x.total_travel:>9}"
        f"{per_visit:>8.1f}{'yes' if m.feasible else 'NO':>6}{m.seconds:>8.1f}"
    )


HEADER = (
    f"{'':<12}{'w.brch':>8}{'breach':>8}{'late':>6}{'late min':>9}{'unasg':>7}{'visits':>8}"
    f"{'travel':>9}{'min/vis':>8}{'ok':>6}{'s':>8}"
)

Runner = Callable[[PlanningProblem, float, int], Measured]


def compare_days(
    jobs: int,
    days: int,
    budget: float,
    first_seed: int,
    peer: bool,
    only: str | None = None,
    ab: bool = False,
) -> bool:
    print(f"## {days} field days × {jobs} jobs, budget {budget:g} s\n", flush=True)
    runners: dict[str, Runner] = {"greedy": lambda p, _b, _s: run_greedy(p)}
    if peer:
        runners["or-tools"] = run_ortools
    runners["ours"] = run_solver
    if peer:
        runners["ours·hard"] = run_solver_hard
    if ab:
        runners["ours·D"] = run_round_d
        runners["ours·D·hard"] = run_round_d_hard
    if only is not None:  # one solver alone (a process per solver, e.g. to time them apart)
        runners = {only: runners[only]}
        if ab and only in ("ours", "ours·hard"):  # … against its run-D self, alternately
            old = "ours·D" if only == "ours" else "ours·D·hard"
            runners[old] = run_round_d if only == "ours" else run_round_d_hard
    totals = {label: [0, 0, 0, 0] for label in runners}
    feasible = True
    for seed in range(first_seed, first_seed + days):
        day = field_day(jobs, seed)
        problem = day.problem
        print(
            f"day seed {seed}: {len(problem.jobs)} jobs, {len(problem.technicians)} technicians "
            f"({day.jobs_per_technician:g} jobs each)"
        )
        print(HEADER)
        results: dict[str, Measured] = {}
        order = list(runners.items())
        if ab and seed % 2:  # the old and new search take turns at going first
            order = _swap_ab(order)
        for label, runner in order:
            measured = runner(problem, budget, seed)
            results[label] = measured
            print(row(label, measured), flush=True)
            m = measured.metrics
            total = totals[label]
            total[0] += m.weighted_breaches
            total[1] += m.total_travel
            total[2] += m.visits
            total[3] += measured.late_minutes
            feasible = feasible and measured.feasible
        print()
    print("all days:")
    print(f"{'':<12}{'w.brch':>8}{'late min':>9}{'visits':>8}{'travel':>9}")
    for label, (b, t, v, late) in totals.items():
        print(f"{label:<12}{b:>8}{late:>9}{v:>8}{t:>9}")
    for new, old in (("ours", "ours·D"), ("ours·hard", "ours·D·hard")):
        if new in totals and old in totals:
            b, t = totals[new][0], totals[new][1]
            ob, ot = totals[old][0], totals[old][1]
            print(
                f"{new} vs {old}: weighted breaches {b} vs {ob} (ratio {ratio(b, ob)}), "
                f"travel ratio {ratio(t, ot)}"
            )
    if only is not None:
        print(f"all plans feasible: {'yes' if feasible else 'NO'}\n", flush=True)
        return feasible
    gb, gt = totals["greedy"][0], totals["greedy"][1]
    ob, ot = totals["ours"][0], totals["ours"][1]
    print(
        f"ours vs greedy: weighted breaches ratio {ratio(ob, gb)} "
        f"({100 * (1 - ob / gb) if gb else 0:.0f} % fewer), travel ratio {ratio(ot, gt)}"
    )
    if peer:
        pb, pt = totals["or-tools"][0], totals["or-tools"][1]
        for label in ("ours", "ours·hard"):
            b, t = totals[label][0], totals[label][1]
            print(
                f"{label} vs or-tools: weighted breaches ratio {ratio(b, pb)} "
                f"({100 * (1 - b / pb) if pb else 0:.0f} % fewer), travel ratio {ratio(t, pt)}"
            )
    print(f"all plans feasible: {'yes' if feasible else 'NO'}\n", flush=True)
    return feasible


def _swap_ab(order: list[tuple[str, Runner]]) -> list[tuple[str, Runner]]:
    """``order`` with each new search and its run-D self swapped."""
    labels = [label for label, _ in order]
    swapped = list(order)
    for new, old in (("ours", "ours·D"), ("ours·hard", "ours·D·hard")):
        if new in labels and old in labels:
            i, j = labels.index(new), labels.index(old)
            swapped[i], swapped[j] = swapped[j], swapped[i]
    return swapped


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
    parser.add_argument("--no-ortools", action="store_true", help="without the OR-Tools peer")
    parser.add_argument(
        "--only", choices=["greedy", "or-tools", "ours", "ours·hard"], help="one solver alone"
    )
    parser.add_argument(
        "--ab",
        action="store_true",
        help="also run the search of run D (no exchange repair, no rounds) as ours·D / ours·D·hard, "
        "taking turns with ours at going first (with --only ours: just the two)",
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.seconds, args.days, args.sizes = 5.0, 1, [50, 200]
    peer = not args.no_ortools or args.only in ("or-tools", "ours·hard")
    ok = compare_days(args.jobs, args.days, args.seconds, args.seed, peer, args.only, args.ab)
    if args.sizes:
        ok = scaling(args.sizes, args.seconds, args.seed) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
