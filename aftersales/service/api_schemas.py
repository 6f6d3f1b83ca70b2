"""Input and output schemas of the service API."""

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Field, Schema

from aftersales.core import limits
from aftersales.core.said import say
from aftersales.core.schemas import In
from aftersales.service.models import Callback, Quote, ServiceReport, Ticket


class TicketIn(In):
    columns_of = Ticket
    description: str = Field(..., min_length=1, max_length=2000)
    contact_name: str = Field(..., min_length=1, max_length=50)
    contact_phone: str = Field(..., min_length=7, max_length=20)
    channel: str = "phone"
    customer_id: int | None = None
    site_id: int | None = None
    equipment_id: int | None = None
    type: str = "repair"
    severity: str = "normal"
    address: str = ""
    environment: str = ""
    customer_request: str = ""
    fault_category: str = ""
    allow_duplicate: bool = False  # the open ticket of the same fault is known: another fault
    different_fault_reason: str = ""  # …and why (required with allow_duplicate on a duplicate)


class ClockOut(Schema):
    metric: str
    target_minutes: int
    working_time: bool
    due_at: dt.datetime
    met_at: dt.datetime | None
    status: str
    breach_minutes: int
    paused_minutes: int


class WarrantyReasonOut(Schema):
    code: str
    text: str  # in the requester's language (kept with its template, core.said.stored)


class WarrantyOut(Schema):
    outcome: str
    outcome_label: str
    parts_charge: str
    labour_charge: str
    travel_charge: str
    warranty_start: dt.date | None
    warranty_end: dt.date | None
    in_warranty: bool
    replace_component: bool
    replace_unit: bool
    provisional: bool
    contract_no: str
    reasons: list[WarrantyReasonOut]
    override_reason: str

    @staticmethod
    def resolve_reasons(obj: Any) -> list[dict[str, str]]:
        rows = obj.get("reasons") if isinstance(obj, dict) else obj.reasons
        return [{"code": r.get("code", ""), "text": str(say(r))} for r in rows or []]


class WorkOrderOut(Schema):
    id: int
    number: str
    ticket_id: int
    ticket_number: str = Field(..., alias="ticket.number")
    state: str
    technician_id: int | None
    remote: bool
    window_start: dt.datetime | None
    window_end: dt.datetime | None
    accepted_at: dt.datetime | None
    check_in_at: dt.datetime | None
    check_out_at: dt.datetime | None
    late_minutes: int
    leave_reason: str
    leave_note: str


class TicketOut(Schema):
    id: int
    number: str
    type: str
    channel: str
    severity: str
    state: str
    customer_id: int
    customer_name: str = Field(..., alias="customer.name")
    site_id: int | None
    equipment_id: int | None
    contact_name: str
    contact_phone: str
    description: str
    owner_id: int | None
    coordinator_id: int | None
    received_at: dt.datetime
    resolved_at: dt.datetime | None
    reopen_count: int
    sla_policy_source: str
    solution_plan: str
    solution_plan_at: dt.datetime | None
    complex_reason: str
    complex_at: dt.datetime | None
    next_due: dict[str, Any] | None = None

    @staticmethod
    def resolve_next_due(obj: Any) -> dict[str, Any] | None:
        from aftersales.service.selectors import next_due

        return next_due(obj)


class DuplicateNoticeOut(Schema):
    code: str
    message: str


class DuplicateCheckOut(Schema):
    """The open tickets of the equipment the user may open; of any other only the notice."""

    tickets: list[TicketOut]
    notice: DuplicateNoticeOut | None

    @staticmethod
    def resolve_notice(obj: Any) -> dict[str, str] | None:
        return obj.notice()  # type: ignore[no-any-return]


