from django.contrib import admin

from aftersales.core.admin import BusinessAdmin
from aftersales.dealers.models import (
    Dealer,
    DealerRating,
    RatingPeriod,
    RatingScheme,
    Season,
    StockingPlan,
    WarrantyCard,
)
from aftersales.dealers.services import claims


@admin.register(Dealer)
class DealerAdmin(BusinessAdmin):
    list_display = ["code", "name", "level", "region", "contact_name", "phone", "receivables"]
    list_filter = ["level", "region"]
    search_fields = ["code", "name"]

    def get_readonly_fields(self, request, obj=None):  # type: ignore[no-untyped-def]
        """Receivables are a ledger: entered once as the opening balance of a new dealer,
        moved afterwards only by ledger entries (settlements, adjustments)."""
        fields = super().get_readonly_fields(request, obj)
        return (*fields, "receivables") if obj is not None else fields

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        super().save_model(request, obj, form, change)  # the admin's save is one transaction
        if not change:
            claims.open_ledger(obj, request.user)


class ReadOnlyDocumentAdmin(BusinessAdmin):
    """Dealer documents change only through their services (web, API)."""

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(WarrantyCard)
class WarrantyCardAdmin(ReadOnlyDocumentAdmin):
    list_display = ["card_no", "dealer", "customer", "equipment", "sale_date", "received_date"]
    list_filter = ["dealer"]
    search_fields = ["card_no", "equipment__serial_no"]


@admin.register(Season)
class SeasonAdmin(ReadOnlyDocumentAdmin):
    """Seasons are opened on the stocking-plan screen (each dealer's plan is set then); the
    lead time before a season is the deadline rule ``dealers.stocking_plan`` (时限规则)."""

    list_display = ["code", "name", "starts_on", "ends_on"]
    search_fields = ["code", "name"]


@admin.register(StockingPlan)
class StockingPlanAdmin(ReadOnlyDocumentAdmin):
    list_display = ["number", "dealer", "season", "state", "due_at", "submitted_at", "late"]
    list_filter = ["season", "state", "late"]
    search_fields = ["number", "dealer__name"]


@admin.register(RatingScheme)
class RatingSchemeAdmin(BusinessAdmin):
    """经销商评级标准: the newest row not archived is in force; an edit changes the next trial
    and freeze (a frozen period keeps the parameters it was rated with)."""

    list_display = [
        "name",
        "period_months",
        "weight_arrangement",
        "weight_complaints",
        "weight_rejection",
        "weight_callbacks",
        "complaint_penalty",
        "reward_threshold",
        "downgrade_threshold",
        "reward_amount",
    ]


@admin.register(RatingPeriod)
class RatingPeriodAdmin(ReadOnlyDocumentAdmin):
    """Frozen on the dealer-rating screen (once per period)."""

    list_display = ["starts_on", "ends_on", "frozen_at", "frozen_by"]


@admin.register(DealerRating)
class DealerRatingAdmin(ReadOnlyDocumentAdmin):
    list_display = ["period", "dealer", "score", "outcome", "level_before", "level_after"]
    list_filter = ["period", "outcome"]
    search_fields = ["dealer__name", "dealer__code"]
