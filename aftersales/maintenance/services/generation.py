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
from aftersales.core.said import Said
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
from aftersales.maintenance.services.plans import schedule_from
from aftersales.service.models import TicketState

BATCH = 1000
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


@dataclass(frozen=True)
class PlanRow:
    """What generation needs of a plan, loaded as plain values (not model instances: a run
    over 10 000 plans would build 40 000 of them with their customer, site and contract)."""

    pk: int
    schedule: rules.Schedule | None
    lead_days: int
    generated_through: dt.date | None

    def horizon(self, today: dt.date) -> dt.date:
        """How far this run generates: ``lead_days`` ahead, not past the plan's (or
        contract's) end — so that a contract extended later still gets the dates after its
        old end. The same as ``HORIZON`` in SQL."""
        until = today + dt.timedelta(days=self.lead_days)
        if self.schedule is not None and self.schedule.end is not None:
            until = min(until, self.schedule.end)
        return until

    def wanted(
        self, today: dt.date, is_working: Callable[[dt.date], bool], *, incremental: bool = False
    ) -> list[rules.Occurrence]:
        """The occurrences from today to the horizon; ``incremental``: only those after what
        an earlier run already generated (``generated_through``)."""
        if self.schedule is None:
            return []
        since = today
        if incremental and self.generated_through is not None:
            since = max(since, self.generated_through + dt.timedelta(days=1))
        until = self.horizon(today)
        if since > until:
            return []
        return rules.occurrences(self.schedule, since=since, until=until, is_working=is_working)


ROW_FIELDS = (
    "pk",
    "recurrence",
    "interval",
    "start_date",
    "end_date",
    "contract__end_date",
    "window__start_month",
    "window__start_day",
    "window__end_month",
    "window__end_day",
    "lead_days",
    "generated_through",
)


def _row(values: tuple[Any, ...]) -> PlanRow:
    pk, recurrence, interval, start, end, contract_end, wsm, wsd, wem, wed, lead, through = values
    window = rules.SeasonWindow(wsm, wsd, wem, wed) if wsm is not None else None
    schedule = schedule_from(
        recurrence=recurrence,
        interval=interval,
        start=start,
        end=end,
        contract_end=contract_end,
        window=window,
    )
    return PlanRow(pk=pk, schedule=schedule, lead_days=lead, generated_through=through)


P = "maintenance_maintenanceplan"
# the plan's horizon in SQL (``PlanRow.horizon``): %(today)s + lead days, not past its or its
# contract's end
HORIZON = f"""LEAST(
    %(today)s::date + {P}.lead_days,
    COALESCE({P}.end_date, 'infinity'::date),
    COALESCE((SELECT c.end_date FROM customers_servicecontract c WHERE c.id = {P}.contract_id),
             'infinity'::date))"""
PENDING = f"({P}.generated_through IS NULL OR {P}.generated_through < {HORIZON})"

