from aftersales.returns.models.request import (
    CLOSED_RETURN_STATES,
    CreditNote,
    CreditState,
    CustomerResponse,
    FreightPayer,
    Outcome,
    Packaging,
    ResolutionMethod,
    ReturnKind,
    ReturnLine,
    ReturnRequest,
    ReturnState,
    StockCause,
)
from aftersales.returns.models.rule import ReturnRule

__all__ = [
    "CLOSED_RETURN_STATES",
    "CreditNote",
    "CreditState",
    "CustomerResponse",
    "FreightPayer",
    "Outcome",
    "Packaging",
    "ResolutionMethod",
    "ReturnKind",
    "ReturnLine",
    "ReturnRequest",
    "ReturnRule",
    "ReturnState",
    "StockCause",
]
