"""Demo dealer ratings (经销商评级), made through the services: the last finished period gets
a history — dealer tasks arranged in time and late and one handed back, complaints about a
dealer, claims accepted and rejected, its customers' callbacks satisfied and not — and the
manager freezes it, so the screen shows a rating with each component (and every dealer's
outcome); the running period is the screen's live trial. Nothing when a period is frozen."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from aftersales.core.errors import DomainError
from aftersales.customers.models import Customer
from aftersales.dealers.models import RatingPeriod
from aftersales.dealers.services import claims, rating, tasks
from aftersales.service.models import Callback, Ticket


def _try(fn: Any) -> Any:
    try:
        with transaction.atomic():
            return fn()
    except DomainError:
        return None


def _tasks(coordinator: Any, dealer_user: Any, ticket: Ticket, at: dt.datetime) -> None:
    """Arranged after 40 min, 90 min and 3 h (late), then one handed back."""
    hour = dt.timedelta(hours=1)
    for i, after in enumerate((dt.timedelta(minutes=40), dt.timedelta(minutes=90), 3 * hour, None)):
        start = at + dt.timedelta(days=3 * i)
        task = _try(
            lambda s=start: tasks.assign(
                actor=coordinator, ticket_id=ticket.pk, dealer_id=dealer_user.dealer_id, now=s
            )
        )
        if task is None:
            return
        if after is None:
            _try(
                lambda t=task, s=start: tasks.hand_back(
                    actor=dealer_user, task_id=t.pk, reason="需要厂家专用检测设备", now=s + hour
                )
            )
            continue
        _try(
            lambda t=task, s=start, a=after: tasks.arrange(
                actor=dealer_user,
                task_id=t.pk,
                arrangement="本店师傅上门，已电话告知客户",
                customer_informed=True,
                now=s + a,
            )
        )
        _try(
            lambda t=task, s=start: tasks.check(
                actor=coordinator, task_id=t.pk, ok=True, now=s + 4 * hour
            )
        )


def _complaint(agent: Any, customer: Customer, at: dt.datetime) -> None:
    from aftersales.quality.services import complaints

    _try(
        lambda: complaints.register(
            actor=agent,
            data=complaints.ComplaintInput(
                category="service_attitude",
                description="经销商维修人员未按约定时间上门",
                contact_name=customer.name[:2] + "先生",
                customer_id=customer.pk,
                dealer_id=customer.dealer_id,
            ),
            now=at,
        )
    )


def _claims(dealer_user: Any, qd: Any, ticket: Ticket, at: dt.datetime) -> None:
    """Two warranty repairs claimed in the period: one accepted, one rejected."""
    from aftersales.catalog.models import Part
    from aftersales.demo.dealer_work import _warranty_repair

    parts = list(Part.objects.active().order_by("code")[:1])
    if not parts or not _warranty_repair(ticket):
        return
    tickets = [ticket]
    for i, decision in enumerate(("accept", "reject")):
        day = at + dt.timedelta(days=10 + i)
        claim = _try(
            lambda d=day: claims.submit(
                actor=dealer_user,
                data=claims.ClaimInput(
                    ticket_id=tickets[0].pk,
                    repair_date=timezone.localdate(d),
                    description="保修期内维修，更换故障配件",
                    parts=[claims.PartIn(parts[0].code, 1)],
                    labour_hours="1",
                ),
                today=timezone.localdate(d),
            )
        )
        if claim is not None:
            _try(
                lambda c=claim, dec=decision, d=day: claims.appraise(
                    actor=qd,
                    claim_id=c.pk,
                    decision=dec,
                    reason="" if dec == "accept" else "故障为使用不当造成，不属三包范围",
                    now=d + dt.timedelta(days=5),
                )
            )


def _callbacks(agent: Any, customers: list[Customer], at: dt.datetime, answers: Any) -> None:
    """Periodic callbacks of the dealer's customers, called in the period."""
    from aftersales.service.services import callbacks

    for i, (solved, score) in enumerate(answers):
        customer = customers[i % len(customers)]
        day = at + dt.timedelta(days=20 + i)
        cb = Callback.objects.create(
            kind=Callback.Kind.PERIODIC, customer=customer, due_date=timezone.localdate(day)
        )
        _try(
            lambda cb=cb, s=solved, n=score, d=day: callbacks.record_result(
                actor=agent,
                callback=cb,
                attitude=n,
                quality=n,
                solved=s,
                score=n,
                comment="设备运行正常" if s else "上次维修后仍有异响",
                dissatisfaction_cause="" if s else "维修不彻底",
                now=d,
            )
        )


