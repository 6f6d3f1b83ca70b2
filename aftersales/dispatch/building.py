"""The planning model of one day, built from the database.

Open work to be visited that day (region optional):

* tickets waiting for a technician (登记 / 受理 / 重开, no live work order, not remote); one
  of a category served remotely first (``ProductCategory.remote_service``, e.g. software)
  whose ticket allows it (``allows_remote``: the customer did not ask for a visit) is planned
  as remote work, not as a trip (``_plan_remote``); a work order dispatched on site is a visit;
* offered or accepted work orders not yet on site whose appointment is on that day, or
  that have no appointment yet;
* work already started that day (到场 / 完成): fixed visits that block the technician's
  time and place (they never move).

A job's time window is the customer's appointment when there is one (预约), else the SLA
"on site" due time (a breach if it falls on the day and is missed); a job due on a later
day, or with no on-site target (低 severity without appointment), is optional: planned when
there is room. An accepted work order stays with its technician (pinned), its time is free.

Technicians: field engineers (维修工程师) with a profile, on duty that day
(``roster.day_shift``), starting and ending at their home base; skills are the product
categories of their profile. Planned during the day (``now``), a technician starts where he
is: at the site of his first check-in of the day (his recorded visits stay fixed and the
rest of his day follows from the last one), else at home; nobody leaves before ``now``.
A lunch break whose window has passed is no longer planned; one under way is planned in
what is left of its window (``roster.remaining_lunch``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q

from aftersales.accounts.roles import ROLE_BY_CODE
from aftersales.bizcalendar.rules import periods_on
from aftersales.bizcalendar.selectors import business_calendar
from aftersales.core.models import Region
from aftersales.core.said import Said
from aftersales.dispatch.conf import PlannerConfig
from aftersales.dispatch.planning.model import (
    SEVERITY_WEIGHTS,
    FixedVisit,
    Job,
    Place,
    PlanningProblem,
    Severity,
    Technician,
    TimeWindow,
    WindowKind,
)
from aftersales.dispatch.planning.travel import build_travel_matrix
from aftersales.dispatch.roster import (
    DAY_MINUTES,
    RosterShift,
    day_shift,
    lunch_break,
    remaining_lunch,
)
from aftersales.service.models import Ticket, TicketState, WorkOrder, WorkOrderState
from aftersales.service.models.work import LIVE_WO_STATES
from aftersales.staff.models import DutyShift, StaffProfile

AWAITING_STATES = (TicketState.REGISTERED, TicketState.ACKNOWLEDGED, TicketState.REOPENED)
PLANNABLE_WO_STATES = (WorkOrderState.OFFERED, WorkOrderState.ACCEPTED)
STARTED_WO_STATES = (WorkOrderState.ON_SITE, WorkOrderState.DONE, WorkOrderState.LEFT)
NO_LOCATION = "no_location"
NO_LOCATION_LABEL = "现场缺少坐标，无法计算路程"
REMOTE_FIRST = "remote_first"
REMOTE_FIRST_LABEL = "可远程服务：当日无具备技能的工程师可安排远程处理"
# the customer's request naming one of these asks for an on-site visit: no remote work
ON_SITE_WORDS = ("上门", "现场", "到场")


def allows_remote(*, remote_category: bool, customer_request: str) -> bool:
    """Whether a waiting ticket is planned as remote work: its product category is served
    remotely first (e.g. software) and the customer did not ask for an on-site visit."""
    return remote_category and not any(w in customer_request for w in ON_SITE_WORDS)


def day_origin(day: dt.date) -> dt.datetime:
    """00:00 of ``day`` in the project's time zone: minute 0 of the planning model."""
    return dt.datetime.combine(day, dt.time(0), tzinfo=ZoneInfo(settings.TIME_ZONE))


