"""The loaner pool (备用机, SPEC §11): which units are free for a ticket (the right product
line, nearest to the site first), lending with the customer's signature, taking back and
the inspection that makes a unit available again. A unit is lent once at a time: the lend
is a conditional update (available → lent) and one open loan per unit is a constraint."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from aftersales.approvals import inputs
from aftersales.core import audit
from aftersales.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from aftersales.core.numbering import next_number
from aftersales.core.said import Said
from aftersales.core.visibility import get_visible
from aftersales.service.models import Ticket
from aftersales.service.models.ticket import LoanerTask
from aftersales.stock.models import Loan, LoanerState, LoanerUnit

S = LoanerState


def _distance(a: Any, b: Any) -> float:
    """Rough kilometres between two (lat, lng) pairs; infinite when one is unknown."""
    if None in (a[0], a[1], b[0], b[1]):
        return math.inf
    lat1, lng1, lat2, lng2 = (math.radians(float(v)) for v in (*a, *b))
    x = (lng2 - lng1) * math.cos((lat1 + lat2) / 2)
    return 6371 * math.hypot(x, lat2 - lat1)


def offer(ticket: Ticket, *, limit: int = 3) -> list[LoanerUnit]:
    """The available units of the ticket's product line, nearest to the site first: units
    kept in the site's region, then by the distance of their store's region centre."""
    equipment = ticket.equipment
    category_id = equipment.model.category_id if equipment is not None else None
    if category_id is None:
        return []
    units = list(
        LoanerUnit.objects.filter(
            category_id=category_id, state=S.AVAILABLE, archived_at__isnull=True
        ).select_related("warehouse__region")
    )
    site = ticket.site
    where = (site.lat, site.lng) if site else (None, None)
    region_id = site.region_id if site else None

    def key(u: LoanerUnit) -> tuple[int, float, str]:
        region = u.warehouse.region
        centre = (region.centre_lat, region.centre_lng) if region else (None, None)
        return (0 if region and region.pk == region_id else 1, _distance(where, centre), u.code)

    return sorted(units, key=key)[:limit]


def offer_note(ticket: Ticket) -> str:
    units = offer(ticket)
    if not units:
        return "暂无可用备用机"
    return "可用备用机：" + "、".join(f"{u.code}（{u.warehouse.name}）" for u in units)


def _require(actor: Any) -> None:
    if not actor.has_perm("stock.add_loan"):
        raise PermissionDenied("无权办理备用机借用")


def _set_task(ticket: Ticket, state: str, *, actor: Any, now: dt.datetime) -> None:
    task = LoanerTask.objects.select_for_update().filter(ticket=ticket).first()
    if task is None or task.state == state:
        return
    before = task.state
    LoanerTask.objects.filter(pk=task.pk).update(state=state, updated_at=now)
    task.state = state
    audit.record(
        task,
        actor=actor,
        action="transition",
        verb=f"loaner_{state}",
        from_state=before,
        to_state=state,
        at=now,
    )


def _unit_moves(unit: LoanerUnit, frm: str, to: str, *, actor: Any, now: dt.datetime) -> None:
    """The state change as a conditional update: only from ``frm``."""
    done = LoanerUnit.objects.filter(pk=unit.pk, state=frm).update(state=to, updated_at=now)
    if done != 1:
        current = LoanerUnit.objects.get(pk=unit.pk).get_state_display()
        raise Conflict(
            Said(
                "备用机%(code)s当前状态为「%(current)s」，不能办理", code=unit.code, current=current
            ),
            code="loaner_state",
        )
    audit.record(
        unit,
        actor=actor,
        action="transition",
        verb=f"loaner_unit_{to}",
        from_state=frm,
        to_state=to,
        at=now,
    )
    unit.state = to


@transaction.atomic
def lend(
    *,
    actor: Any,
    unit_id: int,
    ticket_id: int,
    signed_by: str,
    due_back: Any,
    now: dt.datetime | None = None,
) -> Loan:
    """Lend a unit for a ticket; the customer's signer is required."""
    now = now or timezone.now()
    _require(actor)
    try:
        ticket = get_visible(Ticket.objects.select_related("equipment__model"), actor, pk=ticket_id)
    except NotFound as exc:
        raise NotFound("报修单不存在或无权查看", field="ticket_id") from exc
    unit = LoanerUnit.objects.filter(pk=unit_id, archived_at__isnull=True).first()
    if unit is None:
        raise NotFound("备用机不存在", field="unit_id")
    signer = inputs.text(signed_by, field="signed_by", label="客户签收人", max_length=50)
    due = inputs.date(due_back, field="due_back", label="约定归还日期")
    if due < timezone.localdate(now):
        raise ValidationFailed("约定归还日期不能早于今天", field="due_back")
    equipment = ticket.equipment
    if equipment is not None and equipment.model.category_id != unit.category_id:
        raise ValidationFailed("备用机的产品线与报修设备不符", field="unit_id")
    _unit_moves(unit, S.AVAILABLE, S.LENT, actor=actor, now=now)
    try:
        with transaction.atomic():
            loan = Loan.objects.create(
                number=next_number("BY", on=now),
                unit=unit,
                ticket=ticket,
                lent_at=now,
                lent_by=actor,
                signed_by=signer,
                due_back=due,
            )
    except IntegrityError as exc:  # an open loan exists: the state said otherwise
        raise Conflict(Said("备用机%(code)s已借出", code=unit.code), code="loaner_state") from exc
    audit.record(loan, actor=actor, action="create", after=audit.snapshot(loan), at=now)
    _start_escalation(loan)
    _set_task(ticket, LoanerTask.State.LENT, actor=actor, now=now)
    return loan


