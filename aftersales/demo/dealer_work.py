"""Demo dealer work, made through the dealer services: warranty cards in time, late and still
awaited; tasks with their 2 h clock (arranged, open, handed back); claims in every state; a
settlement notice awaiting the dealer's confirmation. Nothing when claims already exist."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from aftersales.catalog.models import Part
from aftersales.core.errors import DomainError
from aftersales.dealers.models import WarrantyCard, WarrantyClaim
from aftersales.dealers.services import cards, claims, tasks
from aftersales.installed_base.models import Equipment
from aftersales.service.models import Ticket


@dataclass
class DealerWorkReport:
    cards: int = 0
    tasks: int = 0
    claims: int = 0
    notices: int = 0


def _try(fn: Any) -> Any:
    try:
        with transaction.atomic():
            return fn()
    except DomainError:
        return None


def load_dealer_work(*, users: dict[str, Any], seed: int = 2026) -> DealerWorkReport:
    report = DealerWorkReport()
    agent, coordinator = users.get("agent"), users.get("coordinator")
    qd, fin = users.get("quality_director"), users.get("finance")
    if not (agent and coordinator and qd and fin) or WarrantyClaim.objects.exists():
        return report
    rng = random.Random(seed)
    today = timezone.localdate()
    dealer_users: dict[int, Any] = {
        int(u.dealer_id or 0): u
        for u in get_user_model().objects.filter(org_kind="dealer", is_active=True).order_by("-pk")
    }
    # cards: sold 40 days ago, not yet received (late) / received on day 10 (in time) / day 25
    # (late);
    # sold 5 days ago and awaited
    equipment = list(
        Equipment.objects.filter(
            site__customer__dealer_id__in=list(dealer_users),
            archived_at__isnull=True,
            warranty_cards__isnull=True,
            card_received_date__isnull=True,  # the plan's own cards stay as they are
        )
        .select_related("site__customer")
        .order_by("pk")[:12]
    )
    for i, eq in enumerate(equipment):
        dealer_user = dealer_users[int(eq.site.customer.dealer_id or 0)]
        sale = today - dt.timedelta(days=5 if i % 4 == 3 else 40)
        card = _try(
            lambda eq=eq, dealer_user=dealer_user, sale=sale, i=i: cards.register_card(
                actor=dealer_user,
                data=cards.CardInput(
                    customer_code=eq.site.customer.code,
                    serial_no=eq.serial_no,
                    model_code=eq.model.code,
                    sale_date=sale,
                    card_no=f"SB{today:%y}{eq.pk:06d}",
                ),
            )
        )
        if card is None:
            continue
        report.cards += 1
        if i % 4 in (1, 2):  # the first stays awaited: a small demo keeps a card not back
            days = 10 if i % 4 == 1 else 25
            _try(
                lambda card=card, sale=sale, days=days: cards.receive_card(
                    actor=agent, card_id=card.pk, received_date=sale + dt.timedelta(days=days)
                )
            )
    # tasks on open tickets of dealers' customers
    open_tickets = list(
        Ticket.objects.filter(customer__dealer_id__in=list(dealer_users))
        .exclude(state__in=("resolved", "closed", "cancelled"))
        .order_by("pk")[:3]
    )
    for i, tk in enumerate(open_tickets):
        task = _try(lambda tk=tk: tasks.assign(actor=coordinator, ticket_id=tk.pk))
        if task is None:
            continue
        report.tasks += 1
        dealer_user = dealer_users[task.dealer_id]
        if i == 0:
            _try(
                lambda task=task, u=dealer_user: tasks.arrange(
                    actor=u,
                    task_id=task.pk,
                    arrangement="本店李师傅今天下午上门，已电话告知客户",
                    customer_informed=True,
                )
            )
        elif i == 2:
            _try(
                lambda task=task, u=dealer_user: tasks.hand_back(
                    actor=u, task_id=task.pk, reason="需要厂家专用检测设备，本店无法处理"
                )
            )
    report.tasks += _department_tasks(coordinator)
    # claims: one per state, on the dealers' tickets; the first with its signed repair
    # record filed and its old part waived, so that it can be settled
    parts = list(Part.objects.active().order_by("code")[:3])
    filed = _filed_repair(dealer_users, qd, parts)
    claim_tickets = [
        tk
        for tk in [
            *([filed] if filed is not None else []),
            *Ticket.objects.filter(customer__dealer_id__in=list(dealer_users))
            .exclude(pk=filed.pk if filed is not None else 0)
            .order_by("-pk")[:40],
        ]
        if _warranty_repair(tk)  # a claim is for a warranty repair (claims checks it)
    ][:5]
    made: list[WarrantyClaim] = []
    for tk in claim_tickets:
        u = dealer_users[int(tk.customer.dealer_id or 0)]
        claim = _try(
            lambda tk=tk, u=u: claims.submit(
                actor=u,
                data=claims.ClaimInput(
                    ticket_id=tk.pk,
                    repair_date=today - dt.timedelta(days=rng.randint(1, 20)),
                    description="保修期内维修，更换故障配件",
                    parts=[claims.PartIn(p.code, 1) for p in parts[:2]],
                    labour_hours="1.5",
                    visit=True,
                    distance_km="25",
                ),
            )
        )
        if claim is not None:
            made.append(claim)
    report.claims = len(made)
    decisions = ["accept", "partly", "reject", "accept"]  # the fifth stays 待鉴定
    for claim, decision in zip(made, decisions, strict=False):
        first = claim.lines.order_by("id").first()
        _try(
            lambda claim=claim, decision=decision, first=first: claims.appraise(
                actor=qd,
                claim_id=claim.pk,
                decision=decision,
                reason="" if decision == "accept" else "部分配件不属三包范围",
                line_amounts={first.pk: "0"} if decision == "partly" and first else None,
            )
        )
    # a notice awaiting the dealer (quality's check decides which dealers can have one)
    for dealer_id in {c.dealer_id for c in made}:
        notice = _try(
            lambda dealer_id=dealer_id: claims.issue_notice(
                actor=fin,
                dealer_id=dealer_id,
                period_start=today - dt.timedelta(days=30),
                period_end=today,
            )
        )
        report.notices += notice is not None
    return report


def _warranty_repair(ticket: Ticket) -> bool:
    from aftersales.service.services import warranty

    record = warranty.current(ticket)
    return record is not None and record.outcome in claims.CLAIMABLE_OUTCOMES


def _filed_repair(dealer_users: dict[int, Any], qd: Any, parts: list[Part]) -> Ticket | None:
    """A dealer customer's ticket on site: its report filed (confirmed by link), its old
    parts waived by the quality director."""
    from aftersales.quality.models import OldPart
    from aftersales.quality.services import old_parts
    from aftersales.service.services import reports

    ticket = (
        Ticket.objects.filter(customer__dealer_id__in=list(dealer_users), state="on_site")
        .order_by("pk")
        .first()
    )
    wo = ticket.work_orders.exclude(technician=None).order_by("-pk").first() if ticket else None
    if ticket is None or wo is None or not parts:
        return None
    if Ticket.objects.filter(state="on_site").count() < 2:
        return None  # keep a visit on site in the demo

    def file() -> Any:
        reports.save(
            actor=wo.technician,
            work_order=wo,
            data=reports.ReportInput(
                phenomenon="设备无法启动",
                environment="现场环境正常",
                cause="配件损坏",
                cause_class="manufacturing",
                fault_category="配件故障",
                responsibility="product",
                actions="更换故障配件，测试正常",
                minutes_spent=60,
                customer_opinion="满意",
                quick_rating=5,
                parts=[(parts[0].code, 1, True)],
            ),
        )
        report = reports.request_link_confirmation(actor=wo.technician, work_order=wo)
        reports.confirm_by_link(token=report.confirm_token, name="客户现场负责人")
        reports.submit(actor=wo.technician, work_order=wo)
        for op in OldPart.objects.filter(ticket=ticket):
            old_parts.waive(actor=qd, old_part=op, reason="演示：旧件现场报废，免返")
        return ticket

    return _try(file)


__all__ = ["DealerWorkReport", "WarrantyCard", "load_dealer_work"]


def _department_tasks(coordinator: Any) -> int:
    """Two open tickets of direct customers given to company departments (003: 公司各部门…
    2小时做好具体安排): the warehouse has arranged its one, the quality office not yet."""
    from aftersales.accounts.models import Department

    made = 0
    tickets = (
        Ticket.objects.filter(customer__dealer__isnull=True, dealer_tasks__isnull=True)
        .exclude(state__in=("resolved", "closed", "cancelled"))
        .order_by("pk")
    )
    for code, tk in zip(("CC", "PZB"), tickets[:2], strict=False):
        department = Department.objects.filter(code=code).first()
        member = (
            get_user_model()
            .objects.filter(department=department, is_active=True, org_kind="company")
            .order_by("pk")
            .first()
        )
        if department is None or member is None:
            continue
        task = _try(
            lambda tk=tk, department=department: tasks.assign(
                actor=coordinator, ticket_id=tk.pk, department_id=department.pk
            )
        )
        if task is None:
            continue
        made += 1
        if code == "CC":
            _try(
                lambda task=task, member=member: tasks.arrange(
                    actor=member,
                    task_id=task.pk,
                    arrangement="仓储部今天发出备件，已电话告知客户",
                    customer_informed=True,
                )
            )
    return made
