from aftersales.dealers.models.card import WarrantyCard
from aftersales.dealers.models.claim import (
    ClaimLine,
    ClaimState,
    LedgerEntry,
    NoticeState,
    SettlementNotice,
    WarrantyClaim,
)
from aftersales.dealers.models.dealer import Dealer
from aftersales.dealers.models.task import OPEN_TASK_STATES, DealerTask, TaskState

__all__ = [
    "OPEN_TASK_STATES",
    "ClaimLine",
    "ClaimState",
    "Dealer",
    "DealerTask",
    "LedgerEntry",
    "NoticeState",
    "SettlementNotice",
    "TaskState",
    "WarrantyCard",
    "WarrantyClaim",
]
