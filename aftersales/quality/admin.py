from django.contrib import admin

from aftersales.core.admin import BusinessAdmin
from aftersales.quality.models import (
    Complaint,
    OldPart,
    OldPartTerm,
    QualityWarning,
    WarningThreshold,
)


@admin.register(Complaint)
class ComplaintAdmin(BusinessAdmin):
    """Complaints change only through their services (web, API)."""

    list_display = [
        "number",
        "state",
        "category",
        "severity",
        "customer",
        "dealer",
        "registered_at",
    ]
    list_filter = ["state", "category", "severity", "channel"]
    search_fields = ["number", "description", "customer__name", "dealer__name"]
    date_hierarchy = "registered_at"

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(WarningThreshold)
class WarningThresholdAdmin(BusinessAdmin):
    """Warning thresholds are data an administrator tunes (archived, never deleted)."""

    list_display = ["category", "window", "min_count", "min_rate", "note"]
    list_filter = ["window", "category"]


@admin.register(QualityWarning)
class QualityWarningAdmin(BusinessAdmin):
    """Warnings are raised by the scan and handled on their page."""

    list_display = ["number", "state", "product_model", "component_code", "window", "period_start"]
    list_filter = ["state", "window"]
    search_fields = ["number", "product_model__code", "component_code"]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(OldPartTerm)
class OldPartTermAdmin(BusinessAdmin):
    """A dealer's own return term for old parts (data; the rule applies to the others)."""

    list_display = ["dealer", "days", "note"]
    search_fields = ["dealer__name", "dealer__code"]
    autocomplete_fields = ["dealer"]


@admin.register(OldPart)
class OldPartAdmin(BusinessAdmin):
    """Old parts change only through their services (web, API)."""

    list_display = ["number", "state", "part", "quantity", "ticket", "dealer", "due_date"]
    list_filter = ["state", "source", "disposition"]
    search_fields = ["number", "part__code", "ticket__number", "source_note"]
    date_hierarchy = "registered_at"

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
