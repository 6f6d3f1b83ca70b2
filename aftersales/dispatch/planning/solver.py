"""智能派工: plan a day with PyVRP — fewest severity-weighted SLA breaches, then least travel.

``solve`` works in three phases within one budget (``search.Budget``: CPU seconds of this
process by default, at most twice the budget of wall-clock time):

1. **On time** (until the fewest weighted breaches have not improved for 15 % of the
   budget, at most to 60 %). Every job is a prize-collecting client with its hard window;
   the prize of a must-do job (weight × a unit larger than any possible total travel) makes
   serving it on time lexicographically more important than travel. What cannot be served
   on time is left out rather than planned late. The search starts from the dispatcher's
   greedy plan (its on-time visits), so it never ends with more weighted breaches. Then
   the **exchange repair** (``exchange.py``): a left-out job takes the place of a lighter
   served one (which moves to another technician if it fits anywhere), the lunch break
   moved if need be — the move PyVRP's local search never makes, and the one that left
   heavier breaches than necessary.
2. **Rounds** (to 75 % of the budget when late visits are to be planned, else to 90 %).
   The same model, nothing required: the search restarts from the best plan so far with a
   new seed, each round until the fewest weighted breaches have not improved for 5 % of
   the budget, and each round is followed by the exchange repair. A served job can still
   make way for a heavier one and a left-out job can still be served on time — the first
   objective stays in play for the whole budget — while travel (the second objective) is
   optimised all along. Then a **final polish** (the next 10 %, to 85 % or the end):
   every visit planned on time is required, every job left out keeps its on-time prize
   (so travel is what moves), and the exchange repair once more. (With
   ``SearchSettings(rounds_patience=None)`` — the search of run D — that polish follows
   tier 1 directly.)
3. **Late** (the rest, when ``schedule_late_visits`` is set and a must-do job is still
   missed). The visits planned on time stay required and on time; each job left out is
   offered on time (its full prize) and late by up to 15, 30, 60, 120, 240 minutes or to
   the end of the day, as one client group of which at most one is served, each later copy
   worth less: weighted lateness (in quarter hours) is minimised before travel, and no
   breach is ever traded for it. Last, so that the copies of the late offers never slow the
   search for on-time visits (they did when this phase came second).

Jobs still left out are reported with a reason (``UnassignedReason``). In ``hard_windows``
mode (benchmarks) must-do jobs are required clients and no visit is ever late; if PyVRP
has no feasible plan that way by 40 % of the budget, the prize model gets the rest.

``replan`` keeps what has started (and what the dispatcher fixed) exactly in place, keeps
the jobs of undisturbed routes on their technician, and re-optimises the rest.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from pyvrp import Activity, ActivityType, Result, Solution
from pyvrp import Route as PyvrpRoute

from aftersales.core.said import Said
from aftersales.dispatch.planning.encoding import (
    UNBOUNDED,
    ClientSpec,
    Encoding,
    Segment,
    default_prize_unit,
    encode,
    fixed_items,
    segments_of,
)
from aftersales.dispatch.planning.exchange import exchange
from aftersales.dispatch.planning.greedy import greedy_plan
from aftersales.dispatch.planning.model import (
    BreakSlot,
    FixedVisit,
    Job,
    Plan,
    PlanningProblem,
    Route,
    Technician,
    Unassigned,
    UnassignedReason,
    Visit,
    clock,
    lunch_room_left,
)
from aftersales.dispatch.planning.search import Budget, PhaseStop, run_search
from aftersales.dispatch.planning.timeline import (
    BreakStop,
    JobStop,
    Stop,
    insert_lunch,
    lateness_key,
    lunch_required,
    time_route,
)

# Phases of the budget (shares of it, measured by ``search.Budget``). Tier 1 (on time) runs
# until its first objective has not improved for TIER_ONE_PATIENCE of the budget, and at
# most until TIER_ONE_UNTIL; rounds of ROUNDS_PATIENCE each (restarts from the best plan,
# each followed by the exchange repair) then run until FINAL_POLISH before POLISH_UNTIL when
# late visits are to be planned (else before the end), the polish with the served visits
# required takes that last FINAL_POLISH, and the late phase the rest. Unserved jobs keep their
# on-time prizes in every phase, so a job can still be served on time after tier 1 has
# ended. In ``hard_windows`` mode the all-required attempt gives up when it has
# no feasible solution at HARD_GIVE_UP, leaving the rest to the prize model.
TIER_ONE_UNTIL = 0.6
TIER_ONE_PATIENCE = 0.15
POLISH_UNTIL = 0.85
ROUNDS_PATIENCE = 0.05
FINAL_POLISH = 0.1  # the rounds' last tenth: a polish with the served visits required
EXCHANGE_SHARE = 0.05  # the most one exchange repair may take (a big day has many misses)
LATE_MIN_SECONDS = 0.2  # the late phase's least share of a short budget, in seconds
HARD_GIVE_UP = 0.4
# Late visits: a missed job may be served late by up to each bound (minutes past its
# window), and the prize it loses grows with the bound (weighted lateness in quarter hours).
LATE_BOUNDS = (15, 30, 60, 120, 240, 480)
LATE_STEP = 15


@dataclass(frozen=True)
class SearchSettings:
    """The search's phases and rules (defaults: the module's constants). A parameter so
    that a benchmark can compare variants in one run (``bench/dispatch_field.py --ab``);
    the product uses the defaults. ``rounds_patience=None``: no rounds, one polish instead
    (in which the served visits are required when ``polish_requires_served``);
    ``exchange=False``: no exchange repair. Both off is the search of run D."""

    tier_one_until: float = field(default_factory=lambda: TIER_ONE_UNTIL)
    tier_one_patience: float | None = field(default_factory=lambda: TIER_ONE_PATIENCE)
    polish_until: float = field(default_factory=lambda: POLISH_UNTIL)
    polish_requires_served: bool = True
    exchange: bool = True
    exchange_pairs: bool = False
    final_polish: float = field(default_factory=lambda: FINAL_POLISH)
    rounds_patience: float | None = field(default_factory=lambda: ROUNDS_PATIENCE)


def solve(
    problem: PlanningProblem,
    time_budget_seconds: float = 30.0,
    seed: int = 0,
    *,
    cpu_aware: bool = True,
    settings: SearchSettings | None = None,
) -> Plan:
    """Plan ``problem`` within about ``time_budget_seconds`` (deterministic for a seed,
    up to the time limit). ``cpu_aware``: the budget counts this process's CPU seconds,
    with at most twice the budget of wall-clock time (see ``search.Budget``)."""
    # leave time to turn the routes into a plan (about a millisecond per job)
    reserve = min(0.1 * time_budget_seconds, 0.05 + 0.001 * len(problem.jobs))
    budget = Budget(max(0.0, time_budget_seconds - reserve), cpu_aware=cpu_aware)
    settings = settings or SearchSettings()
    setup = _Setup.of(problem)
    if not setup.candidates:
        return _plan(problem, setup, None, None)
    unit = default_prize_unit(problem, setup.segments, len(setup.candidates))

    if problem.hard_windows:
        encoding = encode(problem, setup.segments, setup.specs(unit, hard=True), prize_unit=unit)
        result = _run(encoding, budget.phase(1.0, give_up=HARD_GIVE_UP), seed, None)
        if result.is_feasible():
            return _plan(problem, setup, encoding, result.best)

    late_visits = problem.schedule_late_visits and not problem.hard_windows
    first = encode(problem, setup.segments, setup.specs(unit, hard=False), prize_unit=unit)
    stop = budget.phase(settings.tier_one_until, patience=settings.tier_one_patience, unit=unit)
    result = _run(first, stop, seed, _greedy_start(problem, first))
    best, encoding = result.best, first
    if settings.exchange:
        best = exchange(first, best, _cap(budget), pairs=settings.exchange_pairs)

    late_share = max(1.0 - settings.polish_until, LATE_MIN_SECONDS / max(budget.seconds, 1e-9))
    late_left = late_visits and setup.missed(encoding, best)
    reserve_late = late_share * budget.seconds if late_left else 0.0
    round_no = 0
    rounds_until = (1.0 - late_share if late_left else 1.0) - settings.final_polish
    reserve_polish = settings.final_polish * budget.seconds
    while (
        settings.rounds_patience is not None and budget.left() > 0.2 + reserve_late + reserve_polish
    ):
        until = rounds_until
        stop = budget.phase(until, patience=settings.rounds_patience, unit=unit)
        cycle = _run(first, stop, seed + 3 + round_no, best)
        round_no += 1
        if cycle.is_feasible() and _lost(first, cycle.best) < _lost(first, best):
            best = cycle.best
        if settings.exchange:
            best = exchange(first, best, _cap(budget, until), pairs=settings.exchange_pairs)
    if budget.left() > 0.2 + reserve_late:
        # what is served stays; every job left out keeps its on-time prize
        until = 1.0 - late_share if late_left else 1.0
        specs = setup.late_specs(
            unit,
            unit,
            encoding.served_specs(best),
            late=False,
            keep=settings.polish_requires_served,
        )
        polish = encode(problem, setup.segments, specs, prize_unit=unit)
        final = _run(polish, budget.phase(until), seed + 2, polish.warm_start(best, encoding))
        if final.is_feasible():
            best, encoding = final.best, polish
            if settings.exchange:  # in the first encoding, where nothing is required
                again = exchange(
                    first,
                    first.warm_start(best, polish),
                    _cap(budget),
                    pairs=settings.exchange_pairs,
                )
                if _lost(first, again) < _lost(first, best, polish):
                    best, encoding = again, first

    if late_visits and setup.missed(encoding, best) and budget.left() > 0:
        late_unit = setup.late_unit(unit)
        specs = setup.late_specs(unit, late_unit, encoding.served_specs(best))
        late = encode(problem, setup.segments, specs, prize_unit=late_unit)
        tier_late = _run(late, budget.phase(1.0), seed + 1, late.warm_start(best, encoding))
        if tier_late.is_feasible():
            best, encoding = tier_late.best, late
    return _plan(problem, setup, encoding, best)


def _cap(budget: Budget, until: float = 1.0) -> Callable[[], bool]:
    """Whether an exchange repair begun now has used its share of the budget."""
    deadline = min(until, budget.used() + EXCHANGE_SHARE)
    return lambda: budget.used() >= deadline


def _lost(first: Encoding, solution: Solution, of: Encoding | None = None) -> tuple[int, int]:
    """The on-time prizes (in ``first``) of the jobs ``solution`` (of encoding ``of``,
    default ``first``) leaves out, then its travel: comparable across the encodings."""
    served = (of or first).served_jobs(solution)
    lost = sum(spec.prize for spec in first.specs if spec.job.id not in served)
    return lost, solution.distance()


def replan(
    previous: Plan,
    problem: PlanningProblem,
    now_minute: int,
    time_budget_seconds: float = 10.0,
    seed: int = 0,
    *,
    reassign: bool = True,
    cpu_aware: bool = True,
) -> Plan:
    """Re-plan the rest of the day at ``now_minute``.

    Visits already started (or on their way: the technician has left for them) and the
    lunch breaks begun stay exactly as they were, as do the dispatcher's fixed visits in
    ``problem``. Jobs whose route is still valid stay with their technician (order and
    times may change to make room); new jobs, jobs of absent or no longer qualified
    technicians and jobs of routes that no longer work are re-assigned. Only when that
    still leaves breaches (and ``reassign`` allows it) is a free re-assignment tried, with
    the other half of the budget, and kept only if it has fewer weighted breaches.
    """
    budget = Budget(time_budget_seconds, cpu_aware=cpu_aware)
    frozen = frozen_problem(previous, problem, now_minute)
    keep = _undisturbed(previous, frozen)
    pinned = replace(
        frozen,
        jobs=tuple(
            replace(job, fixed_technician=keep[job.id])
            if job.id in keep and job.fixed_technician is None
            else job
            for job in frozen.jobs
        ),
    )
    from aftersales.dispatch.planning.crews import solve_crewed  # crews build on solve

    local = solve_crewed(pinned, time_budget_seconds / 2, seed, cpu_aware=cpu_aware)
    local = _unpinned(local, frozen)
    local_breaches = breach_weight(frozen, local)
    if not reassign or local_breaches == 0 or budget.left() < 0.2:
        return local
    wide = solve_crewed(frozen, budget.left(), seed + 7, cpu_aware=cpu_aware)
    return wide if breach_weight(frozen, wide) < local_breaches else local


def frozen_problem(previous: Plan, problem: PlanningProblem, now_minute: int) -> PlanningProblem:
    """``problem`` as seen at ``now_minute``: every visit of ``previous`` whose trip has
    begun becomes a started fixed visit, and a lunch break begun is recorded as taken."""
    technicians = []
    for tech in problem.technicians:
        route = previous.route_of(tech.id)
        frozen: list[FixedVisit] = []
        lunch = tech.lunch
        if route is not None:
            visits, slot = under_way(route, now_minute)
            frozen = [
                FixedVisit(v.job_id, v.start, v.arrival, started=True)
                for v in visits
                if v.job_id in problem.jobs_by_id
            ]
            if lunch is not None and lunch.taken_start is None and slot is not None:
                lunch = replace(lunch, taken_start=slot.start, taken_location=slot.location)
        started = {v.job_id for v in frozen}
        kept = [v for v in tech.fixed_visits if v.job_id not in started]
        fixed = tuple(sorted([*frozen, *kept], key=lambda v: v.start))
        technicians.append(replace(tech, fixed_visits=fixed, lunch=lunch))
    taken = {v.job_id: t.id for t in technicians for v in t.fixed_visits if v.started}
    technicians = [
        replace(
            t,
            fixed_visits=tuple(
                v for v in t.fixed_visits if v.started or taken.get(v.job_id, t.id) == t.id
            ),
        )
        for t in technicians
    ]
    return replace(problem, technicians=tuple(technicians), now=now_minute)


def under_way(route: Route, now_minute: int) -> tuple[list[Visit], BreakSlot | None]:
    """The visits of ``route`` (and its lunch break) that have begun at ``now_minute``:
    the technician has left for them or is there already."""
    visits: list[Visit] = []
    leave = route.departure
    for index in range(len(route.visits) + 1):
        slot = route.lunch
        if slot is not None and slot.after_visits == index:
            if min(leave, slot.start) >= now_minute:
                return visits, None
            leave = slot.end
        if index == len(route.visits):
            break
        visit = route.visits[index]
        if min(leave, visit.start) >= now_minute:
            break
        visits.append(visit)
        leave = visit.end
    began = route.lunch is not None and route.lunch.after_visits <= len(visits)
    return visits, route.lunch if began else None


def breach_weight(problem: PlanningProblem, plan: Plan) -> int:
    """Severity-weighted count of must-do jobs not started inside their window."""
    on_time = {v.job_id for r in plan.routes for v in r.visits if v.late_minutes == 0}
    return sum(job.weight for job in problem.jobs if job.must_do and job.id not in on_time)


@dataclass(frozen=True)
class _Setup:
    problem: PlanningProblem
    segments: tuple[Segment, ...]
    candidates: tuple[Job, ...]
    rejected: tuple[Unassigned, ...]

    @classmethod
    def of(cls, problem: PlanningProblem) -> _Setup:
        segments = tuple(s for tech in problem.technicians for s in segments_of(problem, tech))
        open_techs = {s.technician.id for s in segments}
        candidates: list[Job] = []
        rejected: list[Unassigned] = []
        for job in problem.jobs:
            if job.id in problem.fixed_job_ids:
                continue
            reason = _rejection(problem, job, open_techs)
            if reason is None:
                candidates.append(job)
            else:
                rejected.append(reason)
        return cls(problem, segments, tuple(candidates), tuple(rejected))

    def specs(self, unit: int, *, hard: bool) -> list[ClientSpec]:
        return [
            ClientSpec(
                job,
                job.window.earliest,
                job.window.latest,
                0 if hard and job.must_do else self._prize(job, unit),
                hard and job.must_do,
            )
            for job in self.candidates
        ]

    def missed(self, encoding: Encoding, solution: Solution) -> bool:
        """Whether a must-do job is not served in ``solution``."""
        served = encoding.served_jobs(solution)
        return any(job.must_do and job.id not in served for job in self.candidates)

    def late_unit(self, unit: int) -> int:
        """The on-time prize per weight unit when late visits are offered: more than all
        late visits' prizes together, so lateness never buys a breach."""
        weights = sum(job.weight for job in self.candidates if job.must_do)
        return unit * _LATE_LEVELS * max(1, weights) + 1

    def late_specs(
        self,
        unit: int,
        late_unit: int,
        served: Mapping[str, ClientSpec],
        *,
        late: bool = True,
        keep: bool = True,
    ) -> list[ClientSpec]:
        """What is served stays served (a late visit no later than it is); every job not
        served keeps its prize: on time worth ``weight × late_unit``; late (when ``late``)
        by up to each of ``LATE_BOUNDS`` worth less the later it is."""
        specs: list[ClientSpec] = []
        for job in self.candidates:
            spec = served.get(job.id)
            if spec is not None and not keep:
                spec = None  # served on time, but free to leave again
            if spec is not None and spec.tw_late <= job.window.latest:
                specs.append(ClientSpec(job, spec.tw_early, spec.tw_late, 0, True))
            elif spec is not None:
                specs.extend(_late_copies(job, unit, late_unit, spec.tw_late, required=True))
            elif job.must_do:
                if late and job.late_ok:
                    specs.extend(_late_copies(job, unit, late_unit, UNBOUNDED, required=False))
                else:
                    prize = job.weight * late_unit
                    specs.append(
                        ClientSpec(job, job.window.earliest, job.window.latest, prize, False)
                    )
            else:
                prize = self._prize(job, unit)
                specs.append(ClientSpec(job, job.window.earliest, job.window.latest, prize, False))
        return specs

    def _prize(self, job: Job, unit: int) -> int:
        return job.weight * (unit if job.must_do else self.problem.optional_value)


