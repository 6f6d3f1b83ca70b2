from aftersales.charges.models.expense import ExpenseClaim, ExpenseLine, ExpenseState
from aftersales.charges.models.payment import Payment, PaymentMethod, Receipt, ReceiptKind

__all__ = [
    "ExpenseClaim",
    "ExpenseLine",
    "ExpenseState",
    "Payment",
    "PaymentMethod",
    "Receipt",
    "ReceiptKind",
]