ESCALATION_STEP = "loan_escalation"


def _start_escalation(loan: Loan) -> None:
    """The loan's escalation on the deadline engine: counted from the end of the agreed day
    (rule ``stock.loan_escalation``: how long, and to whom), escalated once by
    ``deadlines.process_due``, done when the unit is taken back."""
    from aftersales.approvals.services import deadlines
    from aftersales.stock.defaults import LOAN_ESCALATION

    end_of_day = dt.datetime.combine(
        loan.due_back + dt.timedelta(days=1), dt.time(), tzinfo=timezone.get_current_timezone()
    )
    deadlines.start(
        loan,
        step=ESCALATION_STEP,
        rule_code=LOAN_ESCALATION,
        starts_at=end_of_day,
        label=Said(
            "收回备用机%(code)s（%(number)s）", code=loan.unit.code, number=loan.ticket.number
        )[:100],
        owner=loan.lent_by,
    )


def _loan(actor: Any, loan: Loan | int) -> Loan:
    pk = loan.pk if isinstance(loan, Loan) else int(loan)
    try:
        found: Loan = get_visible(
            Loan.objects.select_for_update(of=("self",)).select_related("unit", "ticket"),
            actor,
            pk=pk,
        )
    except NotFound as exc:
        raise NotFound("借用记录不存在或无权查看") from exc
    return found


@transaction.atomic
def take_back(*, actor: Any, loan: Loan | int, now: dt.datetime | None = None) -> Loan:
    """The unit comes back: it waits for inspection before it is lent again."""
    now = now or timezone.now()
    _require(actor)
    found = _loan(actor, loan)
    if found.returned_at is not None:
        raise Conflict("该备用机已归还", code="already_returned")
    Loan.objects.filter(pk=found.pk).update(returned_at=now, returned_by=actor, updated_at=now)
    found.returned_at, found.returned_by = now, actor
    from aftersales.approvals.services import deadlines

    deadlines.complete(found, step=ESCALATION_STEP, at=now)
    _unit_moves(found.unit, S.LENT, S.INSPECTING, actor=actor, now=now)
    audit.record(found, actor=actor, action="action", verb="loan_returned", at=now)
    _set_task(found.ticket, LoanerTask.State.RETURNED, actor=actor, now=now)
    return found


@transaction.atomic
def inspect(
    *, actor: Any, loan: Loan | int, ok: bool, note: str = "", now: dt.datetime | None = None
) -> Loan:
    """Inspection after return: passed → available again; failed → in repair."""
    now = now or timezone.now()
    _require(actor)
    found = _loan(actor, loan)
    if found.returned_at is None:
        raise Conflict("备用机尚未归还，不能检验", code="not_returned")
    if found.inspected_at is not None:
        raise Conflict("该次借用已检验", code="already_inspected")
    note = (note or "").strip()
    if len(note) > 200:
        raise ValidationFailed("检验说明不能超过200字", field="note")
    if not ok and not note:
        raise ValidationFailed("检验不合格时请填写说明", field="note")
    Loan.objects.filter(pk=found.pk).update(
        inspected_at=now, inspection_ok=ok, inspection_note=note, updated_at=now
    )
    found.inspected_at, found.inspection_ok, found.inspection_note = now, ok, note
    _unit_moves(found.unit, S.INSPECTING, S.AVAILABLE if ok else S.IN_REPAIR, actor=actor, now=now)
    audit.record(
        found,
        actor=actor,
        action="action",
        verb="loan_inspected",
        payload={"ok": ok, "note": note},
        at=now,
    )
    return found


def _unit(actor: Any, unit: LoanerUnit | int) -> LoanerUnit:
    pk = unit.pk if isinstance(unit, LoanerUnit) else int(unit)
    try:
        found: LoanerUnit = get_visible(
            LoanerUnit.objects.filter(archived_at__isnull=True), actor, pk=pk
        )
    except NotFound as exc:
        raise NotFound("备用机不存在或无权查看", field="unit_id") from exc
    return found


