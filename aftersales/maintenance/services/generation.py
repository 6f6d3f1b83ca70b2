"""Generating visits from plans, idempotently.

The unique key of a visit is (plan, occurrence key = its nominal date), enforced by the
database: rows are inserted with ``ON CONFLICT DO NOTHING``, so a second run, two workers at
the same moment, or a run after a restart never create a visit twice. A run

1. adds the occurrences of every active plan from today to ``lead_days`` ahead;
2. cancels the future visits that have not started beyond their plan's or contract's end
   (ending a contract cancels its future visits);
3. releases the visits whose ``release_on`` has come: each becomes a service ticket of type
   巡检排查 that dispatch and the planner handle like any other.

Editing a plan calls ``replan``: future visits not started follow the new schedule; done and
started ones are never touched.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import BooleanField, F, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone

from aftersales.bizcalendar.rules import periods_on
from aftersales.bizcalendar.selectors import business_calendar
from aftersales.core import audit
from aftersales.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from aftersales.core.models import AuditEvent
from aftersales.core.visibility import visible
from aftersales.maintenance import rules
from aftersales.maintenance.models import (
    NOT_STARTED,
    CancelReason,
    MaintenancePlan,
    MaintenanceVisit,
    VisitState,
)
from aftersales.maintenance.roles import PLANNERS
from aftersales.maintenance.services.plans import schedule_of
from aftersales.service.models import TicketState

BATCH = 500
# a released visit whose ticket is in one of these has not started either
TICKET_NOT_STARTED: frozenset[str] = frozenset(
    {
        TicketState.REGISTERED,
        TicketState.ACKNOWLEDGED,
        TicketState.DISPATCHED,
        TicketState.SCHEDULED,
    }
)


@dataclass
class GenerationResult:
    created: int = 0
    cancelled: int = 0
    moved: int = 0
    released: int = 0


def working_day_test() -> Callable[[dt.date], bool]:
    """Whether a date is a working day in the default business calendar (调休 included)."""
    cal = business_calendar()
    seen: dict[dt.date, bool] = {}

    def is_working(day: dt.date) -> bool:
        if day not in seen:
            seen[day] = bool(periods_on(cal, day))
        return seen[day]

    return is_working


def _horizon(plan: MaintenancePlan, today: dt.date) -> dt.date:
    """How far this run generates: ``lead_days`` ahead, not past the plan's (or contract's)
    end — so that a contract extended later still gets the dates after its old end."""
    until = today + dt.timedelta(days=plan.lead_days)
    schedule = schedule_of(plan)
    if schedule is not None and schedule.end is not None:
        until = min(until, schedule.end)
    return until


def _wanted(
    plan: MaintenancePlan,
    today: dt.date,
    is_working: Callable[[dt.date], bool],
    *,
    incremental: bool = False,
) -> list[rules.Occurrence]:
    """The occurrences from today to the horizon; ``incremental``: only those after what an
    earlier run already generated (``generated_through``)."""
    schedule = schedule_of(plan)
    if schedule is None or plan.archived_at is not None:
        return []
    since = today
    if incremental and plan.generated_through is not None:
        since = max(since, plan.generated_through + dt.timedelta(days=1))
    until = _horizon(plan, today)
    if since > until:
        return []
    return rules.occurrences(schedule, since=since, until=until, is_working=is_working)


MARK = """
UPDATE maintenance_maintenanceplan AS p
SET generated_through = GREATEST(COALESCE(p.generated_through, r.through), r.through)
FROM unnest(%(plan)s::bigint[], %(through)s::date[]) AS r(plan_id, through)
WHERE p.id = r.plan_id
  AND (p.generated_through IS NULL OR p.generated_through < r.through)
"""


def _mark(plans: list[MaintenancePlan], today: dt.date, *, reset: bool = False) -> None:
    """Remember how far each plan is generated (a later run starts after it)."""
    if not plans:
        return
    with connection.cursor() as cur:
        if reset:
            cur.execute(
                "UPDATE maintenance_maintenanceplan SET generated_through = NULL WHERE id = ANY(%s)",
                [[p.pk for p in plans]],
            )
        cur.execute(
            MARK,
            {"plan": [p.pk for p in plans], "through": [_horizon(p, today) for p in plans]},
        )


INSERT = """
INSERT INTO maintenance_maintenancevisit (
    created_at, updated_at, plan_id, occurrence_key, customer_id, region_id, nominal_date,
    due_date, release_on, plan_revision, state, cancel_reason, remark, signature, signed_by
)
SELECT %(now)s, %(now)s, r.plan_id, r.key, r.customer_id, r.region_id, r.nominal, r.due,
       r.release_on, r.revision, 'planned', '', '', '', ''
