"""Exchange repair: serve a heavier left-out job in place of a lighter served one.

PyVRP's local search inserts a left-out client where it fits and replaces a served client
by a left-out one at the same position, but it never makes the two-step move "take the
light job V out of a route, put the heavy job U into that route wherever it fits (moving
the lunch break if need be), and put V into another route if it still fits somewhere".
That move is what an ejection chain of depth one is, and it is exactly what leaves a plan
with heavier breaches than necessary: a weight-2 job blocks the only technician who could
reach a weight-4 one in time.

``exchange`` applies such moves (V no heavier than U; of equal weight only when V is
served elsewhere or travel drops) and plain insertions that move the lunch break, as long
as one lowers the cost of the encoding's objective — the prizes come first, so a move is
taken when it serves more weight, and among equal weight the one with the least travel.
Only feasible routes are ever built (PyVRP's own check: windows, skills, capacity, one
lunch); the result is a feasible solution of the same encoding.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pyvrp import Activity, ActivityType, CostEvaluator, Solution
from pyvrp import Route as PyvrpRoute

from aftersales.dispatch.planning.encoding import Encoding


@dataclass
class _Route:
    vehicle_type: int
    clients: list[int]


def exchange(
    encoding: Encoding,
    solution: Solution,
    out_of_time: Callable[[], bool] | None = None,
    *,
    pairs: bool = False,
) -> Solution:
    """``solution`` improved by exchange moves (unchanged when none helps or it is
    infeasible). ``out_of_time`` is asked before each left-out job is tried (a big day
    can have hundreds). ``pairs``: also take two jobs out of a route for one heavier job."""
    if not solution.is_feasible():
        return solution
    return _Exchange(encoding, solution, pairs=pairs).run(out_of_time or (lambda: False))


class _Exchange:
    def __init__(self, encoding: Encoding, solution: Solution, *, pairs: bool = False) -> None:
        self.pairs = pairs
        self.encoding = encoding
        self.data = encoding.data
        self.jobs = len(encoding.jobs)
        self.clients = self.data.clients()
        self.vehicle_types = self.data.vehicle_types()
        dims = self.data.num_load_dimensions
        self.evaluator = CostEvaluator([1.0] * dims, 1.0, 1.0)  # feasible: no penalty
        self.routes = [
            _Route(r.vehicle_type(), [a.idx for a in r if a.is_client()]) for r in solution.routes()
        ]
        used = [0] * len(self.vehicle_types)
        for route in self.routes:
            used[route.vehicle_type] += 1
        for vehicle_type, kind in enumerate(self.vehicle_types):  # the idle ones, empty
            self.routes.extend(
                _Route(vehicle_type, []) for _ in range(kind.num_available - used[vehicle_type])
            )
        self.solution = solution
        self.cache: dict[tuple[int, tuple[int, ...]], int | None] = {}
        self.served: set[int] = set()
        # lunch break clients by (place, lunch window index)
        self.break_at: dict[tuple[int, int], int] = {}
        self.lunch_of: dict[int, int] = {}
        lunches: list[object] = []
        for index, (place, lunch) in enumerate(encoding.breaks):
            if lunch not in lunches:
                lunches.append(lunch)
            key = lunches.index(lunch)
            self.break_at[(place, key)] = self.jobs + index
            self.lunch_of[self.jobs + index] = key
        self.lunch_key = [
            None if group[0].lunch is None else lunches.index(group[0].lunch)
            for group in encoding.vehicle_segments
        ]
        self.place = [spec.job.location for spec in encoding.specs]
        self.start_place = [group[0].start_location for group in encoding.vehicle_segments]

    # -- building blocks ---------------------------------------------------------------

    def _cost(self, vehicle_type: int, clients: list[int]) -> int | None:
        """The route's share of the objective (travel and fixed cost less the prizes it
        collects), ``None`` when it is infeasible."""
        if not clients:
            return 0
        key = (vehicle_type, tuple(clients))
        if key not in self.cache:
            activities = [Activity(ActivityType.CLIENT, c) for c in clients]
            route = PyvrpRoute(self.data, activities, vehicle_type)
            self.cache[key] = (
                route.distance() + route.fixed_vehicle_cost() - route.prizes()
                if route.is_feasible()
                else None
            )
        return self.cache[key]

    def _can_carry(self, vehicle_type: int, client: int) -> bool:
        capacity = self.vehicle_types[vehicle_type].capacity
        delivery = self.clients[client].delivery
        return all(d <= c for d, c in zip(delivery, capacity, strict=False))

    def _with(self, route: _Route, client: int) -> tuple[int, list[int]] | None:
        """The cheapest feasible way to add ``client`` to ``route``: at any position, and
        — if that fails, or the route has no break yet but its technician takes one —
        with the break moved (or added) next to any stop. ``None`` when there is none."""
        base = route.clients
        best: tuple[int, list[int]] | None = None
        for position in range(len(base) + 1):
            trial = [*base[:position], client, *base[position:]]
            cost = self._cost(route.vehicle_type, trial)
            if cost is not None and (best is None or cost < best[0]):
                best = (cost, trial)
        lunch = self.lunch_key[route.vehicle_type]
        breaks = [c for c in base if c in self.lunch_of]
        if lunch is None or len(breaks) > 1 or (best is not None and breaks):
            return best
        rest = [c for c in base if c not in self.lunch_of]
        for position in range(len(rest) + 1):
            trial = [*rest[:position], client, *rest[position:]]
            for at in range(len(trial) + 1):
                place = self.place[trial[at - 1]] if at else self.start_place[route.vehicle_type]
                brk = self.break_at.get((place, lunch))
                if brk is None or (brk in self.served and brk not in base):
                    continue  # a break client is one place and time: once per plan
                moved = [*trial[:at], brk, *trial[at:]]
                cost = self._cost(route.vehicle_type, moved)
                if cost is not None and (best is None or cost < best[0]):
                    best = (cost, moved)
        return best

    def _solution(self) -> Solution:
        built = [
            PyvrpRoute(
                self.data, [Activity(ActivityType.CLIENT, c) for c in r.clients], r.vehicle_type
            )
            for r in self.routes
            if r.clients
        ]
        return Solution(self.data, built)

    # -- moves -------------------------------------------------------------------------

    def run(self, out_of_time: Callable[[], bool]) -> Solution:
        moved = False
        while not out_of_time():
            self.served = {c for r in self.routes for c in r.clients}
            left = [
                c for c in range(self.jobs) if c not in self.served and self.clients[c].prize > 0
            ]
            left.sort(key=lambda c: -self.clients[c].prize)
            if not any(not out_of_time() and self._improve(u) for u in left):
                break
            moved = True
        if not moved:
            return self.solution
        candidate = self._solution()
        if not candidate.is_feasible():  # never: every route was checked
            return self.solution
        if self.evaluator.cost(candidate) >= self.evaluator.cost(self.solution):
            return self.solution
        return candidate

    def _improve(self, u: int) -> bool:
        """Serve ``u``, in place of a lighter job or not, where it lowers the cost most."""
        prize = self.clients[u].prize
        best: tuple[int, dict[int, list[int]]] | None = None  # (gain, changed routes)
        for k, route in enumerate(self.routes):
            if not self._can_carry(route.vehicle_type, u):
                continue
            old = self._cost(route.vehicle_type, route.clients)
            assert old is not None
            plain = self._with(route, u)
            if plain is not None:
                best = _best(best, old - plain[0], {k: plain[1]})
            for v in route.clients:
                if v >= self.jobs or self.clients[v].required or self.clients[v].prize > prize:
                    continue
                without = _Route(route.vehicle_type, [c for c in route.clients if c != v])
                option = self._with(without, u)
                if option is None:
                    continue
                gain = old - option[0]  # the route cost counts the prizes it collects
                changed = {k: option[1]}
                again = self._reinsert(k, v)
                if again is not None:
                    gain += again[0]
                    changed[again[1]] = again[2]
                best = _best(best, gain, changed)
            if self.pairs:
                best = self._pairs(k, route, u, old, best)
        if best is None or best[0] <= 0:
            return False
        for k, clients in best[1].items():
            self.routes[k] = _Route(self.routes[k].vehicle_type, clients)
        return True

    def _pairs(
        self,
        k: int,
        route: _Route,
        u: int,
        old: int,
        best: tuple[int, dict[int, list[int]]] | None,
    ) -> tuple[int, dict[int, list[int]]] | None:
        """``best`` or better: ``u`` in place of two jobs of the route, each no heavier,
        each put on another route if it fits (the second after the first)."""
        prize = self.clients[u].prize
        light = [
            v
            for v in route.clients
            if v < self.jobs and not self.clients[v].required and self.clients[v].prize <= prize
        ]
        for i, v1 in enumerate(light):
            for v2 in light[i + 1 :]:
                without = _Route(
                    route.vehicle_type, [c for c in route.clients if c not in (v1, v2)]
                )
                option = self._with(without, u)
                if option is None:
                    continue
                gain = old - option[0]
                changed = {k: option[1]}
                for v in (v1, v2):
                    again = self._reinsert(k, v, changed)
                    if again is not None:
                        gain += again[0]
                        changed[again[1]] = again[2]
                best = _best(best, gain, changed)
        return best

    def _reinsert(
        self, skip: int, v: int, changed: dict[int, list[int]] | None = None
    ) -> tuple[int, int, list[int]] | None:
        """The cheapest feasible insertion of ``v`` into another route than ``skip``
        (routes as ``changed`` has them): (gain, route index, clients)."""
        best: tuple[int, int, list[int]] | None = None
        changed = changed or {}
        for k, plain in enumerate(self.routes):
            if k == skip or not self._can_carry(plain.vehicle_type, v):
                continue
            route = _Route(plain.vehicle_type, changed.get(k, plain.clients))
            old = self._cost(route.vehicle_type, route.clients)
            assert old is not None
            option = self._with(route, v)
            if option is not None and (best is None or old - option[0] > best[0]):
                best = (old - option[0], k, option[1])
        return best


def _best(
    best: tuple[int, dict[int, list[int]]] | None, gain: int, changed: dict[int, list[int]]
) -> tuple[int, dict[int, list[int]]]:
    return (gain, changed) if best is None or gain > best[0] else best
