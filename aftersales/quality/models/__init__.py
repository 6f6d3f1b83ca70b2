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

__all__ = [
    "CLOSED_COMPLAINT_STATES",
    "Complainant",
    "Complaint",
    "ComplaintCategory",
    "ComplaintChannel",
    "ComplaintState",
    "PersonIssue",
    "Severity",
]
