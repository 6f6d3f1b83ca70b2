"""The service report (SPEC §3.5): written by the technician, signed by the customer on the
phone or confirmed by link, filed (late after 5 days is flagged), repeat repairs detected."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import secrets
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from aftersales.approvals.services.deadlines import compute_due
from aftersales.catalog.selectors import code_key, parts_by_code
from aftersales.core import audit, uploads
from aftersales.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from aftersales.core.said import Said
from aftersales.service.models import ReportPart, ServiceReport, Ticket, TicketType, WorkOrder
from aftersales.service.models.report import Responsibility
from aftersales.service.services import warranty
from aftersales.staff.models import FactKind
from aftersales.staff.services import record_fact
from aftersales.stock.services import consumption as stock_consumption

FILING_RULE = "service.report_filing"  # [000 §二(二)5(4)]: default 5 days, a DeadlineRule
REPEAT_WINDOW_RULE = "service.repeat_window"  # SPEC §3.5: default 30 days, a DeadlineRule
TEXT_FIELDS = (
    "phenomenon",
    "environment",
    "cause",
    "cause_class",
    "fault_category",
    "component_code",
    "responsibility",
    "actions",
    "customer_opinion",
    "signed_by",
)


@dataclass
class ReportInput:
    phenomenon: str = ""
    environment: str = ""
    cause: str = ""
    cause_class: str = ""
    fault_category: str = ""
    component_code: str = ""
    responsibility: str = ""
    actions: str = ""
    remote: bool = False
    minutes_spent: int = 0
    no_parts_used: bool = False
    customer_opinion: str = ""
    quick_rating: int | None = None
    parts: list[tuple[str, int, bool]] = field(default_factory=list)  # (code, qty, keep old part)


def _wo_for(actor: Any, work_order: WorkOrder | int) -> WorkOrder:
    pk = work_order.pk if isinstance(work_order, WorkOrder) else work_order
    try:
        wo = WorkOrder.objects.select_for_update().select_related("ticket").get(pk=pk)
    except WorkOrder.DoesNotExist as exc:
        raise NotFound("派工单不存在") from exc
    if wo.technician_id != actor.pk and not actor.has_role("coordinator", "manager", "admin"):
        raise PermissionDenied("只能为自己的工单填写报告")
    return wo


@transaction.atomic
def save(*, actor: Any, work_order: WorkOrder | int, data: ReportInput) -> ServiceReport:
    """Create or update the draft; filed reports are not edited."""
    wo = _wo_for(actor, work_order)
    if data.responsibility and data.responsibility not in Responsibility.values:
        raise ValidationFailed("责任鉴定取值无效", field="responsibility")
    if data.quick_rating is not None and not 1 <= data.quick_rating <= 5:
        raise ValidationFailed("现场满意度应为1到5", field="quick_rating")
    if data.minutes_spent < 0:
        raise ValidationFailed("耗时不能为负数", field="minutes_spent")
    report, created = ServiceReport.objects.get_or_create(
        work_order=wo, defaults={"ticket": wo.ticket}
    )
    if report.filed_at is not None:
        raise Conflict("服务报告已提交，不能修改")
    before = audit.snapshot(report)
    for name in TEXT_FIELDS:
        if name != "signed_by":
            setattr(report, name, getattr(data, name))
    report.remote, report.minutes_spent = data.remote, data.minutes_spent
    report.no_parts_used, report.quick_rating = data.no_parts_used, data.quick_rating
    report.save()
    if data.parts:
        found = parts_by_code(c for c, _, _ in data.parts)
        unknown = sorted({c for c, _, _ in data.parts if code_key(c) not in found})
        if unknown:
            raise ValidationFailed(
                Said("配件编码不存在：%(join)s", join="、".join(unknown)), field="parts"
            )
        if any(q <= 0 for _, q, _ in data.parts):
            raise ValidationFailed("配件数量必须大于0", field="parts")
        report.parts.all().delete()
        ReportPart.objects.bulk_create(
            [
                ReportPart(
                    report=report,
                    part=found[code_key(c)],
                    quantity=q,
                    keep_old_part=keep,
                    component_code=data.component_code,
                )
                for c, q, keep in data.parts
            ]
        )
    old, new = audit.diff(before, audit.snapshot(report))
    audit.record(
        report,
        actor=actor,
        action="create" if created else "update",
        verb="report_save",
        before=None if created else old,
        after=new,
    )
    return report


MAX_PHOTO_BYTES = 10 * 1024 * 1024


@transaction.atomic
def add_photo(*, actor: Any, work_order: WorkOrder | int, image: Any, caption: str = "") -> Any:
    """A photo of the site or the fault, attached to the draft report."""
    from aftersales.service.models import ReportPhoto

    wo = _wo_for(actor, work_order)
    report = ServiceReport.objects.select_for_update().filter(work_order=wo).first()
    if report is None:
        raise Conflict("请先填写服务报告")
    if report.filed_at is not None:
        raise Conflict("服务报告已提交，不能再添加照片")
    if getattr(image, "size", 0) > MAX_PHOTO_BYTES:
        raise ValidationFailed("照片不能超过10MB", field="image")
    uploads.identify(image, uploads.IMAGES, field="image")  # refused before anything is written
    photo = ReportPhoto(report=report, caption=caption[:100])
    photo.image.save("photo", image, save=True)  # stored as <uuid>.<real type>
    audit.record(
        report, actor=actor, action="action", verb="report_photo", payload={"photo": photo.pk}
    )
    return photo


def _decode_png(data_url: str) -> bytes:
    prefix = "data:image/png;base64,"
    if not data_url.startswith(prefix):
        raise ValidationFailed("签名格式无效", field="signature")
    try:
        raw = base64.b64decode(data_url[len(prefix) :], validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValidationFailed("签名格式无效", field="signature") from exc
    if not raw.startswith(b"\x89PNG") or len(raw) < 100:
        raise ValidationFailed("签名为空，请客户在屏幕上签字", field="signature")
    return raw


@transaction.atomic
def sign(
    *, actor: Any, work_order: WorkOrder | int, signature_png: str, signed_by: str
) -> ServiceReport:
    """The customer's signature drawn on the technician's phone."""
    wo = _wo_for(actor, work_order)
    report = ServiceReport.objects.select_for_update().filter(work_order=wo).first()
    if report is None:
        raise Conflict("请先填写服务报告")
    if not signed_by.strip():
        raise ValidationFailed("请填写签字人姓名", field="signed_by")
    raw = _decode_png(signature_png)
    report.signature.save("signature", ContentFile(raw), save=False)
    report.signed_by, report.signed_at = signed_by.strip(), timezone.now()
    report.save()
    audit.record(
        report, actor=actor, action="action", verb="report_signed", payload={"by": signed_by}
    )
    return report


@transaction.atomic
def request_link_confirmation(*, actor: Any, work_order: WorkOrder | int) -> ServiceReport:
    wo = _wo_for(actor, work_order)
    report = ServiceReport.objects.select_for_update().filter(work_order=wo).first()
    if report is None:
        raise Conflict("请先填写服务报告")
    if not report.confirm_token:
        report.confirm_token = secrets.token_urlsafe(16)
        report.save(update_fields=["confirm_token", "updated_at"])
    return report


@transaction.atomic
def confirm_by_link(*, token: str, name: str, opinion: str = "") -> ServiceReport:
    report = (
        ServiceReport.objects.select_for_update().filter(confirm_token=token).first()
        if token
        else None
    )
    if report is None:
        raise NotFound("确认链接无效")
    if report.confirmed_by_link_at is not None:
        raise Conflict("该报告已确认")
    if not name.strip():
        raise ValidationFailed("请填写确认人姓名", field="name")
    report.confirmed_by_link_at = timezone.now()
    report.signed_by = name.strip()
    if opinion.strip():
        report.customer_opinion = opinion.strip()
    report.save()
    audit.record(
        report, actor=None, action="action", verb="report_confirmed_by_link", payload={"by": name}
    )
    return report


def repeat_window() -> dt.timedelta:
    """The repeat-repair window an administrator sets (时限规则 ``service.repeat_window``,
    default 30 days); working days are counted as calendar days here."""
    from aftersales.approvals.services.deadlines import rule

    r = rule(REPEAT_WINDOW_RULE)
    amount = float(Decimal(r.amount))
    return dt.timedelta(hours=amount) if r.unit == "hours" else dt.timedelta(days=amount)


def repeat_window_days() -> str:
    """The window in days, for the report's wording ("30")."""
    days = Decimal(repeat_window().total_seconds()) / Decimal(86400)
    return f"{days.normalize():f}"