# One statement per batch of plans, all set-based: insert the occurrences with the unique
# (plan, occurrence key) — ``ON CONFLICT DO NOTHING``, so a second run or a second worker at
# the same moment adds nothing (it waits for the first one's uncommitted rows, then skips
# them) —, one audit row per plan that got visits (naming their keys; not one per visit: a
# year of 10 000 plans is 100 000 visits), and remember how far each plan of the batch is
# generated (``generated_through``; a later run starts after it). Customer, region, release
# day and plan revision come from the plan's row in the database.
WRITE = f"""
WITH r AS (
    SELECT * FROM unnest(%(plan)s::bigint[], %(nominal)s::date[], %(due)s::date[])
        AS r(plan_id, nominal, due)
), ins AS (
    INSERT INTO maintenance_maintenancevisit (
        created_at, updated_at, plan_id, occurrence_key, customer_id, region_id, nominal_date,
        due_date, release_on, plan_revision, state, cancel_reason, cancel_note, remark, signature,
        signed_by
    )
    SELECT %(now)s, %(now)s, p.id, to_char(r.nominal, 'YYYY-MM-DD'), p.customer_id,
           COALESCE(s.region_id, c.region_id), r.nominal, r.due, r.due - p.release_days,
           p.revision, 'planned', '', '', '', '', ''
    FROM r
    JOIN {P} p ON p.id = r.plan_id
    JOIN customers_customer c ON c.id = p.customer_id
    LEFT JOIN customers_site s ON s.id = p.site_id
    ORDER BY r.plan_id, r.nominal
    ON CONFLICT (plan_id, occurrence_key) DO NOTHING
    RETURNING plan_id, occurrence_key
), audited AS (
    INSERT INTO core_auditevent (
        content_type_id, object_id, object_repr, action, verb, actor_id, actor_repr, at,
        before, after, from_state, to_state, reason, payload
    )
    SELECT %(ct)s, p.id::text, left(p.number || ' ' || p.name, 200), 'action',
           'generate_visits', NULL, '系统', %(now)s, NULL, NULL, '', '', '',
           jsonb_build_object('created', jsonb_agg(i.occurrence_key ORDER BY i.occurrence_key))
    FROM ins i JOIN {P} p ON p.id = i.plan_id
    GROUP BY p.id
    RETURNING 1
), marked AS (
    UPDATE {P} SET generated_through = {HORIZON}
    WHERE {P}.id = ANY(%(batch)s::bigint[]) AND (%(reset)s OR {PENDING})
    RETURNING 1
)
SELECT (SELECT count(*) FROM ins), (SELECT count(*) FROM audited), (SELECT count(*) FROM marked)
"""


def _write(
    rows: list[tuple[int, rules.Occurrence]],
    batch: list[int],
    *,
    today: dt.date,
    now: dt.datetime,
    reset: bool = False,
) -> int:
    """Insert ``rows`` (plan id, occurrence) for the plans of ``batch`` and mark the batch
    generated to its horizon (``reset``: even if it was further, after an edit). Returns how
    many visits were created."""
    if not rows and not batch:
        return 0
    params: dict[str, Any] = {
        "now": now,
        "today": today,
        "ct": ContentType.objects.get_for_model(MaintenancePlan).pk,
        "plan": [plan_id for plan_id, _ in rows],
        "nominal": [occ.nominal for _, occ in rows],
        "due": [occ.due for _, occ in rows],
        "batch": batch,
        "reset": reset,
    }
    with connection.cursor() as cur:
        cur.execute(WRITE, params)
        created, _audited, _marked = cur.fetchone()
    return int(created)


def _rows() -> Any:
    return MaintenancePlan.objects.active().values_list(*ROW_FIELDS)


def _add(plans: Iterable[PlanRow], today: dt.date, now: dt.datetime) -> int:
    is_working = working_day_test()
    created = 0
    batch: list[PlanRow] = []

    def flush() -> int:
        rows = [(p.pk, o) for p in batch for o in p.wanted(today, is_working, incremental=True)]
        made = _write(rows, [p.pk for p in batch], today=today, now=now)
        batch.clear()
        return made

    for plan in plans:
        batch.append(plan)
        if len(batch) >= BATCH:
            created += flush()
    if batch:
        created += flush()
    return created


def generate(
    *, today: dt.date, plan_ids: list[int] | None = None, release: bool = True
) -> GenerationResult:
    """The daily run (also safe to run again at any time, or on two workers at once)."""
    now = timezone.now()
    # only plans whose horizon moved past what was generated (a second run loads none)
    pending = RawSQL(PENDING.replace("%(today)s", "%s"), [today], output_field=BooleanField())
    plans = _rows().alias(pending=pending).filter(pending=True).order_by("pk")
    if plan_ids is not None:
        plans = plans.filter(pk__in=plan_ids)
    result = GenerationResult()
    with transaction.atomic():
        result.created = _add(map(_row, plans.iterator(chunk_size=BATCH)), today, now)
    result.cancelled = cancel_beyond_end(today=today, plan_ids=plan_ids)
    result.moved = revive_within_end(today=today, plan_ids=plan_ids)
    if release:
        result.released = release_due(today=today, plan_ids=plan_ids)
    return result


