from django.contrib import admin

from aftersales.core.admin import BusinessAdmin
from aftersales.quality.models import Complaint


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