@transaction.atomic
def repaired(*, actor: Any, unit: LoanerUnit | int, now: dt.datetime | None = None) -> LoanerUnit:
    """A unit back from repair is lendable again."""
    now = now or timezone.now()
    _require(actor)
    found = _unit(actor, unit)
    _unit_moves(found, S.IN_REPAIR, S.AVAILABLE, actor=actor, now=now)
    return found


@transaction.atomic
def retire(
    *, actor: Any, unit: LoanerUnit | int, reason: str, now: dt.datetime | None = None
) -> LoanerUnit:
    """Take a unit out of the pool for good (kept, never deleted); not while it is lent."""
    now = now or timezone.now()
    if not actor.has_perm("stock.change_loanerunit"):
        raise PermissionDenied("无权报废备用机")
    why = inputs.text(reason, field="reason", label="报废原因", max_length=200)
    found = _unit(actor, unit)
    if found.state not in (S.AVAILABLE, S.IN_REPAIR, S.INSPECTING):
        raise Conflict(
            Said(
                "备用机%(code)s当前状态为「%(get_state_display)s」，不能报废",
                code=found.code,
                get_state_display=found.get_state_display(),
            ),
            code="loaner_state",
        )
    frm = found.state
    done = LoanerUnit.objects.filter(pk=found.pk, state=frm).update(
        state=S.RETIRED, note=why, updated_at=now
    )
    if done != 1:
        raise Conflict(
            Said("备用机%(code)s状态已变化，请刷新后重试", code=found.code), code="loaner_state"
        )
    audit.record(
        found,
        actor=actor,
        action="transition",
        verb="loaner_unit_retired",
        from_state=frm,
        to_state=S.RETIRED,
        reason=why,
        at=now,
    )
    found.state, found.note = S.RETIRED, why
    return found


# overdue loans: the lender, the keepers and the coordinators are told the day after the
# agreed date (here); the escalation to the team leaders and managers is the loan's deadline
# (rule stock.loan_escalation, sent by deadlines.process_due) — the sweep records it on the
# loan (escalated_at, its audit row) once the engine has sent it


def sweep_overdue(now: dt.datetime | None = None) -> int:
    """Tell about loans past their agreed return date, once; record the escalations the
    deadline engine has sent, once. Open loans without their escalation deadline (lent
    before it existed) get it."""
    from django.contrib.contenttypes.models import ContentType

    from aftersales.approvals.documents import users_with_roles
    from aftersales.approvals.models import Deadline
    from aftersales.notifications.services import notify

    now = now or timezone.now()
    today = timezone.localdate(now)
    count = 0
    ct = ContentType.objects.get_for_model(Loan)
    steps = Deadline.objects.filter(content_type=ct, step=ESCALATION_STEP)
    for bare in (
        Loan.objects.filter(returned_at__isnull=True)
        .exclude(pk__in=steps.values("object_id"))
        .select_related("unit", "ticket", "lent_by")
    ):
        _start_escalation(bare)
    late = Loan.objects.filter(returned_at__isnull=True, due_back__lt=today)
    for pk in late.filter(overdue_at__isnull=True).values_list("pk", flat=True):
        with transaction.atomic():
            loan = (
                Loan.objects.select_for_update(of=("self",))
                .select_related("unit", "ticket", "lent_by")
                .filter(pk=pk, overdue_at__isnull=True, returned_at__isnull=True)
                .first()
            )
            if loan is None:
                continue
            Loan.objects.filter(pk=pk).update(overdue_at=now, updated_at=now)
            audit.record(loan, actor=None, action="action", verb="loan_overdue", at=now)
            people = {u.pk: u for u in users_with_roles(["warehouse", "coordinator"])}
            people.setdefault(loan.lent_by_id, loan.lent_by)
            notify(
                key=f"ticket:{loan.ticket_id}:loan:{loan.pk}:overdue",
                recipients=list(people.values()),
                subject=Said(
                    "备用机逾期未还：%(code)s（%(number)s）",
                    code=loan.unit.code,
                    number=loan.ticket.number,
                ),
                body=(
                    Said(
                        "借用单%(number)s约定%(due_back)s归还，签收人%(signed_by)s，至今未还，请联系客户收回。",
                        number=loan.number,
                        due_back=format(loan.due_back, "%Y-%m-%d"),
                        signed_by=loan.signed_by,
                    )
                ),
                link="/stock/loaners/",
            )
            count += 1
    escalated = steps.filter(escalated_at__isnull=False)
    for pk in Loan.objects.filter(
        escalated_at__isnull=True, pk__in=escalated.values("object_id")
    ).values_list("pk", flat=True):
        with transaction.atomic():
            locked = (
                Loan.objects.select_for_update(of=("self",))
                .filter(pk=pk, escalated_at__isnull=True)
                .first()
            )
            if locked is None:
                continue
            at = escalated.get(object_id=pk).escalated_at
            Loan.objects.filter(pk=pk).update(escalated_at=at, updated_at=now)
            audit.record(locked, actor=None, action="action", verb="loan_escalated", at=at)
            count += 1
    return count
