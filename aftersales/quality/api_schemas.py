"""Input and output schemas of the quality API. Internal investigation and handling details
are one nested block, ``internal``, left empty for customers and dealers."""

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Field, Schema

from aftersales.approvals.api import ApprovalRequestOut as ApprovalOut
from aftersales.approvals.api_common import DeadlineOut, EventOut
from aftersales.core.schemas import In
from aftersales.quality.models import (
    CapaVerification,
    Complaint,
    CorrectiveAction,
    OldPart,
    QualityReview,
    QualityWarning,
    ReviewAction,
)


class ComplaintIn(In):
    columns_of = Complaint
    category: str = Field(
        "", description="quality_defect / human_factors / service_attitude / other"
    )
    description: str = ""
    channel: str = Field("phone", description="phone / letter / visit / portal / dealer")
    contact_name: str = ""
    contact_phone: str = ""
    demand: str = ""
    customer_id: int | None = None
    dealer_id: int | None = None
    equipment_id: int | None = None
    ticket_id: int | None = None
    callback_id: int | None = None
    order_no: str = ""
    part_code: str = ""
    ship_date: dt.date | None = None
    quantity: int | None = None
    defective_quantity: int | None = None
    person_issue: str = Field(
        "", description="rudeness / asking_money / late_personal / repeat_repair"
    )
    staff_member_id: int | None = None


class ComplaintReplyIn(In):
    columns_of = Complaint
    text: str
    replied_at: dt.datetime | None = None


class ComplaintInvestigateIn(In):
    columns_of = Complaint
    cause: str
    severity: str = Field(..., description="minor / serious / not_our_fault")
    responsible_department_id: int | None = None
    production_batch: str = ""
    production_line: str = ""
    production_people: str = ""
    production_date: dt.date | None = None
    person_accountable: bool | None = None


class ComplaintHandlingIn(In):
    columns_of = Complaint
    measures_production: str
    measures_technical: str
    solution: str
    department_ids: list[int]


class ComplaintFeedbackIn(In):
    columns_of = Complaint
    feedback: str


class ComplaintExplainIn(In):
    columns_of = Complaint
    appraisal_result: str
    appraisal_basis: str
    advice: str = ""


class ComplaintCancelIn(In):
    columns_of = Complaint
    reason: str = ""


class ComplaintOut(Schema):
    id: int
    number: str
    state: str
    state_label: str = Field(..., alias="get_state_display")
    channel: str
    complainant: str
    category: str
    category_label: str = Field(..., alias="get_category_display")
    customer_id: int | None
    customer_name: str | None = None
    dealer_id: int | None
    description: str
    registered_at: dt.datetime
    replied_at: dt.datetime | None
    closed_at: dt.datetime | None

    @staticmethod
    def resolve_customer_name(obj: Any) -> str | None:
        return obj.customer.name if obj.customer_id else None


class ComplaintInternalOut(Schema):
    """Investigation, handling form and the person complained about: staff only."""

    person_issue: str
    staff_member_id: int | None
    staff_member_name: str | None = None
    cause: str
    responsible_department: str | None = None
    production_batch: str
    production_line: str
    production_people: str
    production_date: dt.date | None
    severity: str
    investigated_at: dt.datetime | None
    measures_production: str
    measures_technical: str
    solution: str

    @staticmethod
    def resolve_staff_member_name(obj: Any) -> str | None:
        return str(obj.staff_member) if obj.staff_member_id else None

    @staticmethod
    def resolve_responsible_department(obj: Any) -> str | None:
        return obj.responsible_department.name if obj.responsible_department_id else None


class ComplaintDetailOut(ComplaintOut):
    contact_name: str
    contact_phone: str
    demand: str
    order_no: str
    part_code: str | None = None
    ship_date: dt.date | None
    quantity: int | None
    defective_quantity: int | None
    equipment_id: int | None
    ticket_id: int | None
    reply_text: str
    feedback: str
    appraisal_result: str
    appraisal_basis: str
    internal: ComplaintInternalOut | None
    deadlines: list[DeadlineOut]
    approvals: list[ApprovalOut]
    timeline: list[EventOut]
    allowed_actions: list[str]

    @staticmethod
    def resolve_part_code(obj: Any) -> str | None:
        return obj.part.code if obj.part_id else None


