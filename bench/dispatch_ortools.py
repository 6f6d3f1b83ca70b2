"""OR-Tools' routing solver on a dispatch day: the peer of the optimiser in the benchmarks.

The same ``PlanningProblem`` as ours: the same travel matrix (arc cost and transit time),
the same windows (hard: a job is served inside its window or dropped, at a penalty of its
severity weight × a unit larger than any total travel — the same lexicographic objective,
fewest weighted breaches, then least travel), the same skills (allowed vehicles), the same
shifts, and the lunch break as OR-Tools' break interval of the vehicle (its window and
duration). First solution PATH_CHEAPEST_ARC, then GUIDED_LOCAL_SEARCH for the same
wall-clock budget.

OR-Tools may take the break while driving; the routes are then timed with the planning
package's timeline (as early as possible, the break placed next to a visit where it costs
least, which exists whenever OR-Tools' schedule does) and checked by the same independent
checker. Should a route still break a rule after that, the visits that break it are taken
out (``validity.repair``, as for our own plans; the count is in the plan's notes). Days with fixed visits are not supported (the field days have none). A
development tool only: ``ortools`` is a dev dependency.
"""

from __future__ import annotations

from dataclasses import replace

from aftersales.dispatch.planning.model import (
    Plan,
    PlanningProblem,
    Route,
    Unassigned,
    UnassignedReason,
)
from aftersales.dispatch.planning.timeline import JobStop, insert_lunch, time_route
from aftersales.dispatch.validity import repair


def solve_ortools(
    problem: PlanningProblem, seconds: float, first_solution: str = "PATH_CHEAPEST_ARC"
) -> Plan:
    from ortools.constraint_solver import pywrapcp, routing_enums_pb2

    if problem.fixed_job_ids:
        raise ValueError("OR-Tools peer: fixed visits are not supported")
    techs = problem.technicians
    jobs = problem.jobs
    # nodes: one start and one end node per technician, then one per job
    node_place = [t.start_location for t in techs] + [t.end_location for t in techs]
    node_place += [job.location for job in jobs]
    first_job = 2 * len(techs)
    service = [0] * first_job + [job.service_minutes for job in jobs]
    manager = pywrapcp.RoutingIndexManager(
        len(node_place),
        len(techs),
        list(range(len(techs))),
        list(range(len(techs), 2 * len(techs))),
    )
    routing = pywrapcp.RoutingModel(manager)
    matrix = problem.travel.minutes

    def travel(from_index: int, to_index: int) -> int:
        a, b = manager.IndexToNode(from_index), manager.IndexToNode(to_index)
        return int(matrix[node_place[a], node_place[b]])

    def transit(from_index: int, to_index: int) -> int:
        return service[manager.IndexToNode(from_index)] + travel(from_index, to_index)

    travel_cb = routing.RegisterTransitCallback(travel)
    transit_cb = routing.RegisterTransitCallback(transit)
    routing.SetArcCostEvaluatorOfAllVehicles(travel_cb)
    horizon = max(t.shift.latest for t in techs) + 1
    routing.AddDimension(transit_cb, horizon, horizon, False, "time")
    time_dim = routing.GetDimensionOrDie("time")

    longest = int(matrix.max()) if matrix.size else 1
    unit = (len(jobs) + 2 * len(techs)) * max(longest, 1) + 1
    for k, job in enumerate(jobs):
        index = manager.NodeToIndex(first_job + k)
        time_dim.CumulVar(index).SetRange(job.window.earliest, job.window.latest)
        penalty = job.weight * unit if job.must_do else job.weight * problem.optional_value
        routing.AddDisjunction([index], penalty)
        # skills: the vehicles allowed (-1: not performed); the binding of
        # SetAllowedVehiclesForIndex rejects Python lists in OR-Tools 9.15
        allowed = [v for v, t in enumerate(techs) if t.can_do(job)]
        routing.VehicleVar(index).SetValues([-1, *allowed])

    solver = routing.solver()
    # the service time of each variable index (not node), for the breaks
    visit_transits = [
        service[manager.IndexToNode(index)] for index in range(routing.Size() + len(techs))
    ]
    for v, tech in enumerate(techs):
        time_dim.CumulVar(routing.Start(v)).SetRange(tech.shift.earliest, tech.shift.latest)
        time_dim.CumulVar(routing.End(v)).SetRange(tech.shift.earliest, tech.shift.latest)
        routing.AddVariableMinimizedByFinalizer(time_dim.CumulVar(routing.Start(v)))
        routing.AddVariableMinimizedByFinalizer(time_dim.CumulVar(routing.End(v)))
        if tech.lunch is not None:
            lunch = tech.lunch
            interval = solver.FixedDurationIntervalVar(
                lunch.window.earliest, lunch.window.latest, lunch.duration, False, f"lunch{v}"
            )
            time_dim.SetBreakIntervalsOfVehicle([interval], v, visit_transits)

    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = getattr(
        routing_enums_pb2.FirstSolutionStrategy, first_solution
    )
    params.local_search_metaheuristic = (
        routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    )
    params.time_limit.FromMilliseconds(max(100, int(seconds * 1000)))
    solution = routing.SolveWithParameters(params)

    routes: list[Route] = []
    for v, tech in enumerate(techs):
        order = []
        if solution is not None:
            index = routing.NextVar(routing.Start(v))
            index = solution.Value(index)
            while not routing.IsEnd(index):
                order.append(jobs[manager.IndexToNode(index) - first_job])
                index = solution.Value(routing.NextVar(index))
        stops = [JobStop(job) for job in order]
        timed = insert_lunch(problem, tech, stops, not_before=problem.now) if stops else None
        if timed is None:
            timed = time_route(problem, tech, stops, not_before=problem.now)
        routes.append(timed.route)
    planned = {v.job_id for r in routes for v in r.visits}
    unassigned = tuple(
        Unassigned(
            job.id,
            UnassignedReason.WINDOW_UNREACHABLE
            if job.must_do
            else UnassignedReason.OPTIONAL_DEFERRED,
        )
        for job in jobs
        if job.id not in planned
    )
    plan = Plan(tuple(routes), unassigned)
    repaired, _left = repair(problem, plan)
    removed = len(repaired.unassigned) - len(plan.unassigned)
    return replace(repaired, notes=(f"repair removed {removed} visits",) if removed else ())
