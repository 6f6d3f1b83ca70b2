"""SLA clocks of a ticket (SPEC §3.3): started at registration from the resolved policy,
met by the ticket's own transitions, paused while waiting for the customer or parts, and
checked by jobs for the 75 % warning, the breach and the escalation to the manager."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import DurationField, ExpressionWrapper, F, Q, Value
from django.utils import timezone

from aftersales.bizcalendar.rules import TWENTY_FOUR_SEVEN, BusinessCalendar, working_day_minutes
from aftersales.bizcalendar.selectors import business_calendar
from aftersales.core import audit
from aftersales.core.cache import TimedCache
from aftersales.core.models import Region
from aftersales.core.said import Said
from aftersales.service import notices
from aftersales.service.models import LoanerTask, SlaClock, Ticket, TicketPause, TicketState
from aftersales.service.models.ticket import PAUSE_STATES
from aftersales.sla import rules as sla_rules
from aftersales.sla.models import Severity, SlaPolicy, SlaRegionalTarget, SlaTarget
from aftersales.staff.models import StaffProfile
from aftersales.stock.services import loaners

MET_BY_STATE = {
    TicketState.ACKNOWLEDGED: ("response",),
    TicketState.DISPATCHED: ("response", "dispatch"),
    TicketState.ON_SITE: ("response", "dispatch", "on_site"),
    TicketState.RESOLVED: ("response", "dispatch", "resolution"),
}

# a resolved ticket no longer needs a visit or a plan: those clocks stop unmet, not breached
CANCELLED_ON_RESOLUTION = ("on_site", "plan")


_POLICIES: TimedCache[list[SlaPolicy]] = TimedCache(SlaPolicy, SlaTarget, SlaRegionalTarget)


def active_policies() -> list[SlaPolicy]:
    """Every active policy with its targets (cached for a minute: read on every registration,
    edited by an administrator a few times a year)."""

    def load() -> list[SlaPolicy]:
        return list(
            SlaPolicy.objects.active()
            .select_related("pattern")
            .prefetch_related("targets", "regional_targets")
            .order_by("id")
        )

    return _POLICIES.get("all", load)


def resolve_policy(ticket: Ticket) -> tuple[SlaPolicy | None, str]:
    """Contract → customer tier → default (SPEC §3.3), by ``sla.rules.choose_policy``."""
    contract = ticket.contract
    policies = active_policies()
    contract_policy = None
    if contract is not None and contract.sla_policy_id:
        contract_policy = next((p for p in policies if p.pk == contract.sla_policy_id), None)
        if contract_policy is None:  # an archived policy a contract still names
            contract_policy = SlaPolicy.objects.select_related("pattern").get(
                pk=contract.sla_policy_id
            )
    chosen, source = sla_rules.choose_policy(
        policies,
        contract_policy=contract_policy,
        contract_is_7x24=contract is not None and contract.is_7x24,
        customer_tier=ticket.customer.tier,
    )
    return chosen, source.value


def calendar_for(policy: SlaPolicy, working_time: bool) -> BusinessCalendar:
    if not working_time:
        return TWENTY_FOUR_SEVEN
    return business_calendar(policy.pattern.code if policy.pattern_id and policy.pattern else None)


_GEOGRAPHY: TimedCache[tuple[frozenset[int | None], dict[int, frozenset[int]]]] = TimedCache(
    StaffProfile, Region, m2m=(Region.neighbours.through,)
)


def _staffed_geography() -> tuple[frozenset[int | None], dict[int, frozenset[int]]]:
    """Regions with field engineers, and every region's neighbours (cached for a minute:
    read on every registration, changed a few times a year)."""

    def load() -> tuple[frozenset[int | None], dict[int, frozenset[int]]]:
        staffed = frozenset(
            StaffProfile.objects.active()
            .filter(is_field_engineer=True)
            .values_list("region_id", flat=True)
        )
        neighbours: dict[int, set[int]] = {}
        through = Region.neighbours.through.objects.values_list("from_region_id", "to_region_id")
        for a, b in through:
            neighbours.setdefault(a, set()).add(b)
        return staffed, {k: frozenset(v) for k, v in neighbours.items()}

    return _GEOGRAPHY.get("geo", load)


def _region_relation(ticket: Ticket) -> sla_rules.Relation:
    if ticket.site is None:
        return sla_rules.Relation.LOCAL
    staffed, neighbours = _staffed_geography()
    return sla_rules.region_relation(ticket.site.region_id, staffed, neighbours)


def _targets(ticket: Ticket, policy: SlaPolicy) -> list[tuple[str, int, bool]]:
    rows = [
        sla_rules.Target(
            t.severity, t.metric, t.amount, t.unit == SlaTarget.Unit.WORKING_DAYS, t.working_time
        )
        for t in policy.targets.all()
    ]
    regional = {
        sla_rules.Relation(r.relation): sla_rules.RegionalTarget(r.minutes, r.working_time)
        for r in policy.regional_targets.all()
    }
    resolved = sla_rules.resolve_targets(
        rows,
        ticket.severity,
        working_day_minutes=working_day_minutes(calendar_for(policy, True)),
        relation=_region_relation(ticket),
        regional=regional,
        dispatch_confirm_minutes=policy.dispatch_confirm_minutes,
    )
    return [(c.metric, c.minutes, c.working_time) for c in resolved]


def start_clocks(ticket: Ticket) -> list[SlaClock]:
    policy = ticket.sla_policy
    if policy is None:
        policy, source = resolve_policy(ticket)
        if policy is None:
            return []
        Ticket.objects.filter(pk=ticket.pk).update(sla_policy=policy, sla_policy_source=source)
        ticket.sla_policy, ticket.sla_policy_source = policy, source
    clocks = []
    for metric, minutes, working in _targets(ticket, policy):
        cal = calendar_for(policy, working)
        due = sla_rules.due(ticket.received_at, minutes, cal)
        clocks.append(
            SlaClock(
                ticket=ticket,
                metric=metric,
                target_minutes=minutes,
                working_time=working,
                started_at=ticket.received_at,
                due_at=due,
                next_check_at=ticket.received_at,
            )
        )
    SlaClock.objects.bulk_create(clocks)
    ticket._clocks_list = clocks  # type: ignore[attr-defined]
    schedule_check(ticket, min((c.due_at for c in clocks), default=None))
    return clocks


def _pauses(ticket: Ticket) -> list[sla_rules.Pause]:
    return [sla_rules.Pause(p.started_at, p.ended_at, p.reason) for p in ticket.pauses.all()]


def evaluate(
    clock: SlaClock, ticket: Ticket, now: dt.datetime, pauses: list[sla_rules.Pause] | None = None
) -> sla_rules.SlaClockState:
    policy = ticket.sla_policy
    assert policy is not None
    return sla_rules.evaluate_clock(
        start=clock.started_at,
        target_minutes=clock.target_minutes,
        calendar=calendar_for(policy, clock.working_time),
        now=now,
        pauses=_pauses(ticket) if pauses is None else pauses,
        met_at=clock.met_at,
        warning_share=policy.warn_share,
        manager_escalation_minutes=policy.manager_after_breach_minutes,
    )


def _apply(clock: SlaClock, state: sla_rules.SlaClockState, now: dt.datetime) -> None:
    clock.due_at = state.due
    clock.paused_minutes = state.paused_minutes
    clock.breach_minutes = state.breach_minutes
    if clock.status != SlaClock.Status.CANCELLED:
        clock.status = state.status.value
    upcoming = [
        t
        for t, done in (
            (state.warning_at, clock.warned_at),
            (state.due, clock.breach_notified_at),
            (state.manager_escalation_at, clock.manager_notified_at),
        )
        if done is None
    ]
    open_clock = clock.met_at is None and clock.status != SlaClock.Status.CANCELLED
    clock.next_check_at = min(upcoming) if open_clock and upcoming else None


PAUSE_REASON = {
    TicketState.WAITING_CUSTOMER: TicketPause.Reason.CUSTOMER,
    TicketState.WAITING_PARTS: TicketPause.Reason.PARTS,
    TicketState.AT_FACTORY: TicketPause.Reason.FACTORY,
}


def on_state_change(
    ticket: Ticket, before: str, after: str, now: dt.datetime | None = None
) -> None:
    """Called by ``base.move`` inside the transaction of every transition."""
    now = now or timezone.now()
    if after in PAUSE_STATES and before not in PAUSE_STATES:
        reason = PAUSE_REASON[TicketState(after)]
        TicketPause.objects.create(ticket=ticket, reason=reason, started_at=now)
    if before in PAUSE_STATES and after not in PAUSE_STATES:
        TicketPause.objects.filter(ticket=ticket, ended_at__isnull=True).update(ended_at=now)
    if after == TicketState.REOPENED and ticket.resolved_at:
        # the time between resolution and reopening does not count against the team
        TicketPause.objects.create(
            ticket=ticket,
            reason=TicketPause.Reason.CUSTOMER,
            note="已解决待回访期间",
            started_at=ticket.resolved_at,
            ended_at=now,
        )
        SlaClock.objects.filter(ticket=ticket, metric="resolution").update(met_at=None)
    clocks = list(ticket.clocks.all())
    if not clocks or ticket.sla_policy_id is None:
        return
    met = set(MET_BY_STATE.get(TicketState(after), ()))
    pauses = _pauses(ticket)
    for clock in clocks:
        if after == TicketState.CANCELLED or (
            after == TicketState.RESOLVED
            and clock.metric in CANCELLED_ON_RESOLUTION
            and clock.met_at is None
        ):
            clock.status = SlaClock.Status.CANCELLED
            clock.next_check_at = None
        elif clock.metric in met and clock.met_at is None:
            clock.met_at = now
        if after == TicketState.REOPENED and clock.metric == "resolution":
            clock.met_at = None
        _apply(clock, evaluate(clock, ticket, now, pauses), now)
    SlaClock.objects.bulk_update(
        clocks, ["due_at", "met_at", "status", "paused_minutes", "breach_minutes", "next_check_at"]
    )
    schedule_check(ticket, min((c.next_check_at for c in clocks if c.next_check_at), default=None))


def refresh(clock: SlaClock, ticket: Ticket, now: dt.datetime) -> None:
    """Re-evaluate one clock after its target or its met time changed outside a state
    transition (a solution plan recorded, a fault marked complex), save it and schedule its
    next check."""
    _apply(clock, evaluate(clock, ticket, now), now)
    clock.save()
    schedule_check(ticket, clock.next_check_at)


def schedule_check(ticket: Ticket, at: dt.datetime | None) -> None:
    """Defer the precise-time check in the caller's transaction; the sweep is the safety net."""
    if at is None:
        return
    from aftersales.service.tasks import sla_check

    sla_check.configure(schedule_at=max(at, timezone.now())).defer(ticket_id=ticket.pk)


