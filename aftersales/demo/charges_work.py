"""Demo charges, made through the services: chargeable tickets quoted from the price list and
accepted, paid with receipts (one refunded by a red credit note), a quote with a manual line
awaiting the manager's approval, technician expense claims (draft and under approval).
Nothing when receipts already exist."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from aftersales.charges.models import Receipt
from aftersales.charges.services import expenses, payments
from aftersales.core.errors import DomainError
from aftersales.service.models import Ticket, WarrantyRecord, WorkOrder
from aftersales.service.services import warranty


@dataclass
class ChargesReport:
    receipts: int = 0
    expense_claims: int = 0


def _try(fn: Any) -> Any:
    try:
        with transaction.atomic():
            return fn()
    except DomainError:
        return None


def _chargeable_tickets() -> list[Ticket]:
    latest = {}
    for r in WarrantyRecord.objects.order_by("ticket_id", "created_at", "id"):
        latest[r.ticket_id] = r.outcome
    ids = [pk for pk, outcome in latest.items() if outcome == "chargeable"]
    return list(
        Ticket.objects.filter(pk__in=ids)
        .exclude(state__in=("closed", "cancelled"))
        .order_by("pk")[:3]
    )


def load_charges(*, users: dict[str, Any]) -> ChargesReport:
    report = ChargesReport()
    agent, finance, manager = users.get("agent"), users.get("finance"), users.get("manager")
    if not (agent and finance and manager) or Receipt.objects.exists():
        return report
    for i, ticket in enumerate(_chargeable_tickets()):
        manual = [warranty.ManualLine("高空作业车租用（半天）", "600.00")] if i == 2 else None
        quote = _try(
            lambda ticket=ticket, manual=manual: warranty.quote_create(
                actor=agent,
                ticket=ticket,
                parts=[],
                labour_hours="2",
                distance_km="15",
                manual_lines=manual,
            )
        )
        if quote is None or quote.total <= 0 or manual:
            continue
        quote = _try(
            lambda quote=quote, ticket=ticket: warranty.quote_decide(
                quote=quote, accept=True, by_name=ticket.contact_name, actor=agent
            )
        )
        if quote is None:
            continue
        receipt = _try(
            lambda quote=quote, i=i: payments.record_payment(
                actor=finance,
                quote_id=quote.pk,
                amount=str(quote.total),
                method="cash" if i == 0 else "wechat",
                reference="" if i == 0 else f"42000{quote.pk:08d}",
                payer_name=quote.ticket.contact_name,
            )
        )
        if receipt is None:
            continue
        report.receipts += 1
        if i == 1:
            _try(
                lambda receipt=receipt: payments.reverse_receipt(
                    actor=finance, receipt_id=receipt.pk, reason="客户对收费有异议，全额退款"
                )
            )
    trips = list(
        WorkOrder.objects.filter(technician__isnull=False, expense_claims__isnull=True)
        .select_related("technician", "ticket")
        .order_by("-dispatched_at")[:2]
    )
    for i, wo in enumerate(trips):
        day = timezone.localdate(wo.dispatched_at)
        claim = _try(
            lambda wo=wo, day=day: expenses.create_claim(
                actor=wo.technician,
                work_order_id=wo.pk,
                note="上门维修差旅",
                lines=[
                    expenses.LineInput(day, "transport", "86.50", wo.ticket.address or "客户现场"),
                    expenses.LineInput(day, "meals", "40.00", wo.ticket.address or "客户现场"),
                ],
            )
        )
        if claim is None:
            continue
        report.expense_claims += 1
        if i == 0:
            _try(lambda claim=claim, wo=wo: expenses.submit(actor=wo.technician, claim_id=claim.pk))
    return report