def find_repeat(report: ServiceReport, now: dt.datetime) -> Ticket | None:
    """The same fault category on the same equipment within the window after a repair.
    Inspection tickets (proactive checks, 巡检发现) are not customer faults: neither a repeat
    nor the repair a later one repeats."""
    ticket = report.ticket
    if not ticket.equipment_id or not report.fault_category:
        return None
    if ticket.type == TicketType.INSPECTION:
        return None
    window = repeat_window()
    earlier = (
        ServiceReport.objects.filter(
            ticket__equipment_id=ticket.equipment_id,
            fault_category=report.fault_category,
            filed_at__gte=now - window,
            archived_at__isnull=True,
        )
        .exclude(ticket=ticket)
        .exclude(ticket__type=TicketType.INSPECTION)
        .order_by("-filed_at")
        .select_related("ticket")
        .first()
    )
    return earlier.ticket if earlier else None


@transaction.atomic
def submit(*, actor: Any, work_order: WorkOrder | int) -> ServiceReport:
    """Submit: an incomplete report is refused; late filing (> 5 days after the visit) is
    flagged; a repeat repair is linked; the warranty decision is re-run with the cause."""
    wo = _wo_for(actor, work_order)
    report = ServiceReport.objects.select_for_update().filter(work_order=wo).first()
    if report is None:
        raise Conflict("请先填写服务报告", code="report_missing")
    if report.filed_at is not None:
        raise Conflict("服务报告已提交")
    missing = report.missing_fields()
    if missing:
        raise Conflict(
            Said("服务报告不完整，缺少：%(join)s", join="、".join(missing)),
            code="report_incomplete",
            details=missing,
        )
    now = timezone.now()
    visit = wo.check_out_at or wo.check_in_at or wo.dispatched_at
    report.filed_at = now
    report.filed_late = now > compute_due(FILING_RULE, visit)
    report.repeat_of = find_repeat(report, now)
    report.save()
    category = report.fault_category or wo.ticket.fault_category
    if category != wo.ticket.fault_category:
        Ticket.objects.filter(pk=wo.ticket_id).update(fault_category=category)
        audit.record(
            wo.ticket,
            actor=actor,
            action="update",
            verb="fault_category_from_report",
            before={"fault_category": wo.ticket.fault_category},
            after={"fault_category": category},
        )
    audit.record(
        report,
        actor=actor,
        action="transition",
        verb="report_filed",
        from_state="draft",
        to_state="filed",
        payload={
            "late": report.filed_late,
            "repeat_of": report.repeat_of.number if report.repeat_of else None,
        },
    )
    _record_facts(actor, report, wo, now)
    # the parts used leave the technician's van; a shortage never blocks the filing
    stock_consumption.report_filed(actor=actor, report=report, now=now)
    if report.cause_class:
        warranty.decide(
            wo.ticket, actor=actor, cause=report.cause_class, component_code=report.component_code
        )
    # parts replaced under warranty with "keep old part" become old parts due back (§6.4)
    from aftersales.quality.services import old_parts

    old_parts.report_filed(actor=actor, report=report, now=now)
    return report


def _record_facts(actor: Any, report: ServiceReport, wo: WorkOrder, now: dt.datetime) -> None:
    """Late filing counts against the report's technician; a repeat repair against the
    technician whose earlier repair did not hold (SPEC §3.5, §8)."""
    if report.filed_late and wo.technician_id:
        record_fact(
            actor=actor,
            person=wo.technician,
            kind=FactKind.LATE_REPORT,
            source=report,
            occurred_at=now,
            details={"ticket": wo.ticket.number, "visit": wo.check_out_at or wo.check_in_at},
        )
    if report.repeat_of is not None:
        earlier = (
            ServiceReport.objects.filter(ticket=report.repeat_of, filed_at__isnull=False)
            .select_related("work_order__technician")
            .order_by("-filed_at")
            .first()
        )
        if earlier is not None and earlier.work_order.technician_id:
            record_fact(
                actor=actor,
                person=earlier.work_order.technician,
                kind=FactKind.REPEAT_REPAIR,
                source=report,
                occurred_at=now,
                details={
                    "ticket": wo.ticket.number,
                    "earlier_ticket": report.repeat_of.number,
                    "fault_category": report.fault_category,
                },
            )
