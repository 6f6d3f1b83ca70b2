"""Input and output schemas of the maintenance API."""

import datetime as dt
from decimal import Decimal
from typing import Any

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
    visit_from: dt.time | None = None
    visit_until: dt.time | None = None
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
    skill_id: int | None
    duration_minutes: int
    visit_from: dt.time | None
    visit_until: dt.time | None
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
    cancel_note: str
    ticket_id: int | None
    overdue: bool
    completed_at: dt.datetime | None
    signed_by: str

    @staticmethod
    def resolve_overdue(obj: MaintenanceVisit) -> bool:
        return obj.is_overdue

    @staticmethod
    def resolve_cancel_note(obj: MaintenanceVisit, context: Any) -> str:
        """The planner's reason is for the company: a customer or dealer gets none."""
        from aftersales.approvals.audience import is_external

        request = (context or {}).get("request")
        return "" if request is None or is_external(request.user) else obj.cancel_note


class _ItemResult(Schema):
    """A checklist result with its item's facts (the staff's and the portal's answer)."""

    seq: int
    text: str
    expected: str

    @staticmethod
    def resolve_seq(obj: InspectionResult) -> int:
        return obj.item.seq

    @staticmethod
    def resolve_text(obj: InspectionResult) -> str:
        return obj.item.text

    @staticmethod
    def resolve_expected(obj: InspectionResult) -> str:
        return obj.item.expected


class ResultOut(_ItemResult):
    item_id: int
    outcome: str
    value: Decimal | None
    out_of_range: bool
    remark: str
    follow_up_id: int | None


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


class CancelVisitIn(In):
    """A planner cancels one visit by hand; the reason is required (its column's length)."""

    columns_of = MaintenanceVisit
    cancel_note: str = Field("", description="取消原因（必填）")


class CompletionOut(Schema):
    visit: VisitDetailOut
    follow_up_ticket_ids: list[int]


class CoverageOut(Schema):
    period: str
    planned: int
    done: int
    overdue: int
    cancelled: int


# --- the customer portal: customer-facing facts only (no internal notes, no coordinator,
# no generation settings, no overdue bookkeeping)


def _portal_state(obj: MaintenanceVisit) -> str:
    from django.utils.translation import gettext

    from aftersales.maintenance.selectors import PORTAL_STATE_LABELS

    return gettext(PORTAL_STATE_LABELS.get(obj.state, obj.state))


def ticket_progress(state: str) -> str:
    """A ticket's state as the customer's progress step (the portal's words)."""
    from django.utils.translation import gettext

    from aftersales.service.views.portal import progress_steps

    current = [s["label"] for s in progress_steps(state) if s["current"]]
    return gettext(current[0] if current else "已取消")


class PortalVisitOut(Schema):
    id: int
    plan_id: int
    due_date: dt.date
    state: str
    state_label: str
    completed_at: dt.datetime | None

    @staticmethod
    def resolve_state_label(obj: MaintenanceVisit) -> str:
        return _portal_state(obj)


class PortalPlanOut(Schema):
    id: int
    number: str
    name: str
    kind: str
    kind_label: str
    customer_name: str
    site_name: str
    contract_code: str
    recurrence: str
    recurrence_label: str
    interval: int
    window_name: str
    start_date: dt.date
    end_date: dt.date | None
    visit_from: dt.time | None
    visit_until: dt.time | None
    equipment: list[str]
    next_visits: list[PortalVisitOut]

    @staticmethod
    def resolve_kind_label(obj: MaintenancePlan) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_customer_name(obj: MaintenancePlan) -> str:
        return obj.customer.name

    @staticmethod
    def resolve_site_name(obj: MaintenancePlan) -> str:
        return obj.site.name if obj.site else ""

    @staticmethod
    def resolve_contract_code(obj: MaintenancePlan) -> str:
        return obj.contract.code if obj.contract else ""

    @staticmethod
    def resolve_recurrence_label(obj: MaintenancePlan) -> str:
        return str(obj.get_recurrence_display())

    @staticmethod
    def resolve_window_name(obj: MaintenancePlan) -> str:
        return obj.window.name if obj.window else ""

    @staticmethod
    def resolve_equipment(obj: MaintenancePlan) -> list[str]:
        return [f"{e.model.name} #{e.serial_no}" for e in obj.equipment.all()]

    @staticmethod
    def resolve_next_visits(obj: MaintenancePlan) -> list[MaintenanceVisit]:
        from aftersales.maintenance.selectors import PORTAL_NEXT_VISITS

        return list(getattr(obj, "open_visits", []))[:PORTAL_NEXT_VISITS]


class PortalFollowUpOut(Schema):
    id: int
    number: str
    progress: str

    @staticmethod
    def resolve_progress(obj: Any) -> str:
        return ticket_progress(obj.state)


class PortalResultOut(_ItemResult):
    outcome: str
    outcome_label: str
    value: Decimal | None
    unit: str
    out_of_range: bool
    remark: str
    follow_up: PortalFollowUpOut | None

    @staticmethod
    def resolve_unit(obj: InspectionResult) -> str:
        return obj.item.unit

    @staticmethod
    def resolve_outcome_label(obj: InspectionResult) -> str:
        return str(obj.get_outcome_display())


class PortalReportRowOut(PortalVisitOut):
    """A completed inspection in the customer's list of reports."""

    plan_number: str
    plan_name: str
    site_name: str
    signed_by: str
    failed_count: int
    report_pdf_url: str | None

    @staticmethod
    def resolve_plan_number(obj: MaintenanceVisit) -> str:
        return obj.plan.number

    @staticmethod
    def resolve_plan_name(obj: MaintenanceVisit) -> str:
        return obj.plan.name

    @staticmethod
    def resolve_site_name(obj: MaintenanceVisit) -> str:
        return obj.plan.site.name if obj.plan.site else ""

    @staticmethod
    def resolve_failed_count(obj: MaintenanceVisit) -> int:
        if hasattr(obj, "failed_count"):
            return int(obj.failed_count)
        return sum(1 for r in getattr(obj, "report_results", []) if r.outcome == "fail")

    @staticmethod
    def resolve_report_pdf_url(obj: MaintenanceVisit) -> str | None:
        from django.urls import reverse

        if obj.state != "done":
            return None
        return reverse("maintenance:report_pdf", args=[obj.pk])


class PortalReportOut(PortalReportRowOut):
    """A visit as the customer sees it; once done, its signed report (results, failed items
    and the repair ticket each raised)."""

    checklist: str
    signed_at: dt.datetime | None
    conclusion: str
    results: list[PortalResultOut]

    @staticmethod
    def resolve_checklist(obj: MaintenanceVisit) -> str:
        return str(obj.checklist) if obj.checklist_id and obj.state == "done" else ""

    @staticmethod
    def resolve_conclusion(obj: MaintenanceVisit) -> str:
        return obj.remark if obj.state == "done" else ""

    @staticmethod
    def resolve_results(obj: MaintenanceVisit) -> list[InspectionResult]:
        return list(getattr(obj, "report_results", []))
