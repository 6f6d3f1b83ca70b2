"""From the goods' arrival to the final handling (SPEC §5.3–5.6): counted receipt with the
packaging state signed by the deliverer, QA inspection within 48 h, the director's decision,
the record to the customer within 3 days, the customer's confirmation within 2 days (silence
is deemed acceptance, made exactly once by a job), repair or exchange within 15 days."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from aftersales.approvals import inputs
from aftersales.approvals.services import deadlines
from aftersales.core.errors import ValidationFailed
from aftersales.core.said import Said
from aftersales.returns.models import (
    CustomerResponse,
    Outcome,
    Packaging,
    ReturnLine,
    ReturnRequest,
    ReturnState,
)
from aftersales.returns.services import notices
from aftersales.returns.services.applications import lock, move


@dataclass
class ReceiptInput:
    counts: dict[int, Any]  # line id → counted quantity
    packaging: str
    deliverer_name: str
    deliverer_signed: bool
    packaging_note: str = ""


def receive(
    *, actor: Any, ret: ReturnRequest | int, data: ReceiptInput, now: dt.datetime | None = None
) -> ReturnRequest:
    """5.3 The clerk counts against the application, notes damaged or wet packaging, the
    deliverer signs. Only an approved return whose resolution attempt failed is received."""
    now = now or timezone.now()
    if data.packaging not in Packaging.values:
        raise ValidationFailed("请选择外包装状态", field="packaging")
    note = (data.packaging_note or "").strip()
    if data.packaging != Packaging.INTACT and not note:
        raise ValidationFailed(
            "外包装严重破损或被雨水淋湿的须在交接单上注明", field="packaging_note"
        )
    deliverer = inputs.text(
        data.deliverer_name, field="deliverer_name", label="退货人姓名", max_length=50
    )
    if not data.deliverer_signed:
        raise ValidationFailed("交接单须退货人签名确认", field="deliverer_signed")
    with transaction.atomic():
        locked = lock(ret)
        lines = {ln.pk: ln for ln in ReturnLine.objects.filter(request=locked)}
        if set(data.counts) - set(lines):
            raise ValidationFailed("清点明细与退货申请不符", field="counts")
        differences = []
        for pk, line in lines.items():
            raw = data.counts.get(pk, 0)
            counted = (
                0
                if raw in (0, "0")
                else inputs.quantity(
                    raw,
                    field="counts",
                    label=Said("「%(description)s」清点数量", description=line.description),
                )
            )
            line.received_quantity = counted
            if counted != line.quantity:
                differences.append(
                    Said(
                        "%(description)s 申请%(quantity)s、实收%(counted)s",
                        description=line.description,
                        quantity=line.quantity,
                        counted=counted,
                    )
                )
        if differences:
            note = "；".join([note, *[Said("数量不符：%(d)s", d=d) for d in differences]]).strip(
                "；"
            )
        move(
            locked,
            "receive",
            actor=actor,
            now=now,
            payload={"differences": differences, "packaging": data.packaging},
            fields={
                "received_at": now,
                "received_by": actor,
                "packaging": data.packaging,
                "packaging_note": note[:200],
                "deliverer_name": deliverer,
                "deliverer_signed": True,
            },
        )
        ReturnLine.objects.bulk_update(list(lines.values()), ["received_quantity"])
        deadlines.start(
            locked,
            step="inspection",
            rule_code="returns.inspection",
            starts_at=now,
            owner_roles=["coordinator"],
        )
        deadlines.start(
            locked,
            step="final_handling",
            rule_code="returns.final_handling",
            starts_at=now,
            owner_roles=["coordinator"],
        )
        notices.roles(
            locked,
            "arrived",
            ["coordinator", "quality_director"],
            Said("【退货到厂】%(number)s 须48小时内检验", number=locked.number),
            Said(
                "退货 %(number)s（%(name)s）已到厂，请在48小时内组织成品QA检验。",
                number=locked.number,
                name=locked.customer.name,
            ),
        )
    return locked


def inspect(
    *,
    actor: Any,
    ret: ReturnRequest | int,
    result: str,
    defect_confirmed: bool,
    now: dt.datetime | None = None,
) -> ReturnRequest:
    """5.4 QA inspection, results in the inspection record."""
    now = now or timezone.now()
    result = inputs.text(result, field="result", label="检验结果")
    with transaction.atomic():
        locked = lock(ret)
        move(
            locked,
            "inspect",
            actor=actor,
            now=now,
            fields={
                "inspected_at": now,
                "inspected_by": actor,
                "inspection_result": result,
                "defect_confirmed": defect_confirmed,
            },
        )
        deadlines.complete(locked, step="inspection", at=now)
    return locked


def decide(
    *,
    actor: Any,
    ret: ReturnRequest | int,
    outcome: str,
    note: str = "",
    now: dt.datetime | None = None,
) -> ReturnRequest:
    """5.5 品质办主任 decides; the record must reach the customer within 3 days."""
    now = now or timezone.now()
    if outcome not in Outcome.values:
        raise ValidationFailed("请选择处理结果：返修、换货、退货冲账或退回客户", field="outcome")
    with transaction.atomic():
        locked = lock(ret)
        move(
            locked,
            "decide",
            actor=actor,
            now=now,
            reason=note,
            payload={"outcome": outcome},
            fields={
                "outcome": outcome,
                "decision_note": (note or "").strip(),
                "decided_at": now,
                "decided_by": actor,
                "customer_response": "",
                "customer_responded_at": None,
            },
        )
        deadlines.start(
            locked,
            step="record",
            rule_code="returns.record_to_customer",
            starts_at=now,
            owner_roles=["coordinator"],
        )
    return locked


def send_record(
    *, actor: Any, ret: ReturnRequest | int, now: dt.datetime | None = None
) -> ReturnRequest:
    """5.5 The inspection record goes to the customer, who confirms within 2 days."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = lock(ret)
        move(
            locked,
            "send_record",
            actor=actor,
            now=now,
            fields={"record_sent_at": now, "record_sent_by": actor},
        )
        deadlines.complete(locked, step="record", at=now)
        d = deadlines.start(
            locked,
            step="confirmation",
            rule_code="returns.customer_confirmation",
            starts_at=now,
            owner_roles=["coordinator"],
        )
        notices.customer(
            locked,
            f"record:{now:%Y%m%d%H%M}",
            Said("退货检验记录 %(number)s 请确认", number=locked.number),
            Said(
                "退货 %(number)s 检验结果：%(v3)s；处理结果：%(get_outcome_display)s。请于 %(localtime)s 前确认回传，逾期未回传视为默认。",
                number=locked.number,
                v3=locked.inspection_result[:100],
                get_outcome_display=locked.get_outcome_display(),
                localtime=format(timezone.localtime(d.due_at), "%Y-%m-%d %H:%M"),
            ),
        )
    return locked


