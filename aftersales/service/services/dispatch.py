"""Dispatch (派工, SPEC §3.4): candidates, assign or offer, accept (exactly one wins),
decline, re-assign with reason, appointment windows, check-in with lateness, check-out."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from aftersales.core import audit
from aftersales.core.errors import (
    Conflict,
    NeedsConfirmation,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from aftersales.core.numbering import next_number
from aftersales.core.said import Said
from aftersales.service import notices, ranking
from aftersales.service.appointments import WindowLimits, late_window_message, window_problem
from aftersales.service.models import (
    ServiceReport,
    SlaClock,
    Ticket,
    TicketState,
    WorkOrder,
    WorkOrderOffer,
    WorkOrderState,
)
from aftersales.service.models.work import LIVE_WO_STATES, LeaveReason
from aftersales.service.services import warranty
from aftersales.service.services.base import lock_ticket, move, move_work_order, require_visible
from aftersales.staff.models import FactKind
from aftersales.staff.services import record_fact


def candidates(ticket: Ticket, at: dt.datetime | None = None) -> list[ranking.RankedCandidate]:
    """Technicians ranked for this ticket (skill, region, roster, workload, distance)."""
    from aftersales.staff.models import DutyShift, StaffProfile

    at = at or timezone.now()
    profiles = list(
        StaffProfile.objects.filter(
            archived_at__isnull=True, user__is_active=True, user__groups__name="维修工程师"
        )
        .select_related("user")
        .prefetch_related("skills")
    )
    user_ids = [p.user_id for p in profiles]
    on_duty = set(
        DutyShift.objects.filter(
            user_id__in=user_ids, starts_at__lte=at, ends_at__gt=at, archived_at__isnull=True
        ).values_list("user_id", flat=True)
    )
    has_roster = set(
        DutyShift.objects.filter(user_id__in=user_ids, archived_at__isnull=True)
        .values_list("user_id", flat=True)
        .distinct()
    )
    load = dict(
        WorkOrder.objects.filter(technician_id__in=user_ids, state__in=LIVE_WO_STATES)
        .values("technician_id")
        .annotate(n=Count("id"))
        .values_list("technician_id", "n")
    )
    site = ticket.site
    job = ranking.JobFacts(
        skill=ticket.equipment.model.category.code
        if ticket.equipment_id and ticket.equipment
        else None,
        region_id=site.region_id if site else ticket.customer.region_id,
        neighbour_region_ids=frozenset(site.region.neighbours.values_list("id", flat=True))
        if site
        else frozenset(),
        lat=float(site.lat) if site and site.lat is not None else None,
        lng=float(site.lng) if site and site.lng is not None else None,
        remote=bool(
            ticket.equipment_id
            and ticket.equipment
            and ticket.equipment.model.category.remote_service
        ),
    )
    facts = [
        ranking.CandidateFacts(
            user_id=p.user_id,
            name=str(p.user),
            skills=frozenset(s.code for s in p.skills.all()),
            region_id=p.region_id,
            # without any roster entry a technician counts as on normal duty
            on_duty=p.user_id in on_duty or p.user_id not in has_roster,
            open_jobs=load.get(p.user_id, 0),
            capacity=p.daily_capacity,
            lat=float(p.home_lat) if p.home_lat is not None else None,
            lng=float(p.home_lng) if p.home_lng is not None else None,
        )
        for p in profiles
    ]
    return ranking.rank(job, facts)


def _technicians(ids: list[int]) -> list[Any]:
    users = list(
        get_user_model().objects.filter(pk__in=ids, is_active=True, groups__name="维修工程师")
    )
    if len(users) != len(set(ids)):
        raise ValidationFailed("工程师不存在或不是维修工程师", field="technician_ids")
    return users


def _live(ticket: Ticket) -> WorkOrder | None:
    return ticket.work_orders.filter(state__in=LIVE_WO_STATES).order_by("-dispatched_at").first()


@transaction.atomic
def dispatch(
    *,
    actor: Any,
    ticket: Ticket,
    technician_ids: list[int],
    remote: bool = False,
    note: str = "",
    window_start: dt.datetime | None = None,
    window_end: dt.datetime | None = None,
    confirm_late: bool = False,
) -> WorkOrder:
    """Assign to one technician, or offer to several (first to accept wins)."""
    ticket = lock_ticket(ticket)
    if not technician_ids:
        raise ValidationFailed("请选择工程师", field="technician_ids")
    techs = _technicians(technician_ids)
    if _live(ticket) is not None:
        raise Conflict("该报修单已有进行中的派工单，请使用改派")
    now = timezone.now()
    wo = WorkOrder.objects.create(
        ticket=ticket,
        number=next_number("PG", on=now),
        technician=techs[0] if len(techs) == 1 else None,
        dispatched_by=actor,
        dispatched_at=now,
        remote=remote,
        note=note,
    )
    WorkOrderOffer.objects.bulk_create([WorkOrderOffer(work_order=wo, technician=t) for t in techs])
    move(
        ticket,
        "dispatch",
        actor=actor,
        payload={"work_order": wo.number, "technicians": [t.pk for t in techs]},
    )
    if window_start and window_end:
        _set_window(wo, window_start, window_end, confirm_late=confirm_late)
    audit.record(wo, actor=actor, action="create", verb="dispatch", after=audit.snapshot(wo))
    notices.work_order_offered(wo, techs)
    return wo


def _lock_wo(wo: WorkOrder | int) -> WorkOrder:
    pk = wo.pk if isinstance(wo, WorkOrder) else wo
    try:
        return WorkOrder.objects.select_for_update().select_related("ticket").get(pk=pk)
    except WorkOrder.DoesNotExist as exc:
        raise NotFound("派工单不存在") from exc


def _require_tech(wo: WorkOrder, actor: Any) -> None:
    if wo.technician_id != actor.pk:
        raise PermissionDenied("这不是派给您的工单")


@transaction.atomic
def accept(*, actor: Any, work_order: WorkOrder | int) -> WorkOrder:
    """Two technicians accepting the same work order at once: the row lock lets one win."""
    wo = _lock_wo(work_order)
    offered = wo.offers.filter(technician=actor, declined_at__isnull=True).exists()
    if not offered:
        raise PermissionDenied("该工单未派给您")
    if wo.state != WorkOrderState.OFFERED:
        raise Conflict("工单已被其他工程师接单" if wo.technician_id != actor.pk else "您已接单")
    return move_work_order(
        wo,
        WorkOrderState.ACCEPTED,
        actor=actor,
        verb="accept",
        fields={"technician": actor, "accepted_at": timezone.now()},
    )


@transaction.atomic
def decline(*, actor: Any, work_order: WorkOrder | int, reason: str) -> WorkOrder:
    wo = _lock_wo(work_order)
    if not reason.strip():
        raise ValidationFailed("拒单必须填写原因", field="reason")
    offer = wo.offers.filter(technician=actor, declined_at__isnull=True).first()
    if offer is None or wo.state != WorkOrderState.OFFERED:
        raise Conflict("该工单当前不能拒绝")
    offer.declined_at, offer.decline_reason = timezone.now(), reason
    offer.save()
    if not wo.offers.filter(declined_at__isnull=True).exists():
        wo.state = WorkOrderState.DECLINED
        wo.save(update_fields=["state", "updated_at"])
    audit.record(wo, actor=actor, action="action", verb="decline", reason=reason)
    if wo.offers.count() == 1:  # assigned to him alone: a refused dispatch (拒绝派工, SPEC §8)
        record_fact(
            actor=actor,
            person=actor,
            kind=FactKind.REFUSED_DISPATCH,
            source=wo,
            occurred_at=offer.declined_at,
            details={"ticket": wo.ticket.number, "reason": reason},
        )
    return wo


@transaction.atomic
def reassign(
    *, actor: Any, work_order: WorkOrder | int, technician_ids: list[int], reason: str
) -> WorkOrder:
    """改派 with a reason: the old work order ends, a new one is dispatched."""
    wo = _lock_wo(work_order)
    if not reason.strip():
        raise ValidationFailed("改派必须填写原因", field="reason")
    if not actor.has_role("coordinator", "team_leader", "manager", "admin", "agent"):
        raise PermissionDenied("无权改派")
    if wo.state not in (WorkOrderState.OFFERED, WorkOrderState.ACCEPTED, WorkOrderState.DECLINED):
        raise Conflict("已到场或已完成的工单不能改派")
    before = wo.state
    wo.state, wo.reassign_reason = WorkOrderState.REASSIGNED, reason
    wo.save(update_fields=["state", "reassign_reason", "updated_at"])
    audit.record(
        wo,
        actor=actor,
        action="transition",
        verb="reassign",
        from_state=before,
        to_state=wo.state,
        reason=reason,
    )
    return dispatch(
        actor=actor,
        ticket=wo.ticket,
        technician_ids=technician_ids,
        remote=wo.remote,
        note=Said("改派：%(reason)s", reason=reason),
        window_start=wo.window_start,
        window_end=wo.window_end,
    )


def on_site_due(ticket: Ticket | int) -> dt.datetime | None:
    """When the running on-site clock (到场时限) falls due, if it runs."""
    pk = ticket.pk if isinstance(ticket, Ticket) else ticket
    clock = SlaClock.objects.filter(
        ticket_id=pk,
        metric="on_site",
        met_at__isnull=True,
        status__in=(SlaClock.Status.RUNNING, SlaClock.Status.PAUSED),
    ).first()
    return clock.due_at if clock is not None else None


def _set_window(
    wo: WorkOrder, start: dt.datetime, end: dt.datetime, *, confirm_late: bool = False
) -> bool:
    """Set the window; true when it starts after the on-site due time (9#10: refused with a
    warning until ``confirm_late``)."""
    problem = window_problem(start, end, now=timezone.now(), limits=WindowLimits.from_settings())
    if problem is not None:
        raise ValidationFailed(problem[1], field=problem[0])
    due = on_site_due(wo.ticket_id)
    late = due is not None and start > due
    if late and not confirm_late:
        assert due is not None
        raise NeedsConfirmation(
            late_window_message(timezone.localtime(start), timezone.localtime(due)),
            code="appointment_after_due",
            details={"on_site_due_at": due.isoformat()},
        )
    wo.window_start, wo.window_end = start, end
    wo.save(update_fields=["window_start", "window_end", "updated_at"])
    notices.appointment_set(wo)
    return late


@transaction.atomic
def schedule(
    *,
    actor: Any,
    work_order: WorkOrder | int,
    start: dt.datetime,
    end: dt.datetime,
    confirm_late: bool = False,
) -> WorkOrder:
    """The appointment window agreed with the customer; one after the on-site due time is
    saved only when confirmed (the customer asked for it), and the audit says so."""
    wo = _lock_wo(work_order)
    ticket = lock_ticket(wo.ticket_id)
    if wo.state not in (WorkOrderState.OFFERED, WorkOrderState.ACCEPTED):
        raise Conflict("该工单当前不能预约")
    move(ticket, "schedule", actor=actor, payload={"start": start, "end": end})
    late = _set_window(wo, start, end, confirm_late=confirm_late)
    audit.record(
        wo,
        actor=actor,
        action="update",
        verb="schedule",
        after={"window_start": start, "window_end": end},
        payload={"after_on_site_due": True} if late else None,
    )
    return wo


@transaction.atomic
def set_out(*, actor: Any, work_order: WorkOrder | int) -> WorkOrder:
    """The technician leaves for the site: the customer is told (technician on the way)."""
    wo = _lock_wo(work_order)
    _require_tech(wo, actor)
    if wo.state != WorkOrderState.ACCEPTED:
        raise Conflict("请先接单")
    audit.record(wo, actor=actor, action="action", verb="on_the_way")
    notices.on_the_way(wo)
    return wo


def open_visit_elsewhere(technician_id: int, site_id: int | None) -> WorkOrder | None:
    """The technician's open visit (签到未离场) at another site than ``site_id``, if any."""
    open_visits = WorkOrder.objects.filter(
        technician_id=technician_id, state=WorkOrderState.ON_SITE
    )
    if site_id is not None:
        open_visits = open_visits.exclude(ticket__site_id=site_id)
    return open_visits.select_related("ticket__site").order_by("check_in_at", "pk").first()


