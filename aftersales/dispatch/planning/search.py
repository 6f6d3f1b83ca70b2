"""Running PyVRP's iterated local search with penalties that never drop below a floor.

PyVRP adapts its penalties (per unit of excess load, time warp, excess distance) to keep
about 65 % of candidate solutions feasible. With prize-collecting clients that is not
enough: when the penalty of a load dimension sinks below the prize of a client, carrying
that client infeasibly (a second lunch break, a job for which the technician lacks the
skill) becomes profitable and the search oscillates. Here each dimension gets a floor just
above the largest prize it could buy, so the adaptation only happens above it.

``Budget`` measures the time budget: by default in CPU seconds of this process (a busy
machine that gives the solver half a core does not silently halve the search), capped by a
wall-clock limit. ``PhaseStop`` ends one phase of the search at a share of the budget, after
a stretch without improving the first objective, or — for an all-required attempt — when
no feasible solution has been found by a given share.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from statistics import fmean

from pyvrp import (
    CostEvaluator,
    IteratedLocalSearch,
    PenaltyManager,
    PenaltyParams,
    ProblemData,
    RandomNumberGenerator,
    Result,
    Solution,
)
from pyvrp.search import (
    OPERATORS,
    LocalSearch,
    NeighbourhoodParams,
    PerturbationManager,
    PerturbationParams,
    compute_neighbours,
)

# PyVRP's cost of an infeasible solution (the largest value of its cost type)
INFEASIBLE_COST = 2**62


@dataclass
class Budget:
    """``seconds`` of search from now: CPU seconds of this process when ``cpu_aware``
    (never more than ``wall_factor`` × ``seconds`` of wall-clock time), else wall-clock."""

    seconds: float
    cpu_aware: bool = True
    wall_factor: float = 2.0
    _cpu0: float = field(default_factory=time.process_time)
    _wall0: float = field(default_factory=time.perf_counter)

    def used(self) -> float:
        """Share of the budget used, 0 … 1 (and beyond once it is exhausted)."""
        if self.seconds <= 0:
            return 1.0
        wall = time.perf_counter() - self._wall0
        if not self.cpu_aware:
            return wall / self.seconds
        cpu = time.process_time() - self._cpu0
        return max(cpu / self.seconds, wall / (self.seconds * self.wall_factor))

    def left(self) -> float:
        """Seconds of budget left (in the budget's own measure)."""
        return max(0.0, (1.0 - self.used()) * self.seconds)

    def phase(
        self,
        until: float,
        *,
        patience: float | None = None,
        unit: int = 1,
        give_up: float | None = None,
    ) -> PhaseStop:
        return PhaseStop(self, until, patience, max(1, unit), give_up)


@dataclass
class PhaseStop:
    """PyVRP stopping criterion: stop at share ``until`` of the budget; with ``patience``
    (a share), also when ``best_cost // unit`` (the first objective: the prizes of the
    breaches) has not improved for that long; with ``give_up`` (a share), also when the
    best solution is still infeasible by then."""

    budget: Budget
    until: float
    patience: float | None = None
    unit: int = 1
    give_up: float | None = None
    _best: int | None = None
    _since: float = 0.0

    def __call__(self, best_cost: int) -> bool:
        used = self.budget.used()
        if used >= self.until:
            return True
        if self.give_up is not None and used >= self.give_up and best_cost >= INFEASIBLE_COST:
            return True
        if self.patience is None:
            return False
        level = best_cost // self.unit
        if self._best is None or level < self._best:
            self._best, self._since = level, used
            return False
        return used - self._since >= self.patience


class FlooredPenalties(PenaltyManager):
    """A penalty manager whose per-dimension penalties stay within ``[floor, ceiling]``;
    the order of values is: one per load dimension, then time warp, then distance."""

    def __init__(
        self,
        floors: Sequence[float],
        ceilings: Sequence[float],
        params: PenaltyParams | None = None,
    ) -> None:
        params = params or PenaltyParams()
        loads = [*floors[:-2]]
        super().__init__((loads, floors[-2], floors[-1]), params)
        self._floors = [float(f) for f in floors]
        self._ceilings = [max(float(c), float(f)) for c, f in zip(ceilings, floors, strict=True)]
        self._values = [
            max(f, (f + c) / 2) for f, c in zip(self._floors, self._ceilings, strict=True)
        ]
        self._seen: list[list[int]] = [[] for _ in floors]
        self._settings = params

    def penalties(self) -> tuple[list[float], float, float]:
        return self._values[:-2], self._values[-2], self._values[-1]

    def register(self, sol: Solution) -> None:
        violations = [*sol.excess_load(), sol.time_warp(), sol.excess_distance()]
        settings = self._settings
        for index, violation in enumerate(violations):
            seen = self._seen[index]
            seen.append(violation)
            if len(seen) < settings.solutions_between_updates:
                continue
            feasible = fmean(v == 0 for v in seen)
            seen.clear()
            gap = settings.target_feasible - feasible
            if abs(gap) < settings.feas_tolerance:
                continue
            factor = settings.penalty_increase if gap > 0 else settings.penalty_decrease
            value = self._values[index] * factor
            self._values[index] = min(self._ceilings[index], max(self._floors[index], value))

    def cost_evaluator(self) -> CostEvaluator:
        return CostEvaluator(self._values[:-2], self._values[-2], self._values[-1])

    def max_cost_evaluator(self) -> CostEvaluator:
        return CostEvaluator(self._ceilings[:-2], self._ceilings[-2], self._ceilings[-1])


def run_search(
    data: ProblemData,
    stop: PhaseStop,
    seed: int,
    *,
    floors: Sequence[float] | None = None,
    ceilings: Sequence[float] | None = None,
    initial: Solution | None = None,
) -> Result:
    """PyVRP's ``solve`` with an optional floored penalty manager."""
    rng = RandomNumberGenerator(seed=seed)
    search = LocalSearch(
        data,
        rng,
        compute_neighbours(data, NeighbourhoodParams()),
        PerturbationManager(PerturbationParams()),
    )
    for operator in OPERATORS:
        if operator.supports(data):
            search.add_operator(operator(data))
    params = PenaltyParams()
    if floors is None or ceilings is None:
        manager = PenaltyManager(params.midpoint_penalties(data), params)
    else:
        manager = FlooredPenalties(floors, ceilings, params)
    if initial is None:
        initial = search(Solution.make_random(data, rng), manager.max_cost_evaluator(), True)
    algorithm = IteratedLocalSearch(data, manager, search, initial)
    return algorithm.run(stop, collect_stats=False)
