"""Warranty cards (三包回执卡): the dealer registers its sale, the company records the day the
card reached it. Every write is atomic and audited, and mirrored onto the equipment the
warranty decision reads (sale date, selling dealer, card number / received date)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import IO, Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from aftersales.core import audit
from aftersales.core.errors import (
    Conflict,
    DomainError,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from aftersales.core.said import Said
from aftersales.core.visibility import get_visible, visible
from aftersales.customers.models import Customer
from aftersales.dealers.models import Dealer, WarrantyCard
from aftersales.installed_base.models import Equipment
from aftersales.installed_base.selectors import policy_for
from aftersales.warranty.rules import CARD_DEADLINE_DAYS, CardCheck, card_timing

MAX_CARD_ROWS = 2000


def _org(actor: Any) -> str:
    return str(getattr(actor, "org_kind", "company"))


def _dealer_of(actor: Any, dealer_id: int | None) -> Dealer:
    """A dealer user registers for itself; a company user names the dealer."""
    if _org(actor) == "dealer":
        return Dealer.objects.get(pk=actor.dealer_id)
    if _org(actor) != "company" or not actor.has_perm("dealers.change_warrantycard"):
        raise PermissionDenied("无权登记三包回执卡")
    if not dealer_id:
        raise ValidationFailed("请选择经销商", field="dealer_id")
    return get_visible(Dealer, actor, pk=dealer_id)


def deadline_days_of(equipment: Equipment) -> int:
    policy = policy_for(equipment)
    return policy.card_deadline_days if policy is not None else CARD_DEADLINE_DAYS


def recognition(card: WarrantyCard, today: dt.date | None = None) -> CardCheck:
    """The warranty rule's own card check (``warranty.rules.card_timing``)."""
    return card_timing(
        sale=card.sale_date,
        received=card.received_date,
        limit=deadline_days_of(card.equipment),
        today=today or timezone.localdate(),
    )


@dataclass(frozen=True)
class CardInput:
    customer_code: str
    serial_no: str
    sale_date: dt.date
    card_no: str
    model_code: str = ""
    dealer_id: int | None = None


def _equipment(actor: Any, customer: Customer, serial_no: str, model_code: str) -> Equipment:
    qs = visible(Equipment, actor).filter(
        site__customer=customer, serial_no=serial_no, archived_at__isnull=True
    )
    if model_code:
        qs = qs.filter(model__code=model_code)
    found = list(qs.select_related("model__category", "model__warranty_policy")[:2])
    if not found:
        raise ValidationFailed(
            Said(
                "出厂编号 %(serial_no)s 不存在或不属于客户 %(code)s",
                serial_no=serial_no,
                code=customer.code,
            ),
            field="serial_no",
        )
    if len(found) > 1:
        raise ValidationFailed(
            Said("出厂编号 %(serial_no)s 对应多个型号，请填写型号编码", serial_no=serial_no),
            field="model_code",
        )
    return found[0]


@transaction.atomic
def register_card(*, actor: Any, data: CardInput, today: dt.date | None = None) -> WarrantyCard:
    today = today or timezone.localdate()
    dealer = _dealer_of(actor, data.dealer_id)
    card_no, serial = data.card_no.strip(), data.serial_no.strip()
    if not card_no:
        raise ValidationFailed("请填写三包卡号", field="card_no")
    if data.sale_date > today:
        raise ValidationFailed(
            Said("销售日期 %(sale_date)s 不能晚于今天", sale_date=data.sale_date), field="sale_date"
        )
    customer = (
        visible(Customer, actor)
        .filter(code=data.customer_code.strip(), archived_at__isnull=True)
        .first()
    )
    if customer is None or (customer.dealer_id not in (None, dealer.pk)):
        raise ValidationFailed(
            Said("客户编号 %(customer_code)s 不存在或无权使用", customer_code=data.customer_code),
            field="customer",
        )
    eq = Equipment.objects.select_for_update().get(
        pk=_equipment(actor, customer, serial, data.model_code).pk
    )
    if eq.dealer_id not in (None, dealer.pk):
        raise Conflict(
            Said("出厂编号 %(serial)s 的设备由其他经销商销售，不能登记", serial=serial),
            field="serial_no",
        )
    if eq.card_received_date and eq.card_received_date < data.sale_date:
        raise ValidationFailed("公司已记录的收卡日期早于该销售日期", field="sale_date")
    if WarrantyCard.objects.filter(equipment=eq, archived_at__isnull=True).exists():
        raise Conflict(
            Said("出厂编号 %(serial)s 已登记三包回执卡", serial=serial), field="serial_no"
        )
    try:
        with transaction.atomic():
            card = WarrantyCard.objects.create(
                dealer=dealer,
                customer=customer,
                equipment=eq,
                card_no=card_no,
                sale_date=data.sale_date,
                registered_by=actor if getattr(actor, "pk", None) else None,
            )
    except IntegrityError as exc:
        raise Conflict(
            Said("三包卡号 %(card_no)s 已被登记", card_no=card_no), field="card_no"
        ) from exc
    audit.record(
        card, actor=actor, action="create", verb="登记三包回执卡", after=audit.snapshot(card)
    )
    before = audit.snapshot(eq)
    eq.sale_date, eq.dealer_id, eq.card_no = data.sale_date, dealer.pk, card_no
    eq.save(update_fields=["sale_date", "dealer", "card_no", "updated_at"])
    old, new = audit.diff(before, audit.snapshot(eq))
    if old or new:
        audit.record(eq, actor=actor, action="update", verb="登记三包回执卡", before=old, after=new)
    return card


