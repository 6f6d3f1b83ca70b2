"""Solomon VRPTW benchmark of the dispatch solver (DIMACS convention).

Every instance is read into our planning model, solved by ``solver.solve`` with the given
budget, checked by our own checker, and compared with the DIMACS best-known distance:

    .venv/bin/python bench/dispatch_solomon.py              # 56 instances × 10 s
    .venv/bin/python bench/dispatch_solomon.py --seconds 5
    .venv/bin/python bench/dispatch_solomon.py --quick      # first of each family, 2 s
    .venv/bin/python bench/dispatch_solomon.py --only C101 R112
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script (bench/run.sh) as well as with -m
    sys.path.insert(0, str(ROOT))

from aftersales.dispatch.planning.checker import check_plan  # noqa: E402
from aftersales.dispatch.planning.solomon import (  # noqa: E402
    SCALE,
    best_known,
    data_root,
    family_of,
    instance_paths,
    read_instance,
    to_problem,
)
from aftersales.dispatch.planning.solver import solve  # noqa: E402


@dataclass(frozen=True)
class Outcome:
    name: str
    distance: float
    best_known: float
    routes: int
    feasible: bool
    seconds: float

    @property
    def gap(self) -> float:
        return 100 * (self.distance - self.best_known) / self.best_known


def run_instance(path: Path, seconds: float, seed: int, bks: dict[str, float]) -> Outcome:
    instance = read_instance(path)
    problem = to_problem(instance)
    started = time.perf_counter()
    plan = solve(problem, time_budget_seconds=seconds, seed=seed)
    elapsed = time.perf_counter() - started
    report = check_plan(problem, plan)
    complete = not plan.unassigned and report.metrics.visits == len(problem.jobs)
    return Outcome(
        name=instance.name,
        distance=report.metrics.total_travel / SCALE,
        best_known=bks[instance.name],
        routes=sum(1 for route in plan.routes if route.visits),
        feasible=report.feasible and complete and report.metrics.late_visits == 0,
        seconds=elapsed,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="budget per instance")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--quick", action="store_true", help="one instance per family, 2 s")
    parser.add_argument("--only", nargs="*", default=None, help="instance names")
    parser.add_argument("--data", type=Path, default=None, help="Solomon data folder")
    args = parser.parse_args(argv)

    root = args.data or data_root()
    paths = instance_paths(root)
    seconds = args.seconds
    if args.quick:
        first_of_family: dict[str, Path] = {}
        for path in paths:
            first_of_family.setdefault(family_of(path.stem), path)
        paths = list(first_of_family.values())
        seconds = 2.0 if args.seconds == 10.0 else args.seconds
    if args.only:
        wanted = {name.upper() for name in args.only}
        paths = [p for p in paths if p.stem.upper() in wanted]
    bks = best_known(root)

    print(f"Solomon VRPTW, DIMACS convention, {seconds:g} s per instance, seed {args.seed}")
    print(
        f"{'instance':<9}{'routes':>7}{'distance':>11}{'BKS':>10}{'gap %':>8}{'feasible':>10}{'s':>7}"
    )
    outcomes = []
    for path in paths:
        outcome = run_instance(path, seconds, args.seed, bks)
        outcomes.append(outcome)
        print(
            f"{outcome.name:<9}{outcome.routes:>7}{outcome.distance:>11.1f}"
            f"{outcome.best_known:>10.1f}{outcome.gap:>8.2f}{'yes' if outcome.feasible else 'NO':>10}"
            f"{outcome.seconds:>7.1f}",
            flush=True,
        )
    gaps = [o.gap for o in outcomes]
    worst = max(outcomes, key=lambda o: o.gap)
    feasible = sum(o.feasible for o in outcomes)
    print(
        f"\n{len(outcomes)} instances: mean gap {statistics.fmean(gaps):.2f} %, "
        f"worst {worst.gap:.2f} % ({worst.name}), feasible {feasible}/{len(outcomes)}"
    )
    return 0 if feasible == len(outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