class TicketDetailOut(TicketOut):
    clocks: list[ClockOut]
    warranty: WarrantyOut | None
    work_orders: list[WorkOrderOut]
    allowed_actions: list[str]

    @staticmethod
    def resolve_clocks(obj: Any) -> Any:
        clocks = getattr(obj, "_clocks_list", None)
        return sorted(obj.clocks.all() if clocks is None else clocks, key=lambda c: c.due_at)

    @staticmethod
    def resolve_warranty(obj: Any) -> Any:
        from aftersales.service.services.warranty import current

        return current(obj)

    @staticmethod
    def resolve_work_orders(obj: Any) -> Any:
        if getattr(obj, "_fresh", False):
            return []  # just registered: no work orders yet
        return sorted(obj.work_orders.all(), key=lambda w: w.dispatched_at, reverse=True)

    @staticmethod
    def resolve_allowed_actions(obj: Any) -> list[str]:
        return list(getattr(obj, "allowed_actions_for_user", []))


class TicketReasonIn(In):
    reason: str = ""


class WaitIn(In):
    for_: str = Field(..., alias="for")
    reason: str


class SolutionIn(In):
    solution: str


class CauseIn(In):
    cause: str


class SolutionPlanIn(In):
    plan: str = Field(..., max_length=Ticket._meta.get_field("solution_plan").max_length)


class ComplexIn(In):
    reason: str = Field(..., max_length=Ticket._meta.get_field("complex_reason").max_length)


class HandOverIn(In):
    to_user_id: int
    reason: str


class WarrantyDecideIn(In):
    cause: str | None = None
    latent_defect: bool = False
    abnormal_life: bool = False
    component_code: str = ""


class OverrideIn(In):
    outcome: str
    reason: str


class QuotePartIn(In):
    part_code: str
    quantity: int = Field(..., ge=1)


class QuoteIn(In):
    parts: list[QuotePartIn] = []
    labour_hours: Decimal = Field(Decimal("0"), ge=0, max_digits=6, decimal_places=2)
    distance_km: Decimal = Field(Decimal("0"), ge=0, max_digits=8, decimal_places=1)


class QuoteLineOut(Schema):
    kind: str
    code: str
    description: str
    quantity: Decimal
    unit_amount: Decimal
    amount: Decimal
    waived_amount: Decimal


class QuoteOut(Schema):
    id: int
    state: str
    parts_total: Decimal
    labour_total: Decimal
    travel_total: Decimal
    waived_total: Decimal
    total: Decimal
    accept_token: str
    lines: list[QuoteLineOut]


class QuoteDecisionIn(In):
    columns_of = Quote
    accept: bool
    by_name: str


class CandidateOut(Schema):
    user_id: int
    name: str
    eligible: bool
    score: float
    distance_km: float | None
    reasons: list[str]


class DispatchIn(In):
    technician_ids: list[int]
    remote: bool = False
    note: str = ""
    window_start: dt.datetime | None = None
    window_end: dt.datetime | None = None
    confirm_late: bool = Field(False, description="预约晚于到场时限时，确认客户要求此时间")


class ReassignIn(In):
    technician_ids: list[int]
    reason: str


class WindowIn(In):
    start: dt.datetime
    end: dt.datetime
    confirm_late: bool = Field(False, description="预约晚于到场时限时，确认客户要求此时间")


class CheckInIn(In):
    lat: Decimal | None = Field(None, ge=-90, le=90)
    lng: Decimal | None = Field(None, ge=-180, le=180)


class CheckOutIn(In):
    reason: str = Field(
        "", max_length=15, description="报告未提交时必填：parts / customer / report_later"
    )
    note: str = Field("", max_length=200, description="缺什么配件、客户何时方便")


class ReportPartIn(In):
    part_code: str
    quantity: int = Field(1, ge=1)
    keep_old_part: bool = True


class ReportIn(In):
    columns_of = ServiceReport
    phenomenon: str = ""
    environment: str = ""
    cause: str = ""
    cause_class: str = ""
    fault_category: str = ""
    component_code: str = ""
    responsibility: str = ""
    actions: str = ""
    remote: bool = False
    minutes_spent: int = Field(0, ge=0)
    no_parts_used: bool = False
    customer_opinion: str = ""
    quick_rating: int | None = Field(None, ge=1, le=5)
    parts: list[ReportPartIn] = []