def respond(
    *,
    actor: Any,
    ret: ReturnRequest | int,
    agree: bool,
    comment: str = "",
    now: dt.datetime | None = None,
) -> ReturnRequest:
    """The customer confirms the record, or disputes it (back to the director)."""
    now = now or timezone.now()
    comment = (comment or "").strip()
    if not agree and not comment:
        raise ValidationFailed("提出异议须填写意见", field="comment")
    with transaction.atomic():
        locked = lock(ret)
        move(
            locked,
            "confirm" if agree else "dispute",
            actor=actor,
            now=now,
            reason=comment,
            fields={
                "customer_response": CustomerResponse.CONFIRMED
                if agree
                else CustomerResponse.DISPUTED,
                "customer_responded_at": now,
                "customer_comment": comment,
            },
        )
        deadlines.complete(locked, step="confirmation", at=now)
    return locked


def deem_silence(now: dt.datetime | None = None) -> int:
    """Silence for 2 days counts as acceptance: each return is moved once (rows locked, state
    checked), recorded as deemed. Returns how many were deemed."""
    now = now or timezone.now()
    deemed = 0
    with transaction.atomic():
        candidates = list(
            ReturnRequest.objects.select_for_update(skip_locked=True)
            .filter(state=ReturnState.RECORD_SENT, record_sent_at__isnull=False)
            .order_by("record_sent_at")[:500]
        )
        for ret in candidates:
            assert ret.record_sent_at is not None
            due = deadlines.compute_due("returns.customer_confirmation", ret.record_sent_at)
            if now < due:
                continue
            move(
                ret,
                "deem",
                actor=None,
                now=now,
                reason="客户两天内未确认回传，视为默认",
                payload={"due": due},
                fields={
                    "customer_response": CustomerResponse.DEEMED,
                    "customer_responded_at": now,
                },
            )
            deadlines.complete(ret, step="confirmation", at=due)
            deemed += 1
    return deemed


def handle(
    *, actor: Any, ret: ReturnRequest | int, note: str, now: dt.datetime | None = None
) -> ReturnRequest:
    """5.6 Repair or exchange done (or goods sent back): the return is closed."""
    now = now or timezone.now()
    note = inputs.text(note, field="note", label="处理说明")
    with transaction.atomic():
        locked = lock(ret)
        if locked.outcome == Outcome.CREDIT:
            raise ValidationFailed("退货冲账须经冲账申请批准并由财务冲账后结案", field="outcome")
        move(
            locked,
            "handle",
            actor=actor,
            now=now,
            reason=note,
            fields={"handled_at": now, "handling_note": note, "closed_at": now},
        )
        deadlines.complete(locked, step="final_handling", at=now)
    return locked
