from aftersales.quality.models.capa import (
    CapaKind,
    CapaSource,
    CapaState,
    CapaVerification,
    CorrectiveAction,
)
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
    "CapaKind",
    "CapaSource",
    "CapaState",
    "CapaVerification",
    "Complainant",
    "Complaint",
    "ComplaintCategory",
    "ComplaintChannel",
    "ComplaintState",
    "CorrectiveAction",
    "PersonIssue",
    "ProactiveCheck",
    "QualityWarning",
    "Severity",
    "WarningFault",
    "WarningState",
    "WarningThreshold",
    "WindowKind",
]