def to_minute(day: dt.date, instant: dt.datetime) -> int:
    return int((instant - day_origin(day)).total_seconds() // 60)


def to_instant(day: dt.date, minute: int) -> dt.datetime:
    return day_origin(day) + dt.timedelta(minutes=minute)


def job_id_of(ticket_id: int) -> str:
    return f"T{ticket_id}"


def tech_id_of(user_id: int) -> str:
    return f"U{user_id}"


def user_id_of(tech_id: str) -> int:
    return int(tech_id[1:])


@dataclass(frozen=True)
class JobRef:
    """What a planning job stands for."""

    job_id: str
    ticket_id: int
    work_order_id: int | None
    started: bool = False
    remote: bool = False


@dataclass(frozen=True)
class Unplannable:
    """Open work that does not enter the model: no coordinates at all (``NO_LOCATION``),
    or remote work no skilled technician can take that day (``REMOTE_FIRST``: no trip)."""

    ref: JobRef
    window: TimeWindow
    window_kind: WindowKind
    must_do: bool
    reason: str = NO_LOCATION


@dataclass
class DayProblem:
    day: dt.date
    problem: PlanningProblem
    refs: dict[str, JobRef]
    unplannable: list[Unplannable] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class _Draft:
    ref: JobRef
    place: Place | None
    job: Job
    fixed: tuple[str, FixedVisit] | None = None
    remote: bool = False


def build_day(
    *,
    day: dt.date,
    region: Region | None,
    now: dt.datetime | None,
    config: PlannerConfig,
    fixed: Mapping[str, tuple[str, int]] | None = None,
) -> DayProblem:
    """The planning problem of ``day`` (from ``now`` on when it is today).

    ``fixed``: job id → (technician id, start minute) of visits the dispatcher fixed in a
    published plan; they stay exactly there when the job is still open and the technician
    on duty."""
    now_minute = to_minute(day, now) if now is not None and now > day_origin(day) else None
    if now_minute is not None and now_minute >= DAY_MINUTES:
        now_minute = DAY_MINUTES
    notes: list[str] = []
    techs, homes = _technicians(day, region, config, notes)
    tech_ids = {t.id for t in techs}
    drafts = _open_work(day, region, config, now_minute)
    drafts += _started_work(day, tech_ids, config, now_minute)

    fixed_by_tech: dict[str, list[FixedVisit]] = {}
    places: list[Place] = list(homes)
    jobs: list[Job] = []
    refs: dict[str, JobRef] = {}
    unplannable: list[Unplannable] = []
    remote: list[_Draft] = []
    for draft in drafts:
        if draft.remote:
            remote.append(draft)
            continue
        if draft.place is None:
            unplannable.append(
                Unplannable(draft.ref, draft.job.window, draft.job.window_kind, draft.job.must_do)
            )
            continue
        job = replace(draft.job, location=len(places))
        places.append(draft.place)
        jobs.append(job)
        refs[job.id] = draft.ref
        for companion in companions(job):
            jobs.append(companion)
            refs[companion.id] = replace(draft.ref, job_id=companion.id)
            if fixed and companion.id in fixed and fixed[companion.id][0] in tech_ids:
                tech_id, start = fixed[companion.id]
                fixed_by_tech.setdefault(tech_id, []).append(FixedVisit(companion.id, start))
        pin = draft.fixed
        if pin is None and fixed and job.id in fixed and fixed[job.id][0] in tech_ids:
            tech_id, start = fixed[job.id]
            pin = (tech_id, FixedVisit(job.id, start))
        if pin is not None and pin[0] in tech_ids:
            fixed_by_tech.setdefault(pin[0], []).append(pin[1])
    location_of = {job.id: job.location for job in jobs}
    technicians = tuple(
        _where_he_is(
            t,
            tuple(sorted(fixed_by_tech.get(t.id, []), key=lambda v: v.start)),
            location_of,
            now_minute,
        )
        for t in techs
    )
    technicians, remote_jobs, lost = _plan_remote(remote, technicians, now_minute, config)
    jobs += [job for job, _ in remote_jobs]
    refs.update({job.id: replace(ref, remote=True) for job, ref in remote_jobs})
    unplannable += lost
    matrix = build_travel_matrix(places, config.travel)
    problem = PlanningProblem(
        jobs=tuple(jobs),
        technicians=technicians,
        travel=matrix,
        places=tuple(places),
        now=now_minute,
    )
    return DayProblem(day, problem, refs, unplannable, notes)


def _plan_remote(
    drafts: list[_Draft],
    technicians: tuple[Technician, ...],
    now_minute: int | None,
    config: PlannerConfig,
) -> tuple[tuple[Technician, ...], list[tuple[Job, JobRef]], list[Unplannable]]:
    """Remote work (``allows_remote``) in the technicians' days, greedily, most urgent due
    first: a block of ``remote_service_minutes`` at the technician's base before he leaves
    (from his shift start, or ``now``), a fixed visit at his start location — no trip, he is
    where he was before and after. Only a technician with the skill and without visits
    already recorded or fixed that day takes it, and only inside his shift and before his
    lunch window closes; the one who can start it earliest takes it. Remote work nobody
    can take stays unplanned (``REMOTE_FIRST``)."""
    techs = {t.id: t for t in technicians}
    busy: dict[str, int] = {}
    taken: list[tuple[Job, JobRef]] = []
    lost: list[Unplannable] = []
    minutes = config.remote_service_minutes
    for draft in sorted(drafts, key=lambda d: (d.job.window.latest, -d.job.weight, d.ref.job_id)):
        job = replace(draft.job, service_minutes=minutes, fixed_technician=None)
        options = []
        for tech in technicians:
            if not tech.can_do(job) or (tech.fixed_visits and tech.id not in busy):
                continue
            start = max(tech.shift.earliest, now_minute or 0, busy.get(tech.id, 0))
            end = start + minutes
            lunch = tech.lunch
            if end > tech.shift.latest or (lunch is not None and end > lunch.window.latest):
                continue
            options.append((start, tech.id))
        if not options:
            lost.append(
                Unplannable(
                    draft.ref, job.window, job.window_kind, job.must_do, reason=REMOTE_FIRST
                )
            )
            continue
        start, tech_id = min(options)
        tech = techs[tech_id]
        job = replace(job, location=tech.start_location, fixed_technician=tech_id)
        busy[tech_id] = start + minutes
        techs[tech_id] = replace(
            tech, fixed_visits=(*techs[tech_id].fixed_visits, FixedVisit(job.id, start))
        )
        taken.append((job, draft.ref))
    return tuple(techs[t.id] for t in technicians), taken, lost


def companion_id(job_id: str, k: int) -> str:
    """The planning id of the k-th engineer (k ≥ 2) of a visit that needs several."""
    return f"{job_id}+{k}"


def companions(job: Job) -> list[Job]:
    """The jobs of the engineers a visit needs besides the lead (``Job.crew``): same place,
    time and skill, optional on their own (the crew is served together or not at all)."""
    return [
        replace(
            job,
            id=companion_id(job.id, k),
            crew=1,
            companion_of=job.id,
            must_do=False,
            fixed_technician=None,
        )
        for k in range(2, job.crew + 1)
    ]


def _where_he_is(
    tech: Technician,
    fixed: tuple[FixedVisit, ...],
    location_of: Mapping[str, int],
    now_minute: int | None,
) -> Technician:
    """The technician's day as it stands: with visits recorded today he starts at the site
    of the first one (the trip there is history), and a lunch window already past (at
    ``now``) is no longer a constraint."""
    start, shift = tech.start_location, tech.shift
    started = [v for v in fixed if v.started]
    if started:
        first = started[0]
        start = location_of[first.job_id]
        shift = TimeWindow(min(shift.earliest, first.start), max(shift.latest, first.start))
    lunch = tech.lunch
    if lunch is not None and now_minute is not None:
        lunch = remaining_lunch(lunch, now_minute)
    return Technician(
        id=tech.id,
        start_location=start,
        end_location=tech.end_location,
        shift=shift,
        skills=tech.skills,
        lunch=lunch,
        fixed_visits=fixed,
    )


def _technicians(
    day: dt.date, region: Region | None, config: PlannerConfig, notes: list[str]
) -> tuple[list[Technician], list[Place]]:
    cal = business_calendar()
    working = [(p.start_minute, p.end_minute) for p in periods_on(cal, day)]
    normal = [(p.start_minute, p.end_minute) for p in cal.normal_day]
    profiles = (
        StaffProfile.objects.active()
        .filter(user__is_active=True, user__groups__name=ROLE_BY_CODE["technician"].name)
        .select_related("user", "region")
        .prefetch_related("skills")
        .order_by("employee_no")
    )
    if region is not None:
        profiles = profiles.filter(region=region)
    profile_list = list(profiles)
    user_ids = [p.user_id for p in profile_list]
    start, end = day_origin(day), day_origin(day + dt.timedelta(days=1))
    rows: dict[int, list[RosterShift]] = {}
    for shift in DutyShift.objects.active().filter(
        user_id__in=user_ids, starts_at__lt=end, ends_at__gt=start
    ):
        rows.setdefault(shift.user_id, []).append(
            RosterShift(shift.kind, to_minute(day, shift.starts_at), to_minute(day, shift.ends_at))
        )
    rostered = set(
        DutyShift.objects.active()
        .filter(user_id__in=user_ids)
        .values_list("user_id", flat=True)
        .distinct()
    )
    techs: list[Technician] = []
    homes: list[Place] = []
    for profile in profile_list:
        hours = day_shift(
            rows.get(profile.user_id, []),
            working_periods=working,
            normal_periods=normal,
            has_roster=profile.user_id in rostered,
        )
        if hours is None:
            continue
        home = _home(profile)
        if home is None:
            notes.append(Said("工程师%(user)s缺少驻地坐标，未纳入方案", user=profile.user))
            continue
        lunch = lunch_break(hours, working or normal, config.lunch_flex_minutes)
        index = len(homes)
        homes.append(home)
        techs.append(
            Technician(
                id=tech_id_of(profile.user_id),
                start_location=index,
                end_location=index,
                shift=hours,
                skills=frozenset(s.code for s in profile.skills.all()),
                lunch=lunch,
            )
        )
    return techs, homes


def _home(profile: StaffProfile) -> Place | None:
    code = profile.region.code if profile.region else ""
    if profile.home_lat is not None and profile.home_lng is not None:
        return Place(float(profile.home_lat), float(profile.home_lng), code)
    return _centre(profile.region)


def _centre(region: Region | None) -> Place | None:
    if region is None or region.centre_lat is None or region.centre_lng is None:
        return None
    return Place(float(region.centre_lat), float(region.centre_lng), region.code)


def _site_place(ticket: Ticket) -> Place | None:
    site = ticket.site
    if site is not None and site.lat is not None and site.lng is not None:
        return Place(float(site.lat), float(site.lng), site.region.code)
    return _centre(site.region if site is not None else ticket.customer.region)


def _region_q(region: Region | None, prefix: str = "") -> Q:
    if region is None:
        return Q()
    return Q(**{f"{prefix}site__region": region}) | Q(
        **{f"{prefix}site__isnull": True, f"{prefix}customer__region": region}
    )


TICKET_RELATED = (
    "site__region",
    "customer__region",
    "equipment__model__category",
)


def _open_work(
    day: dt.date, region: Region | None, config: PlannerConfig, now_minute: int | None
) -> list[_Draft]:
    tickets = (
        Ticket.objects.active()
        .filter(_region_q(region), state__in=AWAITING_STATES, remote=False)
        .exclude(work_orders__state__in=LIVE_WO_STATES)
        .select_related(*TICKET_RELATED)
        .prefetch_related("clocks")
        .order_by("received_at", "id")
    )
    drafts = [_draft(day, t, None, config) for t in tickets]
    for draft, ticket in zip(drafts, tickets, strict=True):
        # waiting for a technician, of a category served remotely first: remote work
        equipment = ticket.equipment if ticket.equipment_id else None
        draft.remote = allows_remote(
            remote_category=bool(equipment and equipment.model.category.remote_service),
            customer_request=ticket.customer_request,
        )
    start, end = day_origin(day), day_origin(day + dt.timedelta(days=1))
    orders = (
        WorkOrder.objects.active()
        .filter(_region_q(region, "ticket__"), state__in=PLANNABLE_WO_STATES, remote=False)
        .filter(Q(window_start__isnull=True) | Q(window_start__gte=start, window_start__lt=end))
        .select_related(*(f"ticket__{r}" for r in TICKET_RELATED))
        .prefetch_related("ticket__clocks")
        .order_by("dispatched_at", "id")
    )
    seen = {d.ref.ticket_id for d in drafts}
    for wo in orders:
        if wo.ticket_id in seen:
            continue
        seen.add(wo.ticket_id)
        drafts.append(_draft(day, wo.ticket, wo, config))
    return _as_planned_visits(day, drafts, {wo.ticket_id: wo for wo in orders})


def _as_planned_visits(
    day: dt.date, drafts: list[_Draft], orders: Mapping[int, WorkOrder]
) -> list[_Draft]:
    """The tickets of planned maintenance visits (巡检/保养) take their plan's terms: its
    engineers per visit (``crew``), its skill (else the equipment's product line), its
    duration, and the customer's visiting hours as the window — never planned outside
    them — unless an appointment was made; due that day or overdue it is must-do, earlier
    it is planned when there is room."""
    from aftersales.maintenance.models import PHONE_KINDS, MaintenanceVisit

    visits = {
        v.ticket_id: v
        for v in MaintenanceVisit.objects.filter(
            ticket_id__in=[d.ref.ticket_id for d in drafts]
        ).select_related("plan__skill")
    }
    for draft in drafts:
        visit = visits.get(draft.ref.ticket_id)
        if visit is None:
            continue
        plan, job = visit.plan, draft.job
        wo = orders.get(draft.ref.ticket_id) if draft.ref.work_order_id else None
        appointment = wo is not None and wo.window_start is not None and wo.window_end is not None
        window, kind, late_ok = job.window, job.window_kind, job.late_ok
        if not appointment and plan.visit_from is not None and plan.visit_until is not None:
            earliest = plan.visit_from.hour * 60 + plan.visit_from.minute
            latest = plan.visit_until.hour * 60 + plan.visit_until.minute
            window, kind, late_ok = TimeWindow(earliest, latest), WindowKind.APPOINTMENT, False
        draft.job = replace(
            job,
            service_minutes=plan.duration_minutes,
            required_skill=plan.skill.code if plan.skill else job.required_skill,
            window=window,
            window_kind=kind,
            must_do=appointment or visit.due_date <= day,
            late_ok=late_ok,
            crew=1 if plan.kind in PHONE_KINDS else max(1, plan.min_engineers),
        )
    return drafts


def _started_work(
    day: dt.date, tech_ids: set[str], config: PlannerConfig, now_minute: int | None
) -> list[_Draft]:
    start, end = day_origin(day), day_origin(day + dt.timedelta(days=1))
    user_ids = [user_id_of(t) for t in tech_ids]
    orders = list(
        WorkOrder.objects.filter(
            state__in=STARTED_WO_STATES,
            technician_id__in=user_ids,
            check_in_at__gte=start,
            check_in_at__lt=end,
        )
        .select_related(*(f"ticket__{r}" for r in TICKET_RELATED))
        .order_by("check_in_at", "id")
    )
    # a technician is at one site at a time: a visit ends at the latest when he checks in at
    # the next one (a forgotten check-out, or two check-ins recorded at once)
    next_check_in: dict[int, int] = {}
    previous: dict[int | None, WorkOrder] = {}
    for wo in orders:  # in check-in order
        assert wo.check_in_at is not None
        if wo.technician_id in previous:
            next_check_in[previous[wo.technician_id].pk] = to_minute(day, wo.check_in_at)
        previous[wo.technician_id] = wo
    drafts = []
    for wo in orders:
        draft = _draft(day, wo.ticket, wo, config, started=True)
        assert wo.check_in_at is not None
        begin = to_minute(day, wo.check_in_at)
        if wo.check_out_at is not None:
            minutes = max(1, to_minute(day, wo.check_out_at) - begin)
        else:
            minutes = max(draft.job.service_minutes, (now_minute or begin) - begin)
        if wo.pk in next_check_in:
            minutes = max(0, min(minutes, next_check_in[wo.pk] - begin))
        job = Job(
            id=f"W{wo.pk}",
            location=0,
            service_minutes=minutes,
            window=TimeWindow(0, DAY_MINUTES),
            weight=draft.job.weight,
            required_skill=draft.job.required_skill,
            must_do=False,
        )
        draft.job = job
        draft.ref = JobRef(job.id, wo.ticket_id, wo.pk, started=True)
        draft.fixed = (
            tech_id_of(wo.technician_id or 0),
            FixedVisit(job.id, begin, arrival=begin, started=True),
        )
        drafts.append(draft)
    return drafts


def _draft(
    day: dt.date,
    ticket: Ticket,
    wo: WorkOrder | None,
    config: PlannerConfig,
    *,
    started: bool = False,
) -> _Draft:
    skill = None
    if ticket.equipment_id and ticket.equipment is not None:
        skill = ticket.equipment.model.category.code
    window, kind, must_do = _window(day, ticket, wo)
    pin = None
    if wo is not None and wo.state == WorkOrderState.ACCEPTED and wo.technician_id:
        pin = tech_id_of(wo.technician_id)
    job = Job(
        id=job_id_of(ticket.pk),
        location=0,
        service_minutes=config.service_minutes_for(skill),
        window=window,
        weight=SEVERITY_WEIGHTS[Severity(ticket.severity)],
        required_skill=skill,
        must_do=must_do,
        window_kind=kind,
        fixed_technician=pin,
    )
    ref = JobRef(job.id, ticket.pk, wo.pk if wo is not None else None, started)
    return _Draft(ref, _site_place(ticket), job)


def _window(
    day: dt.date, ticket: Ticket, wo: WorkOrder | None
) -> tuple[TimeWindow, WindowKind, bool]:
    if wo is not None and wo.window_start is not None and wo.window_end is not None:
        earliest = max(0, to_minute(day, wo.window_start))
        latest = max(earliest, min(DAY_MINUTES, to_minute(day, wo.window_end)))
        return TimeWindow(earliest, latest), WindowKind.APPOINTMENT, True
    clock = next(
        (
            c
            for c in _clocks(ticket)
            if c.metric == "on_site" and c.status in ("running", "paused", "breached")
        ),
        None,
    )
    if clock is None:
        return TimeWindow(0, DAY_MINUTES), WindowKind.SLA, False
    due = to_minute(day, clock.due_at)
    if due >= DAY_MINUTES:
        return TimeWindow(0, DAY_MINUTES), WindowKind.SLA, False
    return TimeWindow(0, max(0, due)), WindowKind.SLA, True


def _clocks(ticket: Ticket) -> Iterable[Any]:
    return ticket.clocks.all()


def technician_names(tech_ids: Iterable[str]) -> dict[str, str]:
    users = get_user_model().objects.filter(pk__in=[user_id_of(t) for t in tech_ids])
    return {tech_id_of(u.pk): str(u) for u in users}