class QualityWarningOut(Schema):
    id: int
    number: str
    state: str
    state_label: str = Field(..., alias="get_state_display")
    product_model_id: int
    product_model_code: str = ""
    component_code: str
    cause_class: str
    window: str
    period_start: dt.date
    period_end: dt.date
    fault_count: int
    installed_units: int
    threshold_text: str
    raised_at: dt.datetime
    checks_created_at: dt.datetime | None

    @staticmethod
    def resolve_product_model_code(obj: Any) -> str:
        return str(obj.product_model.code)


class WarningFaultOut(Schema):
    equipment_id: int
    serial_no: str
    occurred_at: dt.datetime
    report_id: int | None
    complaint_id: int | None


class CheckCandidateOut(Schema):
    equipment_id: int
    serial_no: str
    software_version: str
    batch_no: str
    customer_name: str
    site_name: str
    ticket_id: int | None = None
    ticket_number: str | None = None


class WarningTrendOut(Schema):
    months: list[str]
    counts: list[int]


class QualityWarningDetailOut(QualityWarningOut):
    """The payload sets ``faults_out``, ``check_list_out`` and ``trend_out`` on the warning."""

    faults: list[WarningFaultOut] = []
    check_list: list[CheckCandidateOut] = []
    trend: WarningTrendOut | None = None

    @staticmethod
    def resolve_faults(obj: Any) -> Any:
        return obj.faults_out

    @staticmethod
    def resolve_check_list(obj: Any) -> Any:
        return obj.check_list_out

    @staticmethod
    def resolve_trend(obj: Any) -> Any:
        return obj.trend_out


class WarningChecksOut(Schema):
    created: int
    ticket_numbers: list[str]
    skipped_serials: list[str]


# ---------------------------------------------------------------- old parts


class OldPartIn(In):
    columns_of = OldPart
    part_code: str
    quantity: int = 1
    source: str = Field("manual", description="manual / return")
    ticket_number: str = Field("", max_length=20)
    source_note: str = ""
    fault: str = ""
    due_date: dt.date | None = None


class OldPartShipIn(In):
    columns_of = OldPart
    waybill: str = ""


class OldPartReceiveIn(In):
    columns_of = OldPart
    warehouse_id: int
    bin_id: int | None = None


class OldPartAppraiseIn(In):
    columns_of = OldPart
    disposition: str = Field(..., description="reusable / scrap / supplier_claim")
    appraisal: str
    supplier: str = ""
    supplier_email: str = ""
    unit_cost: Decimal | None = Field(None, ge=0, max_digits=12, decimal_places=2)


class OldPartCloseClaimIn(In):
    columns_of = OldPart
    claim_result: str


class OldPartWaiveIn(In):
    columns_of = OldPart
    waive_reason: str


class OldPartOut(Schema):
    id: int
    number: str
    state: str
    state_label: str = Field(..., alias="get_state_display")
    source: str
    part_code: str
    part_name: str
    quantity: int
    ticket_id: int | None
    ticket_number: str | None = None
    source_note: str
    dealer_id: int | None
    equipment_id: int | None
    due_date: dt.date
    shipped_at: dt.datetime | None
    waybill: str
    received_at: dt.datetime | None
    warehouse_id: int | None
    bin_id: int | None
    disposition: str
    movement_number: str | None = None

    @staticmethod
    def resolve_part_code(obj: Any) -> str:
        return str(obj.part.code)

    @staticmethod
    def resolve_part_name(obj: Any) -> str:
        return str(obj.part.name)

    @staticmethod
    def resolve_ticket_number(obj: Any) -> str | None:
        return obj.ticket.number if obj.ticket_id else None

    @staticmethod
    def resolve_movement_number(obj: Any) -> str | None:
        return obj.movement.number if obj.movement_id else None


class OldPartDetailOut(OldPartOut):
    """The appraisal's text and the supplier are the company's: empty for a dealer."""

    appraisal: str
    supplier: str
    claim_result: str
    waive_reason: str
    allowed_actions: list[str] = []
    deadlines: list[DeadlineOut] = []
    timeline: list[EventOut] = []


class SettlementCheckOut(Schema):
    ticket_id: int
    settleable: bool
    reasons: list[str]


class WarningCloseIn(In):
    columns_of = QualityWarning
    close_note: str


# ---------------------------------------------------------------- CAPA


class CapaIn(In):
    columns_of = CorrectiveAction
    title: str
    kind: str = Field("corrective", description="corrective / rectification")
    source: str = Field("manual", description="manual / repeat_repair")
    product_model_id: int | None = None
    source_note: str = ""


class CapaPlanIn(In):
    columns_of = CorrectiveAction
    cause: str
    measures: str
    owner_department_id: int
    owner_id: int | None = None
    deadline: dt.date