class ReportOut(Schema):
    id: int
    work_order_id: int
    phenomenon: str
    cause: str
    responsibility: str
    actions: str
    customer_opinion: str
    signed_by: str
    signed_at: dt.datetime | None
    filed_at: dt.datetime | None
    filed_late: bool
    repeat_of_id: int | None
    confirm_token: str
    missing: list[str]

    @staticmethod
    def resolve_missing(obj: Any) -> list[str]:
        return list(obj.missing_fields())


class SignIn(In):
    columns_of = ServiceReport
    signature_png: str = Field(..., max_length=limits.SIGNATURE_MAX)
    signed_by: str


class CallbackIn(In):
    columns_of = Callback
    attitude: int
    quality: int
    solved: bool
    score: int
    comment: str = ""
    dissatisfaction_cause: str = ""
    channel: str = "phone"


class CallbackOut(Schema):
    id: int
    kind: str
    ticket_id: int | None
    customer_id: int
    due_date: dt.date
    state: str
    score: int | None
    solved: bool | None
    dissatisfaction_cause: str
    attempts: int
    next_attempt_at: dt.datetime | None


class UnreachableIn(In):
    columns_of = Callback
    note: str = Field("", max_length=200, description="联系情况（如：无人接听、关机）")


class QrTicketIn(In):
    columns_of = Ticket
    phone: str
    contact_name: str
    description: str = Field(..., min_length=2, max_length=2000)
    severity: str = "normal"
    different_fault: bool = False  # the equipment has an open ticket: this is another fault
    different_fault_reason: str = ""


class QrEquipmentOut(Schema):
    serial_no: str
    model: str
    site: str
    customer: str


class ResponsibilityIn(In):
    person_id: int
    cause: str = Field(..., min_length=1, max_length=200)


class FactOut(Schema):
    id: int
    person_id: int
    kind: str
    source_repr: str
    occurred_at: dt.datetime
    details: dict[str, Any]
    outcome: str


def _factory_max(field: str) -> int:
    from aftersales.service.models import FactoryRepair

    return int(getattr(FactoryRepair._meta.get_field(field), "max_length", None) or 0)


class FactorySendIn(In):
    """返厂维修: why, what is sent, and the carrier / waybill (free text)."""

    reason: str = Field(..., max_length=_factory_max("reason"))
    items: str = Field(..., max_length=_factory_max("items"))
    waybill: str = Field(..., max_length=_factory_max("waybill"))


class FactoryShipBackIn(In):
    note: str = Field(..., max_length=_factory_max("repair_note"))
    waybill: str = Field(..., max_length=_factory_max("return_waybill"))


class FactoryReceiveIn(In):
    note: str = Field("", max_length=_factory_max("repair_note"))


class FactoryEventOut(Schema):
    at: dt.datetime
    who: str
    label: str
    reason: str


class FactoryDeadlineOut(Schema):
    step: str
    label: str
    due_at: dt.datetime
    done_at: dt.datetime | None
    escalated_at: dt.datetime | None
    overdue: bool


class FactoryRepairOut(Schema):
    """A trip to the factory; for a customer or a dealer the texts are empty and the events
    and deadlines are the customer-facing ones."""

    id: int
    ticket_id: int
    number: str
    state: str
    state_label: str
    reason: str
    items: str
    waybill: str
    repair_note: str
    return_waybill: str
    sent_at: dt.datetime
    arrived_at: dt.datetime | None
    shipped_back_at: dt.datetime | None
    received_at: dt.datetime | None
    events: list[FactoryEventOut]
    deadlines: list[FactoryDeadlineOut]

    @staticmethod
    def of(view: Any) -> dict[str, Any]:
        """The output of a ``selectors.FactoryRepairView``."""
        r = view.repair
        texts = ("reason", "items", "waybill", "repair_note", "return_waybill")
        return {
            "id": r.pk,
            "ticket_id": r.ticket_id,
            "number": r.number,
            "state": r.state,
            "state_label": str(r.get_state_display()),
            **{name: "" if view.external else getattr(r, name) for name in texts},
            "sent_at": r.sent_at,
            "arrived_at": r.arrived_at,
            "shipped_back_at": r.shipped_back_at,
            "received_at": r.received_at,
            "events": view.events,
            "deadlines": view.deadlines,
        }