def _refuse_second_site(wo: WorkOrder, actor: Any, site_id: int | None) -> None:
    """A technician is at one site at a time: a check-in elsewhere while another visit is
    open is refused — lateness, the planner's current position and the visit's hours all
    read the open visit. Several tickets at the same site may be open together."""
    other = open_visit_elsewhere(actor.pk, site_id)
    if other is not None:
        site = other.ticket.site
        raise Conflict(
            Said(
                "您在%(site)s（报修单%(number)s）的到场尚未离场，请先离场再签到",
                site=site.name if site else "",
                number=other.ticket.number,
            ),
            code="open_visit_elsewhere",
        )


@transaction.atomic
def check_in(
    *,
    actor: Any,
    work_order: WorkOrder | int,
    lat: Decimal | None = None,
    lng: Decimal | None = None,
) -> WorkOrder:
    """Arrival: lateness against the appointment window is recorded."""
    wo = _lock_wo(work_order)
    _require_tech(wo, actor)
    if wo.state != WorkOrderState.ACCEPTED:
        raise Conflict("请先接单再签到" if wo.state == WorkOrderState.OFFERED else "该工单不能签到")
    ticket = lock_ticket(wo.ticket_id)
    _refuse_second_site(wo, actor, ticket.site_id)
    now = timezone.now()
    wo.state, wo.check_in_at, wo.check_in_lat, wo.check_in_lng = (
        WorkOrderState.ON_SITE,
        now,
        lat,
        lng,
    )
    if wo.window_end and now > wo.window_end:
        wo.late_minutes = int((now - wo.window_end).total_seconds() // 60)
    wo.save()
    move(ticket, "check_in", actor=actor, payload={"late_minutes": wo.late_minutes})
    audit.record(
        wo,
        actor=actor,
        action="transition",
        verb="check_in",
        from_state="accepted",
        to_state="on_site",
        payload={"late_minutes": wo.late_minutes},
    )
    if wo.late_minutes:
        record_fact(
            actor=actor,
            person=actor,
            kind=FactKind.LATE_ARRIVAL,
            source=wo,
            occurred_at=now,
            details={
                "ticket": ticket.number,
                "late_minutes": wo.late_minutes,
                "window_end": wo.window_end,
            },
        )
    return wo


@transaction.atomic
def start_work(*, actor: Any, ticket: Ticket) -> Ticket:
    """Chargeable work starts only after the customer accepted the quote."""
    ticket = lock_ticket(ticket)
    blocked = warranty.work_may_start(ticket)
    if blocked:
        raise Conflict(blocked, code="quote_required")
    return move(ticket, "start_work", actor=actor)


@transaction.atomic
def check_out(
    *, actor: Any, work_order: WorkOrder | int, reason: str = "", note: str = ""
) -> WorkOrder:
    """离场. With the visit's report filed the work order is done. Without it (9#5) the
    technician says why (``LeaveReason``) and the work order is 「已离场（未完工）」: parts
    or the customer → the ticket waits for them with its clocks paused; work done, report
    later → the ticket is in progress until the report is filed and the ticket resolved."""
    wo = _lock_wo(work_order)
    _require_tech(wo, actor)
    if wo.state != WorkOrderState.ON_SITE:
        raise Conflict("尚未签到，不能离场")
    now = timezone.now()
    filed = ServiceReport.objects.filter(work_order=wo, filed_at__isnull=False).exists()
    if filed:
        return move_work_order(
            wo, WorkOrderState.DONE, actor=actor, verb="check_out", fields={"check_out_at": now}
        )
    if reason not in LeaveReason.values:
        raise ValidationFailed(
            "服务报告尚未提交，离场须选择原因", field="reason", code="leave_reason_required"
        )
    note = note.strip()
    if reason != LeaveReason.REPORT_LATER and not note:
        raise ValidationFailed("请说明缺少什么（如所需配件）", field="note")
    if len(note) > 200:
        raise ValidationFailed("离场说明不能超过200字", field="note")
    label = LeaveReason(reason).label
    ticket = lock_ticket(wo.ticket)
    if reason == LeaveReason.REPORT_LATER:
        if ticket.state == TicketState.ON_SITE:
            blocked = warranty.work_may_start(ticket)
            if blocked:
                raise Conflict(blocked, code="quote_required")
            move(ticket, "start_work", actor=actor, reason=label)
    else:
        from aftersales.service.services import lifecycle

        lifecycle.wait(actor=actor, ticket=ticket, for_=reason, reason=f"{label}：{note}")
    return move_work_order(
        wo,
        WorkOrderState.LEFT,
        actor=actor,
        verb="leave_unfinished",
        reason=note or label,
        payload={"reason": reason},
        fields={"check_out_at": now, "leave_reason": reason, "leave_note": note},
    )


def my_work_orders(user: Any) -> Any:
    return (
        WorkOrder.objects.filter(
            Q(technician=user)
            | Q(
                offers__technician=user,
                state=WorkOrderState.OFFERED,
                offers__declined_at__isnull=True,
            )
        )
        .select_related("ticket__customer", "ticket__site", "ticket__equipment__model")
        .distinct()
        .order_by("state", "window_start", "planned_sequence", "-dispatched_at")
    )


def ensure_ticket_visible(ticket: Ticket, actor: Any) -> None:
    require_visible(ticket, actor)


STATES_WITH_LIVE_WORK = (TicketState.DISPATCHED, TicketState.SCHEDULED, TicketState.ON_SITE)
