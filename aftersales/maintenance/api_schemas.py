"""Input and output schemas of the maintenance API."""

import datetime as dt
from decimal import Decimal

from ninja import Field, Schema

from aftersales.core import limits
from aftersales.core.schemas import In
from aftersales.maintenance.models import InspectionResult, MaintenancePlan, MaintenanceVisit


class MaintenancePlanIn(In):
    columns_of = MaintenancePlan
    name: str
    kind: str
    customer_id: int
    recurrence: str
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    interval: int = 1
    site_id: int | None = None
    contract_id: int | None = None
    equipment_ids: list[int] = []
    window_id: int | None = None
    lead_days: int = 60
    release_days: int = 14
    min_engineers: int = 1
    skill_id: int | None = None
    duration_minutes: int = 120
    checklist_code: str = ""
    written_report: bool = False
    contact_name: str = ""
    contact_phone: str = ""
    coordinator_id: int | None = None
    note: str = ""


class MaintenancePlanOut(Schema):
    id: int
    number: str
    name: str
    kind: str
    customer_id: int
    site_id: int | None
    contract_id: int | None
    recurrence: str
    interval: int
    window_id: int | None
    start_date: dt.date
    end_date: dt.date | None
    lead_days: int
    release_days: int
    min_engineers: int
    duration_minutes: int
    checklist_code: str
    written_report: bool
    revision: int


class OccurrenceOut(Schema):
    key: str
    nominal: dt.date
    due: dt.date


class MaintenancePlanDetailOut(MaintenancePlanOut):
    next_occurrences: list[OccurrenceOut]


class VisitOut(Schema):
    id: int
    plan_id: int
    occurrence_key: str
    customer_id: int
    region_id: int
    nominal_date: dt.date
    due_date: dt.date
    state: str
    cancel_reason: str
    ticket_id: int | None
    overdue: bool
    completed_at: dt.datetime | None
    signed_by: str

    @staticmethod
    def resolve_overdue(obj: MaintenanceVisit) -> bool:
        return obj.is_overdue


class ResultOut(Schema):
    item_id: int
    seq: int
    text: str
    expected: str
    outcome: str
    value: Decimal | None
    out_of_range: bool
    remark: str
    follow_up_id: int | None

    @staticmethod
    def resolve_seq(obj: InspectionResult) -> int:
        return obj.item.seq

    @staticmethod
    def resolve_text(obj: InspectionResult) -> str:
        return obj.item.text

    @staticmethod
    def resolve_expected(obj: InspectionResult) -> str:
        return obj.item.expected


class VisitDetailOut(VisitOut):
    checklist_id: int | None
    results: list[ResultOut]

    @staticmethod
    def resolve_results(obj: MaintenanceVisit) -> list[InspectionResult]:
        return list(obj.results.select_related("item"))


class AnswerIn(In):
    columns_of = InspectionResult
    item_id: int
    outcome: str = ""
    value: str = ""
    remark: str = ""


class RecordIn(Schema):
    answers: list[AnswerIn]


class CompleteIn(In):
    columns_of = MaintenanceVisit
    co_engineer_ids: list[int] = []
    signed_by: str = ""
    signature_png: str = Field("", max_length=limits.SIGNATURE_MAX)
    remark: str = ""


class CompletionOut(Schema):
    visit: VisitDetailOut
    follow_up_ticket_ids: list[int]


class CoverageOut(Schema):
    period: str
    planned: int
    done: int
    overdue: int
    cancelled: int
