"""Reads for the installed base: the policy that applies to a piece of equipment and its
warranty status for display."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from aftersales.core.cache import TimedCache
from aftersales.installed_base.models import Equipment, ProductModel, WarrantyPolicy
from aftersales.installed_base.supply import PartsSupply, parts_supply

EQUIPMENT_SEARCH: tuple[str, ...] = (
    "serial_no",
    "model__code",
    "model__name",
    "site__name",
    "site__customer__name",
)
"""What an equipment list's ?q= searches (web list, API, the QR label sheet)."""

_POLICIES: TimedCache[dict[str, WarrantyPolicy]] = TimedCache(WarrantyPolicy)


def category_policies(category_id: int) -> dict[str, WarrantyPolicy]:
    """The active policies of a category by component code ("" = the whole unit); read on
    every registration, so kept a minute per process (dropped here on any policy edit)."""

    def load() -> dict[str, WarrantyPolicy]:
        active = WarrantyPolicy.objects.active().filter(category_id=category_id)
        return {p.component_code: p for p in active}

    return dict(_POLICIES.get(category_id, load))


def policy_for(
    equipment: Equipment,
    component_code: str = "",
    policies: dict[str, WarrantyPolicy] | None = None,
) -> WarrantyPolicy | None:
    """Model's own policy, else the category's policy for the component, else for the unit."""
    if not component_code and equipment.model.warranty_policy_id:
        return equipment.model.warranty_policy
    if policies is None:
        policies = category_policies(equipment.model.category_id)
    return policies.get(component_code) or policies.get("")


@dataclass
class WarrantyStatus:
    label: str
    css: str
    policy: WarrantyPolicy | None = None
    start: date | None = None
    end: date | None = None
    latent_until: date | None = None
    reasons: list[str] = field(default_factory=list)


def warranty_status(equipment: Equipment, today: date | None = None) -> WarrantyStatus:
    from aftersales.installed_base.warranty_facts import status_for

    return status_for(equipment, policy_for(equipment), today)


def supply_of(model: ProductModel, today: date | None = None) -> PartsSupply:
    """Whether the model's spare parts are still guaranteed (``supply.with_parts_supply`` is
    the same rule as a query)."""
    return parts_supply(
        model.discontinued_on, model.parts_supply_years, today or timezone.localdate()
    )


def site_warranty_end(site_id: int, today: date | None = None) -> date | None:
    """When the site's warranty ends: the latest warranty end of its equipment by the
    warranty rule (their policies, start events and periods); None when no equipment of the
    site has a known warranty."""
    equipment = (
        Equipment.objects.active()
        .filter(site_id=site_id)
        .select_related("model__category", "model__warranty_policy", "site")
    )
    ends = [warranty_status(eq, today).end for eq in equipment]
    return max((end for end in ends if end is not None), default=None)
