"""Running PyVRP's iterated local search with penalties that never drop below a floor.

PyVRP adapts its penalties (per unit of excess load, time warp, excess distance) to keep
about 65 % of candidate solutions feasible. With prize-collecting clients that is not
enough: when the penalty of a load dimension sinks below the prize of a client, carrying
that client infeasibly (a second lunch break, a job for which the technician lacks the
skill) becomes profitable and the search oscillates. Here each dimension gets a floor just
above the largest prize it could buy, so the adaptation only happens above it.
"""

from __future__ import annotations

from collections.abc import Sequence
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
from pyvrp.stop import MaxRuntime


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
    seconds: float,
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
    return algorithm.run(MaxRuntime(max(seconds, 0.05)), collect_stats=False)
