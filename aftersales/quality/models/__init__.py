from aftersales.quality.models.complaint import (
    CLOSED_COMPLAINT_STATES,
    Complainant,
    Complaint,
    ComplaintCategory,
    ComplaintChannel,
    ComplaintState,
    PersonIssue,
    Severity,
)
from aftersales.quality.models.warning import (
    ProactiveCheck,
    QualityWarning,
    WarningFault,
    WarningState,
    WarningThreshold,
    WindowKind,
)

__all__ = [
    "CLOSED_COMPLAINT_STATES",
    "Complainant",
    "Complaint",
    "ComplaintCategory",
    "ComplaintChannel",
    "ComplaintState",
    "PersonIssue",
    "ProactiveCheck",
    "QualityWarning",
    "Severity",
    "WarningFault",
    "WarningState",
    "WarningThreshold",
    "WindowKind",
]