class CapaSubmitIn(In):
    columns_of = CorrectiveAction
    done_note: str


class CapaVerifyIn(In):
    columns_of = CapaVerification
    effective: bool
    note: str
    new_deadline: dt.date | None = None


class CapaCancelIn(In):
    columns_of = CorrectiveAction
    cancel_reason: str


class CapaVerificationOut(Schema):
    verified_by_id: int
    verified_at: dt.datetime
    effective: bool
    note: str
    new_deadline: dt.date | None


class CapaOut(Schema):
    id: int
    number: str
    kind: str
    source: str
    state: str
    state_label: str = Field(..., alias="get_state_display")
    title: str
    complaint_id: int | None
    warning_id: int | None
    product_model_id: int | None
    owner_department_id: int | None
    owner_id: int | None
    deadline: dt.date | None
    reopen_count: int
    opened_at: dt.datetime
    closed_at: dt.datetime | None


class CapaDetailOut(CapaOut):
    source_note: str
    cause: str
    measures: str
    done_note: str
    submitted_at: dt.datetime | None
    submitted_by_id: int | None
    cancel_reason: str
    verifications: list[CapaVerificationOut] = []
    allowed_actions: list[str] = []
    deadlines: list[DeadlineOut] = []
    timeline: list[EventOut] = []

    @staticmethod
    def resolve_verifications(obj: Any) -> Any:
        return list(obj.verifications.all())


# ---------------------------------------------------------------- monthly quality review


class ReviewIn(In):
    columns_of = QualityReview
    month: str = Field(..., max_length=7, description="the finished month, YYYY-MM")


class ReviewConclusionsIn(In):
    columns_of = QualityReview
    conclusions: str = Field(..., max_length=4000)


class ReviewActionIn(In):
    columns_of = ReviewAction
    description: str
    owner_id: int
    due_date: dt.date
    department_id: int | None = None


class ReviewActionDoneIn(In):
    columns_of = ReviewAction
    done_note: str


class ReviewActionCancelIn(In):
    columns_of = ReviewAction
    cancel_reason: str


class FigureRowOut(Schema):
    code: str
    label: str
    count: int


class PersonComplaintOut(Schema):
    complaint: str
    person: str
    issue: str
    outcome: str


class ComplaintFiguresOut(Schema):
    total: int
    cancelled: int
    closed: int
    reply_late: int
    by_category: list[FigureRowOut]
    by_severity: list[FigureRowOut]
    by_complainant: list[FigureRowOut]
    by_product: list[FigureRowOut]
    by_department: list[FigureRowOut]
    person_complaints: list[PersonComplaintOut]


class RepeatRepairOut(Schema):
    ticket: str
    repeat_of: str
    serial_no: str
    product_model: str
    filed_at: str


class OverdueCapaOut(Schema):
    number: str
    title: str
    due: dt.date
    department: str


class WarningFiredOut(Schema):
    number: str
    product_model: str
    component: str
    cause: str
    window: str
    fault_count: int


class OldPartFiguresOut(Schema):
    due: int
    back_on_time: int
    back_late: int
    waived: int
    out_at_month_end: int
    overdue_at_month_end: int
    appraised: list[FigureRowOut]


class ReviewFiguresOut(Schema):
    month: str
    complaints: ComplaintFiguresOut
    repeat_repairs: list[RepeatRepairOut]
    overdue_capas: list[OverdueCapaOut]
    warnings: list[WarningFiredOut]
    old_parts: OldPartFiguresOut


class ReviewActionOut(Schema):
    id: int
    number: str
    description: str
    owner_id: int
    owner_name: str
    department_id: int | None
    due_date: dt.date
    state: str
    state_label: str = Field(..., alias="get_state_display")
    done_at: dt.datetime | None
    done_note: str
    cancel_reason: str

    @staticmethod
    def resolve_owner_name(obj: Any) -> str:
        return str(obj.owner)


class ReviewOut(Schema):
    id: int
    number: str
    month: dt.date
    state: str
    state_label: str = Field(..., alias="get_state_display")
    opened_at: dt.datetime
    submitted_at: dt.datetime | None
    closed_at: dt.datetime | None


class ReviewDetailOut(ReviewOut):
    conclusions: str
    figures: ReviewFiguresOut = Field(..., alias="figures_out")
    actions: list[ReviewActionOut] = Field(..., alias="actions_out")
    allowed_actions: list[str] = []
    approvals: list[ApprovalOut] = []
