from aftersales.stock.models.location import Bin, Warehouse, WarehouseKind
from aftersales.stock.models.movement import Movement, MovementKind, MovementLine
from aftersales.stock.models.stock import Lot, LotSource, StockLevel

__all__ = [
    "Bin",
    "Lot",
    "LotSource",
    "Movement",
    "MovementKind",
    "MovementLine",
    "StockLevel",
    "Warehouse",
    "WarehouseKind",
]