FROM unnest(%(plan)s::bigint[], %(key)s::text[], %(customer)s::bigint[], %(region)s::bigint[],
            %(nominal)s::date[], %(due)s::date[], %(release)s::date[], %(revision)s::int[])
     AS r(plan_id, key, customer_id, region_id, nominal, due, release_on, revision)
ON CONFLICT (plan_id, occurrence_key) DO NOTHING
RETURNING plan_id, occurrence_key
"""


def _insert(
    rows: list[tuple[MaintenancePlan, rules.Occurrence]], now: dt.datetime
) -> list[tuple[int, str]]:
    if not rows:
        return []
    params: dict[str, Any] = {"now": now}
    cols: dict[str, list[Any]] = {
        k: []
        for k in ("plan", "key", "customer", "region", "nominal", "due", "release", "revision")
    }
    for plan, occ in rows:
        cols["plan"].append(plan.pk)
        cols["key"].append(occ.key)
        cols["customer"].append(plan.customer_id)
        cols["region"].append(
            plan.site.region_id if plan.site is not None else plan.customer.region_id
        )
        cols["nominal"].append(occ.nominal)
        cols["due"].append(occ.due)
        cols["release"].append(occ.due - dt.timedelta(days=plan.release_days))
        cols["revision"].append(plan.revision)
    params.update(cols)
    with connection.cursor() as cur:
        cur.execute(INSERT, params)
        return [(int(p), str(k)) for p, k in cur.fetchall()]


def _audit_created(
    created: list[tuple[int, str]], plans: dict[int, MaintenancePlan], now: dt.datetime
) -> None:
    """One audit row per plan and run that created visits (not one per visit: a year of
    10 000 plans is 100 000 visits), naming the occurrence keys."""
    by_plan: dict[int, list[str]] = {}
    for plan_id, key in created:
        by_plan.setdefault(plan_id, []).append(key)
    ct = ContentType.objects.get_for_model(MaintenancePlan)
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                content_type=ct,
                object_id=str(plan_id),
                object_repr=str(plans[plan_id])[:200],
                action=AuditEvent.Action.ACTION,
                verb="generate_visits",
                actor_repr="系统",
                at=now,
                payload={"created": sorted(keys)},
            )
            for plan_id, keys in by_plan.items()
        ]
    )


def _plans() -> Any:
    return MaintenancePlan.objects.active().select_related("customer", "site", "contract", "window")


def _add(plans: Iterable[MaintenancePlan], today: dt.date, now: dt.datetime) -> int:
    is_working = working_day_test()
    created = 0
    batch: list[MaintenancePlan] = []

    def flush() -> int:
        rows = [(p, o) for p in batch for o in _wanted(p, today, is_working, incremental=True)]
        made = _insert(rows, now)
        _audit_created(made, {p.pk: p for p in batch}, now)
        _mark(batch, today)
        batch.clear()
        return len(made)

    for plan in plans:
        batch.append(plan)
        if len(batch) >= BATCH:
            created += flush()
    if batch:
        created += flush()
    return created


P = "maintenance_maintenanceplan"
PENDING = f"""
({P}.generated_through IS NULL OR {P}.generated_through < LEAST(
    %s::date + {P}.lead_days,
    COALESCE({P}.end_date, 'infinity'::date),
    COALESCE((SELECT c.end_date FROM customers_servicecontract c WHERE c.id = {P}.contract_id),
             'infinity'::date)))
