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
from aftersales.dealers.models.rating import DealerRating, RatingOutcome, RatingPeriod, RatingScheme
from aftersales.dealers.models.stocking import (
    EDITABLE_PLAN_STATES,
    PlanState,
    Season,
    StockingPlan,
    StockingPlanLine,
)
from aftersales.dealers.models.task import OPEN_TASK_STATES, DealerTask, TaskState

__all__ = [
    "EDITABLE_PLAN_STATES",
    "OPEN_TASK_STATES",
    "ClaimLine",
    "ClaimState",
    "Dealer",
    "DealerRating",
    "DealerTask",
    "LedgerEntry",
    "NoticeState",
    "PlanState",
    "RatingOutcome",
    "RatingPeriod",
    "RatingScheme",
    "Season",
    "SettlementNotice",
    "StockingPlan",
    "StockingPlanLine",
    "TaskState",
    "WarrantyCard",
    "WarrantyClaim",
]