def process_ticket(ticket_id: int, now: dt.datetime | None = None) -> int:
    """Warnings, breaches and escalations that are due, each exactly once. Returns how many
    notifications were raised. Safe to run concurrently: clock rows are locked."""
    now = now or timezone.now()
    raised = 0
    with transaction.atomic():
        ticket = Ticket.objects.select_related("sla_policy", "owner", "coordinator").get(
            pk=ticket_id
        )
        clocks = list(
            SlaClock.objects.select_for_update(skip_locked=True).filter(
                ticket_id=ticket_id, next_check_at__isnull=False, next_check_at__lte=now
            )
        )
        pauses = _pauses(ticket)
        for clock in clocks:
            state = evaluate(clock, ticket, now, pauses)
            if state.warning and clock.warned_at is None and clock.met_at is None:
                clock.warned_at = now
                raised += notices.sla_warning(ticket, clock, state)
            if state.breached and clock.breach_notified_at is None and clock.met_at is None:
                clock.breach_notified_at = now
                raised += notices.sla_breach(ticket, clock, state)
                audit.record(
                    ticket,
                    actor=None,
                    action="action",
                    verb="sla_breach",
                    payload={"metric": clock.metric, "due": state.due},
                )
            if (
                state.escalate_to_manager
                and clock.manager_notified_at is None
                and clock.met_at is None
            ):
                clock.manager_notified_at = now
                raised += notices.sla_manager(ticket, clock, state)
            _apply(clock, state, now)
            clock.save()
        raised += _loaner_rule(ticket, now)
    return raised