"""


def generate(
    *, today: dt.date, plan_ids: list[int] | None = None, release: bool = True
) -> GenerationResult:
    """The daily run (also safe to run again at any time, or on two workers at once)."""
    now = timezone.now()
    # only plans whose horizon moved past what was generated (a second run loads none)
    pending = RawSQL(PENDING, [today], output_field=BooleanField())
    plans = _plans().alias(pending=pending).filter(pending=True).order_by("pk")
    if plan_ids is not None:
        plans = plans.filter(pk__in=plan_ids)
    result = GenerationResult()
    with transaction.atomic():
        result.created = _add(plans.iterator(chunk_size=BATCH), today, now)
    result.cancelled = cancel_beyond_end(today=today, plan_ids=plan_ids)
    result.moved = revive_within_end(today=today, plan_ids=plan_ids)
    if release:
        result.released = release_due(today=today, plan_ids=plan_ids)
    return result


def generate_plan(plan: MaintenancePlan, *, today: dt.date) -> int:
    plan = _plans().get(pk=plan.pk)
    return _add([plan], today, timezone.now())


def _movable(visit: MaintenanceVisit) -> bool:
    if visit.state not in NOT_STARTED:
        return False
    return visit.ticket is None or visit.ticket.state in TICKET_NOT_STARTED


def _cancel(visit: MaintenanceVisit, *, reason: str, actor: Any = None, note: str = "") -> None:
    from aftersales.service.services import lifecycle

    before = visit.state
    visit.state = VisitState.CANCELLED
    visit.cancel_reason = reason
    visit.save(update_fields=["state", "cancel_reason", "updated_at"])
    said = CancelReason(reason).label + (f"：{note}" if note else "")
    if visit.ticket is not None and visit.ticket.state in TICKET_NOT_STARTED:
        lifecycle.cancel(actor=None, ticket=visit.ticket, reason=f"巡检任务取消：{said}"[:200])
    audit.record(
        visit,
        actor=actor,
        action="transition",
        verb="visit_cancel",
        from_state=before,
        to_state=visit.state,
        reason=said,
    )


@transaction.atomic
def cancel_visit(*, actor: Any, visit: MaintenanceVisit | int, note: str) -> MaintenanceVisit:
    """A planner cancels one visit by hand (e.g. the customer's site is closed that month),
    with the reason; only a visit not started (its ticket not yet on site) may be."""
    pk = visit.pk if isinstance(visit, MaintenanceVisit) else visit
    if not (getattr(actor, "is_superuser", False) or actor.role_codes & PLANNERS):
        raise PermissionDenied("只有主办或主管可以取消巡检任务")
    if not visible(MaintenanceVisit, actor).filter(pk=pk).exists():
        raise NotFound("巡检任务不存在或无权查看")
    note = note.strip()
    if not note:
        raise ValidationFailed("取消必须填写原因", field="note")
    if len(note) > 150:
        raise ValidationFailed("取消原因不能超过 150 个字", field="note")
    found = (
        MaintenanceVisit.objects.select_for_update(of=("self",)).select_related("ticket").get(pk=pk)
    )
    if not _movable(found):
        raise Conflict(f"巡检任务{found.get_state_display()}，不能取消")
    _cancel(found, reason=CancelReason.MANUAL, actor=actor, note=note)
    return found


@transaction.atomic
def replan(plan: MaintenancePlan, *, today: dt.date, actor: Any = None) -> GenerationResult:
    """After an edit: the plan's visits from today on that have not started follow the new
    schedule. A cancelled-by-replan visit whose date comes back is planned again."""
    plan = _plans().get(pk=plan.pk)
    wanted = {o.key: o for o in _wanted(plan, today, working_day_test())}
    result = GenerationResult()
    future = (
        MaintenanceVisit.objects.select_for_update(of=("self",))
        .select_related("ticket")
        .filter(plan=plan, nominal_date__gte=today)
    )
    for visit in future:
        occ = wanted.pop(visit.occurrence_key, None)
        if occ is None:
            if _movable(visit):
                _cancel(visit, reason=CancelReason.REPLANNED, actor=actor)
                result.cancelled += 1
            continue
        release_on = occ.due - dt.timedelta(days=plan.release_days)
        if visit.state == VisitState.CANCELLED and visit.cancel_reason == CancelReason.REPLANNED:
            before = visit.state
            visit.state, visit.cancel_reason, visit.ticket = VisitState.PLANNED, "", None
            visit.due_date, visit.release_on, visit.plan_revision = (
                occ.due,
                release_on,
                plan.revision,
            )
            visit.save()
            audit.record(
                visit,
                actor=actor,
                action="transition",
                verb="visit_replanned",
                from_state=before,
                to_state=visit.state,
            )
            result.moved += 1
        elif visit.state == VisitState.PLANNED and (visit.due_date, visit.release_on) != (
            occ.due,
            release_on,
        ):
            before_due = visit.due_date
            visit.due_date, visit.release_on, visit.plan_revision = (
                occ.due,
                release_on,
                plan.revision,
            )
            visit.save(update_fields=["due_date", "release_on", "plan_revision", "updated_at"])
            audit.record(
                visit,
                actor=actor,
                action="update",
                verb="visit_moved",
                before={"due_date": before_due},
                after={"due_date": occ.due},
            )
            result.moved += 1
    missing = [(plan, wanted[k]) for k in sorted(wanted)]
    made = _insert(missing, timezone.now())
    _audit_created(made, {plan.pk: plan}, timezone.now())
    _mark([plan], today, reset=True)
    result.created = len(made)
    return result


def cancel_beyond_end(*, today: dt.date, plan_ids: list[int] | None = None) -> int:
    """Future visits not started after their plan's end, their contract's end, or of an
    archived plan are cancelled."""
    qs = (
        MaintenanceVisit.objects.filter(state__in=NOT_STARTED, nominal_date__gte=today)
        .filter(
            Q(nominal_date__gt=F("plan__end_date"))
            | Q(nominal_date__gt=F("plan__contract__end_date"))
            | Q(plan__archived_at__isnull=False)
        )
        .values_list("pk", flat=True)
    )
    if plan_ids is not None:
        qs = qs.filter(plan_id__in=plan_ids)
    cancelled = 0
    for pk in list(qs):
        with transaction.atomic():
            visit = (
                MaintenanceVisit.objects.select_for_update(of=("self",))
                .select_related("ticket", "plan__contract")
                .filter(pk=pk, state__in=NOT_STARTED)
                .first()
            )
            if visit is None or not _movable(visit):
                continue
            plan = visit.plan
            ended_contract = (
                plan.contract is not None and visit.nominal_date > plan.contract.end_date
            )
            reason = CancelReason.CONTRACT_ENDED if ended_contract else CancelReason.PLAN_ENDED
            _cancel(visit, reason=reason)
            cancelled += 1
    return cancelled


def revive_within_end(*, today: dt.date, plan_ids: list[int] | None = None) -> int:
    """Future visits cancelled because their contract or plan ended come back when it is
    extended (planned again, to be released anew)."""
    qs = (
        MaintenanceVisit.objects.filter(
            state=VisitState.CANCELLED,
            cancel_reason__in=[CancelReason.CONTRACT_ENDED, CancelReason.PLAN_ENDED],
            nominal_date__gte=today,
            plan__archived_at__isnull=True,
        )
        .exclude(nominal_date__gt=F("plan__end_date"))
        .exclude(nominal_date__gt=F("plan__contract__end_date"))
        .values_list("pk", flat=True)
    )
    if plan_ids is not None:
        qs = qs.filter(plan_id__in=plan_ids)
    revived = 0
    for pk in list(qs):
        with transaction.atomic():
            visit = (
                MaintenanceVisit.objects.select_for_update(of=("self",))
                .filter(pk=pk, state=VisitState.CANCELLED)
                .first()
            )
            if visit is None:
                continue
            reason = visit.cancel_reason
            visit.state, visit.cancel_reason, visit.ticket = VisitState.PLANNED, "", None
            visit.save(update_fields=["state", "cancel_reason", "ticket", "updated_at"])
            audit.record(
                visit,
                actor=None,
                action="transition",
                verb="visit_revived",
                from_state=VisitState.CANCELLED,
                to_state=visit.state,
                payload={"was": reason},
            )
            revived += 1
    return revived


def release_due(*, today: dt.date, plan_ids: list[int] | None = None) -> int:
    """Visits whose release day has come become service tickets (type 巡检排查), one each."""
    qs = MaintenanceVisit.objects.filter(
        state=VisitState.PLANNED, release_on__lte=today, ticket__isnull=True
    ).values_list("pk", flat=True)
    if plan_ids is not None:
        qs = qs.filter(plan_id__in=plan_ids)
    released = 0
    for pk in list(qs.order_by("due_date", "pk")):
        with transaction.atomic():
            visit = (
                MaintenanceVisit.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("plan__site", "customer")
                .filter(pk=pk, state=VisitState.PLANNED, ticket__isnull=True)
                .first()
            )
            if visit is None:  # another worker has it, or it changed meanwhile
                continue
            _release(visit)
            released += 1
    return released


def _release(visit: MaintenanceVisit) -> None:
    from aftersales.service.models import Channel, TicketType
    from aftersales.service.services import intake
    from aftersales.sla.models import Severity

    plan = visit.plan
    equipment = list(plan.equipment.values_list("pk", flat=True)[:2])
    engineers = f"，需 {plan.min_engineers} 名工程师" if plan.min_engineers > 1 else ""
    ticket = intake.ticket_create(
        actor=None,
        data=intake.TicketInput(
            description=(
                f"{plan.get_kind_display()}：{plan.name}（计划 {plan.number}），"
                f"应于 {visit.due_date:%Y-%m-%d} 完成{engineers}。"
            ),
            contact_name=plan.contact_name,
            contact_phone=plan.contact_phone,
            channel=Channel.INSPECTION,
            type=TicketType.INSPECTION,
            severity=Severity.LOW,
            customer_id=visit.customer_id,
            site_id=plan.site_id,
            equipment_id=equipment[0] if len(equipment) == 1 else None,
            allow_duplicate=True,
            different_fault_reason=f"巡检计划 {plan.number}",
        ),
    )
    before = visit.state
    visit.ticket = ticket
    visit.state = VisitState.RELEASED
    visit.save(update_fields=["ticket", "state", "updated_at"])
    audit.record(
        visit,
        actor=None,
        action="transition",
        verb="visit_release",
        from_state=before,
        to_state=visit.state,
        payload={"ticket": ticket.number},
    )