_LATE_LEVELS = LATE_BOUNDS[-1] // LATE_STEP + 1


def _late_copies(
    job: Job, unit: int, late_unit: int, up_to: int, *, required: bool
) -> list[ClientSpec]:
    """``job`` on time and late by up to each bound (the last one open to the end of the
    day), no later than ``up_to``, as one client group (``required``: exactly one served)."""
    window = job.window
    copies = [
        ClientSpec(job, window.earliest, window.latest, job.weight * late_unit, required, job.id)
    ]
    for k, bound in enumerate(LATE_BOUNDS):
        latest = window.latest + bound if k < len(LATE_BOUNDS) - 1 else UNBOUNDED
        prize = job.weight * unit * (_LATE_LEVELS - bound // LATE_STEP)
        copies.append(ClientSpec(job, window.earliest, latest, prize, required, job.id))
        if latest >= up_to:
            break
    return copies


def _rejection(problem: PlanningProblem, job: Job, open_techs: set[str]) -> Unassigned | None:
    skilled = [
        t
        for t in problem.technicians
        if job.required_skill is None or job.required_skill in t.skills
    ]
    if not skilled:
        return Unassigned(
            job.id,
            UnassignedReason.NO_SKILL,
            Said("所需技能：%(required_skill)s", required_skill=job.required_skill),
        )
    if job.fixed_technician is not None:
        if job.fixed_technician not in problem.technicians_by_id:
            detail = Said("指定工程师：%(fixed_technician)s", fixed_technician=job.fixed_technician)
            return Unassigned(job.id, UnassignedReason.TECHNICIAN_ABSENT, detail)
        if problem.technician(job.fixed_technician) not in skilled:
            return Unassigned(job.id, UnassignedReason.NO_SKILL, "指定工程师不具备所需技能")
    able = [t for t in skilled if t.can_do(job)]
    if not able:
        return Unassigned(
            job.id, UnassignedReason.OVER_CAPACITY, Said("需求量：%(demand)s", demand=job.demand)
        )
    if not any(t.id in open_techs for t in able):
        return Unassigned(job.id, UnassignedReason.FULLY_BOOKED, "具备技能的工程师已无空闲时段")
    return None


def _run(encoding: Encoding, stop: PhaseStop, seed: int, initial: Solution | None) -> Result:
    if not any(client.prize for client in encoding.data.clients()):
        return run_search(encoding.data, stop, seed, initial=initial)
    floors, ceilings = encoding.penalty_floors()
    return run_search(encoding.data, stop, seed, floors=floors, ceilings=ceilings, initial=initial)


def _greedy_start(problem: PlanningProblem, encoding: Encoding) -> Solution | None:
    """The dispatcher heuristic's on-time visits (and its lunch breaks) as a first
    solution: the optimiser then never ends with more weighted breaches than it."""
    if problem.fixed_job_ids or any(
        t.lunch is not None and t.lunch.taken_start is not None for t in problem.technicians
    ):
        return None
    plan = greedy_plan(problem)
    client_of = {job.id: index for index, job in enumerate(encoding.jobs)}
    break_of = {
        (place, lunch): len(encoding.jobs) + index
        for index, (place, lunch) in enumerate(encoding.breaks)
    }
    routes = []
    for vehicle_type, group in enumerate(encoding.vehicle_segments):
        for segment in group:
            route = plan.route_of(segment.technician.id)
            if route is None or not route.visits:
                continue
            clients: list[int] = []
            for index in range(len(route.visits) + 1):
                slot = route.lunch
                if slot is not None and slot.after_visits == index and segment.lunch:
                    brk = break_of.get((slot.location, segment.lunch))
                    if brk is not None:
                        clients.append(brk)
                if index < len(route.visits):
                    visit = route.visits[index]
                    if visit.late_minutes == 0 and visit.job_id in client_of:
                        clients.append(client_of[visit.job_id])
            lunch = segment.lunch
            if lunch is not None and route.lunch is None:
                # the day ends before (or starts after) lunch: take it at the base
                if route.return_time <= lunch.window.latest:
                    clients.append(break_of[(segment.end_location, lunch)])
                else:
                    clients.insert(0, break_of[(segment.start_location, lunch)])
            if clients:
                activities = [Activity(ActivityType.CLIENT, c) for c in clients]
                routes.append(PyvrpRoute(encoding.data, activities, vehicle_type))
    return Solution(encoding.data, routes)


def _plan(
    problem: PlanningProblem,
    setup: _Setup,
    encoding: Encoding | None,
    solution: Solution | None,
) -> Plan:
    decoded = encoding.decode(solution) if encoding and solution else {}
    routes: list[Route] = []
    notes: list[str] = []
    for tech in problem.technicians:
        route = _route(problem, tech, decoded)
        if route is None:
            route, dropped = _make_room_for_lunch(problem, tech, _stops(problem, tech, decoded))
            if dropped:
                notes.append(
                    Said(
                        "%(id)s：为安排午休移出 %(dropped)s 个工单",
                        id=tech.id,
                        dropped=len(dropped),
                    )
                )
        routes.append(route)
    planned = {v.job_id for r in routes for v in r.visits}
    unassigned = list(setup.rejected)
    unassigned.extend(
        _reason(problem, setup.segments, job) for job in setup.candidates if job.id not in planned
    )
    return Plan(tuple(routes), tuple(unassigned), tuple(notes))


def _stops(
    problem: PlanningProblem, tech: Technician, decoded: Mapping[tuple[str, int], list[Stop]]
) -> list[Stop]:
    items = fixed_items(problem, tech)
    stops: list[Stop] = []
    for position in range(len(items) + 1):
        stops.extend(decoded.get((tech.id, position), []))
        if position < len(items):
            stops.append(items[position].stop)
    return stops


def _route(
    problem: PlanningProblem, tech: Technician, decoded: Mapping[tuple[str, int], list[Stop]]
) -> Route | None:
    """The technician's timed route; the lunch break is moved next to the visit where it
    costs least (PyVRP may leave it at a detour), or added when PyVRP could not fit it."""
    stops = _stops(problem, tech, decoded)
    if not any(isinstance(stop, JobStop) for stop in stops):
        stops = [s for s in stops if isinstance(s, BreakStop) and s.taken]
    route = time_route(problem, tech, stops, not_before=problem.now).route
    if tech.lunch is None or tech.lunch.taken_start is not None:
        return route
    without = [s for s in stops if not isinstance(s, BreakStop)]
    had_break = len(without) < len(stops)
    if not had_break and not lunch_required(tech, route.departure, route.return_time, bool(stops)):
        return route
    moved = insert_lunch(problem, tech, without, not_before=problem.now)
    if moved is None:
        return route if had_break else None
    if had_break and lateness_key(problem, route) <= lateness_key(problem, moved.route):
        return route
    return moved.route


def _make_room_for_lunch(
    problem: PlanningProblem, tech: Technician, stops: Sequence[Stop]
) -> tuple[Route, list[str]]:
    """Drop the cheapest movable visits until the break fits (rarely needed: only when
    PyVRP paid the break's penalty instead of planning it)."""
    remaining = [s for s in stops if not (isinstance(s, BreakStop) and not s.taken)]
    dropped: list[str] = []
    if not lunch_room_left(problem, tech):  # the fixed visits fill the window: waived
        return time_route(problem, tech, remaining, not_before=problem.now).route, dropped
    while True:
        fitted = insert_lunch(problem, tech, remaining, not_before=problem.now)
        if fitted is not None:
            return fitted.route, dropped
        movable = [i for i, s in enumerate(remaining) if isinstance(s, JobStop) and s.fixed is None]
        if not movable:
            return time_route(problem, tech, remaining, not_before=problem.now).route, dropped

        def loss(index: int) -> tuple[int, int, int]:
            trial = [*remaining[:index], *remaining[index + 1 :]]
            fits = insert_lunch(problem, tech, trial, not_before=problem.now) is not None
            stop = remaining[index]
            weight = stop.job.weight if isinstance(stop, JobStop) else 0
            return (0 if fits else 1, weight, index)

        victim = min(movable, key=loss)
        stop = remaining.pop(victim)
        if isinstance(stop, JobStop):
            dropped.append(stop.job.id)


def _reason(problem: PlanningProblem, segments: Sequence[Segment], job: Job) -> Unassigned:
    if not job.must_do:
        return Unassigned(job.id, UnassignedReason.OPTIONAL_DEFERRED)
    travel = problem.travel
    soonest: int | None = None
    for segment in segments:
        if not segment.technician.can_do(job):
            continue
        arrival = segment.earliest + travel(segment.start_location, job.location)
        start = max(arrival, job.window.earliest)
        back = start + job.service_minutes + travel(job.location, segment.end_location)
        if back > segment.latest:
            continue
        if start <= job.window.latest:
            return Unassigned(job.id, UnassignedReason.FULLY_BOOKED)
        soonest = arrival if soonest is None else min(soonest, arrival)
    if problem.now is not None and job.window.latest < problem.now:
        # the window closed before the plan was made: say so, not "cannot reach"
        detail: str = Said(
            "时间窗已于 %(clock)s 截止（规划时点 %(clock2)s）",
            clock=clock(job.window.latest),
            clock2=clock(problem.now),
        )
        if soonest is None:
            detail += "，当天班次内也无法补做"
    elif soonest is None:
        detail = "具备技能的工程师班次内无法完成"
    else:
        detail = Said(
            "最早 %(clock)s 到达，时间窗截止 %(clock2)s",
            clock=clock(soonest),
            clock2=clock(job.window.latest),
        )
    return Unassigned(job.id, UnassignedReason.WINDOW_UNREACHABLE, detail)


def _undisturbed(previous: Plan, frozen: PlanningProblem) -> dict[str, str]:
    """Jobs (not started) of previous routes that still work as they were: job id →
    technician id."""
    keep: dict[str, str] = {}
    for route in previous.routes:
        tech = frozen.technicians_by_id.get(route.technician_id)
        if tech is None:
            continue
        jobs = [
            frozen.jobs_by_id[v.job_id]
            for v in route.visits
            if v.job_id in frozen.jobs_by_id and v.job_id not in frozen.fixed_job_ids
        ]
        if not jobs or not all(tech.can_do(replace(job, fixed_technician=None)) for job in jobs):
            continue
        retimed = _retime(frozen, tech, route)
        if retimed is None:
            continue
        was_late = {v.job_id for v in route.visits if v.late_minutes}
        if any(v.late_minutes and v.job_id not in was_late for v in retimed.visits):
            continue
        keep.update({job.id: tech.id for job in jobs})
    return keep


def _retime(problem: PlanningProblem, tech: Technician, previous: Route) -> Route | None:
    """The previous route re-timed on today's data from now; ``None`` when it no longer
    works (a fixed visit it does not contain, a missed fixed start, the shift, lunch)."""
    fixed = {v.job_id: v for v in tech.fixed_visits}
    if not set(fixed) <= set(previous.job_ids):
        return None
    lunch = tech.lunch
    taken = lunch is not None and lunch.taken_start is not None
    stops: list[Stop] = []
    for index, visit in enumerate(previous.visits):
        if taken and lunch is not None and previous.lunch and previous.lunch.after_visits == index:
            stops.append(BreakStop(previous.lunch.location, lunch))
        job = problem.jobs_by_id.get(visit.job_id)
        if job is not None:
            stops.append(JobStop(job, fixed.get(job.id)))
    end = previous.lunch
    if taken and lunch is not None and end is not None and end.after_visits == len(previous.visits):
        stops.append(BreakStop(end.location, lunch))
    timing = time_route(problem, tech, stops, not_before=problem.now)
    if not timing.feasible:
        return None
    route = timing.route
    if not taken and lunch_required(tech, route.departure, route.return_time, bool(stops)):
        repaired = insert_lunch(problem, tech, stops, not_before=problem.now)
        return None if repaired is None else repaired.route
    return route


def _explain(problem: PlanningProblem, segments: Sequence[Segment], job: Job) -> Unassigned:
    rejection = _rejection(problem, job, {s.technician.id for s in segments})
    return rejection if rejection is not None else _reason(problem, segments, job)


def _unpinned(plan: Plan, frozen: PlanningProblem) -> Plan:
    """The pinned pass explains its left-overs in terms of pins the caller never set:
    explain them again on the problem as given."""
    segments = [s for t in frozen.technicians for s in segments_of(frozen, t)]
    unassigned = tuple(_explain(frozen, segments, frozen.job(u.job_id)) for u in plan.unassigned)
    return replace(plan, unassigned=unassigned)
