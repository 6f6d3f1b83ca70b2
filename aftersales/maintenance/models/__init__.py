from aftersales.maintenance.models.checklist import ChecklistItem, ChecklistTemplate, ItemKind
from aftersales.maintenance.models.plan import (
    PHONE_KINDS,
    MaintenancePlan,
    PlanKind,
    Recurrence,
    SeasonalWindow,
)
from aftersales.maintenance.models.visit import (
    NOT_STARTED,
    OPEN_VISIT_STATES,
    CancelReason,
    InspectionResult,
    MaintenanceVisit,
    VisitState,
)

__all__ = [
    "NOT_STARTED",
    "OPEN_VISIT_STATES",
    "PHONE_KINDS",
    "CancelReason",
    "ChecklistItem",
    "ChecklistTemplate",
    "InspectionResult",
    "ItemKind",
    "MaintenancePlan",
    "MaintenanceVisit",
    "PlanKind",
    "Recurrence",
    "SeasonalWindow",
    "VisitState",
]
