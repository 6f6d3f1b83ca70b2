from aftersales.stock.models.count import (
    OPEN_STATES,
    CountState,
    StockCount,
    StockCountLine,
)
from aftersales.stock.models.loaner import Loan, LoanerState, LoanerUnit
from aftersales.stock.models.location import PARTS_STORES, Bin, Warehouse, WarehouseKind
from aftersales.stock.models.movement import (
    Movement,
    MovementKind,
    MovementLine,
    Shortage,
    ShortageState,
)
from aftersales.stock.models.policy import MinStock, StockPolicy
from aftersales.stock.models.stock import Lot, LotSource, StockLevel

__all__ = [
    "OPEN_STATES",
    "PARTS_STORES",
    "Bin",
    "CountState",
    "Loan",
    "LoanerState",
    "LoanerUnit",
    "Lot",
    "LotSource",
    "MinStock",
    "Movement",
    "MovementKind",
    "MovementLine",
    "Shortage",
    "ShortageState",
    "StockCount",
    "StockCountLine",
    "StockLevel",
    "StockPolicy",
    "Warehouse",
    "WarehouseKind",
]
