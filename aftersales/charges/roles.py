"""Default permissions of the charges domain per role (added to accounts.roles). Who may
record a payment, reverse a receipt, claim or reimburse expenses is checked by the services;
these are the view rights that the pages and the admin read."""

from __future__ import annotations

from aftersales.accounts.roles import OFFICE_ROLES, app_perms, extend_role_permissions

MODELS = ["payment", "receipt", "expenseclaim", "expenseline"]

# who takes a customer's money for a chargeable job (a technician: cash on site)
COLLECT = frozenset({"agent", "coordinator", "finance", "technician", "manager", "admin"})
# who issues a credit note (红字收据) reversing a receipt
REVERSE = frozenset({"finance", "manager", "admin"})
# who reimburses an approved expense claim
REIMBURSE = frozenset({"finance", "admin"})


def register() -> None:
    for role in OFFICE_ROLES:
        extend_role_permissions(role, app_perms("charges", "view", MODELS))
    for role in COLLECT:
        extend_role_permissions(role, app_perms("charges", "add", ["payment", "receipt"]))
    extend_role_permissions(
        "technician", app_perms("charges", "view,add,change", ["expenseclaim", "expenseline"])
    )
    extend_role_permissions("technician", app_perms("charges", "view", ["payment", "receipt"]))
    extend_role_permissions("customer", app_perms("charges", "view", ["payment", "receipt"]))
