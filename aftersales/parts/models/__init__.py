from aftersales.parts.models.closing import ClosingItem, ClosingRun, MonthlyAnalysis, ReviewState
from aftersales.parts.models.request import (
    CLOSED_STATES,
    OUTSTANDING_STATES,
    ChargeType,
    Group,
    PartsRequest,
    PartsRequestLine,
    PartsRequestState,
    Source,
)
from aftersales.parts.models.shipping import (
    BorrowingState,
    LoadingList,
    LoadingListItem,
    LoadingListKind,
    LoadingListState,
    PackBorrowing,
)
from aftersales.parts.models.store import PartsReceipt, Supplier

__all__ = [
    "CLOSED_STATES",
    "OUTSTANDING_STATES",
    "BorrowingState",
    "ChargeType",
    "ClosingItem",
    "ClosingRun",
    "Group",
    "LoadingList",
    "LoadingListItem",
    "LoadingListKind",
    "LoadingListState",
    "MonthlyAnalysis",
    "PackBorrowing",
    "PartsReceipt",
    "PartsRequest",
    "PartsRequestLine",
    "PartsRequestState",
    "ReviewState",
    "Source",
    "Supplier",
]