@transaction.atomic
def receive_card(
    *, actor: Any, card_id: int, received_date: dt.date, today: dt.date | None = None
) -> WarrantyCard:
    """The company records (or corrects) the day the card reached it."""
    today = today or timezone.localdate()
    if _org(actor) != "company":
        card = get_visible(WarrantyCard, actor, pk=card_id)  # 404 for another's card
        raise PermissionDenied("三包卡回寄日期只能由公司登记，经销商和客户不能设置或修改")
    if not actor.has_perm("dealers.change_warrantycard"):
        raise PermissionDenied("无权登记三包卡回寄日期")
    card = get_visible(WarrantyCard.objects.select_for_update(), actor, pk=card_id)
    if card.archived_at is not None:
        raise Conflict("三包回执卡已作废")
    if received_date > today:
        raise ValidationFailed(
            Said("收卡日期 %(received_date)s 不能晚于今天", received_date=received_date),
            field="received_date",
        )
    if received_date < card.sale_date:
        raise ValidationFailed("三包卡回寄日期不能早于销售日期", field="received_date")
    if card.received_date == received_date:
        return card
    before = card.received_date
    card.received_date, card.received_by = received_date, actor
    card.save(update_fields=["received_date", "received_by", "updated_at"])
    audit.record(
        card,
        actor=actor,
        action="update",
        verb="登记收卡日期",
        before={"received_date": before},
        after={"received_date": received_date},
    )
    eq = Equipment.objects.select_for_update().get(pk=card.equipment_id)
    eq_before = audit.snapshot(eq)
    eq.card_received_date, eq.card_status = received_date, Equipment.CardStatus.RECEIVED
    eq.save(update_fields=["card_received_date", "card_status", "updated_at"])
    old, new = audit.diff(eq_before, audit.snapshot(eq))
    audit.record(eq, actor=actor, action="update", verb="登记收卡日期", before=old, after=new)
    return card


# ---- bulk entry by Excel -----------------------------------------------------------------

CARD_HEADERS = ["客户编号", "出厂编号", "型号编码", "销售日期", "三包卡号"]
_FIELDS = {
    "客户编号": "customer_code",
    "出厂编号": "serial_no",
    "型号编码": "model_code",
    "销售日期": "sale_date",
    "三包卡号": "card_no",
}
_LIMITS = {"customer_code": 30, "serial_no": 50, "model_code": 50, "card_no": 50}


@dataclass
class CardImport:
    created: list[WarrantyCard] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


class _Rollback(Exception):
    pass


def _card_spec() -> Any:
    """The card workbook's columns for the import reader (the template's headers)."""
    from aftersales.imports.columns import Column, Spec

    required = {"customer_code", "serial_no", "sale_date", "card_no"}
    return Spec(
        kind="warranty_cards",
        label="三包回执卡",
        model=WarrantyCard,
        columns=tuple(Column(h, f, required=f in required) for h, f in _FIELDS.items()),
        key=("card_no",),
        duplicate_message="三包卡号重复",
    )


def _rows(fileobj: IO[bytes]) -> tuple[list[tuple[int, dict[str, Any]]], list[str]]:
    """The file's data rows by field, read by the import reader (first sheet, real extent,
    headers with a tolerated ``*``, blank rows skipped, duplicate or missing columns and too
    many rows refused), with their Excel row numbers."""
    from aftersales.imports.reader import read_sheet

    sheet = read_sheet(_card_spec(), fileobj, max_rows=MAX_CARD_ROWS)
    if sheet.issues:
        return [], [issue.text for issue in sheet.issues]
    fields = [col.field for _, col in sheet.columns]
    return [(n, dict(zip(fields, values, strict=True))) for n, values in sheet.rows], []


def import_cards(
    *, actor: Any, fileobj: IO[bytes], dealer_id: int | None = None, today: dt.date | None = None
) -> CardImport:
    """Every row registered, or none: one bad row writes nothing and every row's problem is
    reported with its Excel row number."""
    from aftersales.imports import cells

    result = CardImport()
    rows, result.errors = _rows(fileobj)
    if result.errors:
        return result
    if not rows:
        result.errors.append("文件中没有数据行")
        return result
    try:
        with transaction.atomic():
            for number, raw in rows:
                try:
                    values = {
                        k: cells.to_text(raw.get(k), max_length=n) for k, n in _LIMITS.items()
                    }
                    sale = cells.to_date(raw.get("sale_date"))
                    if sale is None:
                        raise ValidationFailed("请填写销售日期")
                    with transaction.atomic():
                        result.created.append(
                            register_card(
                                actor=actor,
                                data=CardInput(sale_date=sale, dealer_id=dealer_id, **values),
                                today=today,
                            )
                        )
                except (DomainError, cells.CellError) as exc:
                    result.errors.append(
                        Said(
                            "第%(number)s行: %(getattr)s",
                            number=number,
                            getattr=getattr(exc, "message", str(exc)),
                        )
                    )
            if result.errors:
                raise _Rollback
    except _Rollback:
        result.created = []
    except NotFound as exc:  # pragma: no cover - the dealer chosen vanished
        result.errors.append(exc.message)
    return result
