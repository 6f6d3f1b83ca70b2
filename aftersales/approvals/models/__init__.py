from aftersales.approvals.models.deadline import Deadline, DeadlineRule, DeadlineUnit
from aftersales.approvals.models.flow import (
    ApprovalFlow,
    ApprovalRequest,
    ApprovalStep,
    ApprovalTask,
    Decision,
    RequestState,
    TaskState,
)

__all__ = [
    "ApprovalFlow",
    "ApprovalRequest",
    "ApprovalStep",
    "ApprovalTask",
    "Deadline",
    "DeadlineRule",
    "DeadlineUnit",
    "Decision",
    "RequestState",
    "TaskState",
]