MARK = "（经销商上季度报修）"


def _ticket(agent: Any) -> Ticket | None:
    """A request of a dealer's customer for the period's history: on the most recently sold
    equipment that is under warranty (its repair can be claimed), trying a few."""
    from aftersales.demo.activity import faults_for
    from aftersales.installed_base.models import Equipment
    from aftersales.service.services import intake, warranty

    made = None
    for eq in (
        Equipment.objects.filter(site__customer__dealer__isnull=False, archived_at__isnull=True)
        .select_related("model__category", "site__customer")
        .order_by(F("sale_date").desc(nulls_last=True), "pk")[:3]
    ):
        description, category = faults_for(eq)[0]
        made = _try(
            lambda eq=eq, d=description, c=category: intake.ticket_create(
                actor=agent,
                data=intake.TicketInput(
                    description=f"{d}{MARK}",
                    contact_name=eq.site.customer.name[:2] + "先生",
                    contact_phone="13800000000",
                    channel="phone",
                    equipment_id=eq.pk,
                    fault_category=c,
                    allow_duplicate=True,
                    different_fault_reason="上季度经销商处理的报修（演示）",
                ),
            )
        )
        record = warranty.current(made) if made is not None else None
        if record is not None and record.outcome in claims.CLAIMABLE_OUTCOMES:
            return made
    return made


def load_ratings(*, users: dict[str, Any]) -> RatingPeriod | None:
    agent, coordinator = users.get("agent"), users.get("coordinator")
    qd, manager = users.get("quality_director"), users.get("manager")
    if not (agent and coordinator and qd and manager) or RatingPeriod.objects.exists():
        return None
    start, _end = rating.last_period()
    at = dt.datetime.combine(start, dt.time(9, 0), tzinfo=timezone.get_default_timezone())
    dealer_users: dict[int, Any] = {}
    for u in (
        get_user_model()
        .objects.filter(org_kind="dealer", is_active=True, dealer__isnull=False)
        .order_by("dealer_id", "pk")
    ):
        dealer_users.setdefault(int(u.dealer_id or 0), u)
    ticket = _ticket(agent)
    full = (
        int(ticket.customer.dealer_id or 0) if ticket is not None else next(iter(dealer_users), 0)
    )
    others = [d for d in dealer_users if d != full]
    for dealer_id, u in dealer_users.items():
        customers = list(Customer.objects.filter(dealer_id=dealer_id).order_by("pk")[:3])
        if not customers:
            continue
        if dealer_id == full:  # every component, and complained about: downgraded
            if ticket is not None:
                _tasks(coordinator, u, ticket, at)
                _claims(u, qd, ticket, at)
            for k in range(3):
                _complaint(agent, customers[0], at + dt.timedelta(days=15 + k))
            _callbacks(agent, customers, at, [(True, 5), (True, 4), (False, 2)])
        elif dealer_id == others[0]:  # a clean record: rewarded
            _callbacks(agent, customers, at, [(True, 5), (True, 5)])
        elif dealer_id == others[1]:  # one complaint: kept
            _complaint(agent, customers[0], at + dt.timedelta(days=5))
    return _try(lambda: rating.freeze_period(actor=manager, period_start=start))