def generate_plan(plan: MaintenancePlan, *, today: dt.date) -> int:
    return _add([_row(_rows().get(pk=plan.pk))], today, timezone.now())


def _movable(visit: MaintenanceVisit) -> bool:
    if visit.state not in NOT_STARTED:
        return False
    return visit.ticket is None or visit.ticket.state in TICKET_NOT_STARTED


# the planner's reason for a hand cancellation: its column's length
NOTE_MAX: int = MaintenanceVisit._meta.get_field("cancel_note").max_length or 150


def cancellable(visit: MaintenanceVisit) -> bool:
    """Whether a planner may still cancel the visit by hand (the page's button)."""
    return _movable(visit)


def _cancel(visit: MaintenanceVisit, *, reason: str, actor: Any = None, note: str = "") -> None:
    from aftersales.service.services import lifecycle

    before = visit.state
    visit.state = VisitState.CANCELLED
    visit.cancel_reason = reason
    visit.cancel_note = note[:NOTE_MAX]
    visit.save(update_fields=["state", "cancel_reason", "cancel_note", "updated_at"])
    said = CancelReason(reason).label + (f"：{note}" if note else "")
    if visit.ticket is not None and visit.ticket.state in TICKET_NOT_STARTED:
        lifecycle.cancel(
            actor=None, ticket=visit.ticket, reason=Said("巡检任务取消：%(said)s", said=said)[:200]
        )
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
    if len(note) > NOTE_MAX:
        raise ValidationFailed(
            Said("取消原因不能超过 %(NOTE_MAX)s 个字", NOTE_MAX=NOTE_MAX), field="note"
        )
    found = (
        MaintenanceVisit.objects.select_for_update(of=("self",)).select_related("ticket").get(pk=pk)
    )
    if not _movable(found):
        raise Conflict(
            Said(
                "巡检任务%(get_state_display)s，不能取消",
                get_state_display=found.get_state_display(),
            )
        )
    _cancel(found, reason=CancelReason.MANUAL, actor=actor, note=note)
    return found


@transaction.atomic
def replan(plan: MaintenancePlan, *, today: dt.date, actor: Any = None) -> GenerationResult:
    """After an edit: the plan's visits from today on that have not started follow the new
    schedule. A cancelled-by-replan visit whose date comes back is planned again."""
    plan = MaintenancePlan.objects.select_related("contract", "window").get(pk=plan.pk)
    wanted = {o.key: o for o in _row(_rows().get(pk=plan.pk)).wanted(today, working_day_test())}
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
            visit.cancel_note = ""
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
    missing = [(plan.pk, wanted[k]) for k in sorted(wanted)]
    result.created = _write(missing, [plan.pk], today=today, now=timezone.now(), reset=True)
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
            visit.cancel_note = ""
            visit.save(
                update_fields=["state", "cancel_reason", "cancel_note", "ticket", "updated_at"]
            )
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
    engineers = (
        Said("，需 %(min_engineers)s 名工程师", min_engineers=plan.min_engineers)
        if plan.min_engineers > 1
        else ""
    )
    ticket = intake.ticket_create(
        actor=None,
        data=intake.TicketInput(
            description=(
                Said(
                    "%(get_kind_display)s：%(name)s（计划 %(number)s），应于 %(due_date)s 完成%(engineers)s。",
                    get_kind_display=plan.get_kind_display(),
                    name=plan.name,
                    number=plan.number,
                    due_date=format(visit.due_date, "%Y-%m-%d"),
                    engineers=engineers,
                )
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
            different_fault_reason=Said("巡检计划 %(number)s", number=plan.number),
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