def _loaner_rule(ticket: Ticket, now: dt.datetime) -> int:
    """Major / urgent tickets not fixed within the policy's time get loaner equipment."""
    policy = ticket.sla_policy
    if (
        policy is None
        or ticket.severity not in (Severity.MAJOR, Severity.URGENT)
        or ticket.resolved_at is not None
        or ticket.state in (TicketState.CANCELLED,)
    ):
        return 0
    if now < ticket.received_at + dt.timedelta(minutes=policy.loaner_after_minutes):
        return 0
    task, created = LoanerTask.objects.get_or_create(
        ticket=ticket,
        defaults={
            "note": (
                Said(
                    "%(v0)s小时内未修复，需提供备用机；%(offer_note)s",
                    v0=policy.loaner_after_minutes // 60,
                    offer_note=loaners.offer_note(ticket),
                )
            )[:200]
        },
    )
    if not created:
        return 0
    audit.record(task, actor=None, action="create", verb="loaner_task", after=audit.snapshot(task))
    return notices.loaner_needed(ticket, task)


def sweep(now: dt.datetime | None = None, limit: int = 500) -> int:
    """Safety net for lost or early jobs: every ticket with a clock check due."""
    now = now or timezone.now()
    ids = list(
        SlaClock.objects.filter(next_check_at__lte=now)
        .values_list("ticket_id", flat=True)
        .distinct()[:limit]
    )
    loaner = list(
        Ticket.objects.filter(
            Q(severity__in=[Severity.MAJOR, Severity.URGENT]),
            resolved_at__isnull=True,
            loaner_task__isnull=True,
            sla_policy__isnull=False,
            # the policy's own time (loaner_after_minutes), as _loaner_rule decides
            received_at__lte=Value(now)
            - ExpressionWrapper(
                F("sla_policy__loaner_after_minutes") * Value(dt.timedelta(minutes=1)),
                output_field=DurationField(),
            ),
            state__in=[
                s for s in TicketState.values if s not in ("cancelled", "closed", "resolved")
            ],
        ).values_list("id", flat=True)[:limit]
    )
    return sum(process_ticket(tid, now) for tid in sorted(set(ids) | set(loaner)))


def clock_summary(ticket: Ticket, now: dt.datetime | None = None) -> list[dict[str, Any]]:
    """For screens: each clock with its due time, remaining minutes and a colour."""
    now = now or timezone.now()
    out = []
    pauses = _pauses(ticket)
    for clock in ticket.clocks.all():
        if ticket.sla_policy_id is None:
            break
        state = evaluate(clock, ticket, now, pauses)
        colour = (
            "sla-ok"
            if clock.met_at and not state.breached
            else "sla-bad"
            if state.breached
            else "sla-warn"
            if state.warning
            else "sla-ok"
        )
        out.append(
            {"clock": clock, "state": state, "colour": colour, "label": clock.get_metric_display()}
        )
    return out
