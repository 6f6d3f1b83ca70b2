from django.contrib import admin

from aftersales.core.admin import BusinessAdmin
from aftersales.staff.models import AssessmentFact, DutyShift, StaffProfile


@admin.register(StaffProfile)
class StaffProfileAdmin(BusinessAdmin):
    list_display = ["employee_no", "user", "region", "is_field_engineer", "home_address"]
    list_filter = ["region", "is_field_engineer", "skills"]
    search_fields = ["employee_no", "user__display_name", "user__username"]
    filter_horizontal = ["skills"]


@admin.register(DutyShift)
class DutyShiftAdmin(BusinessAdmin):
    list_display = ["user", "kind", "starts_at", "ends_at", "region"]
    list_filter = ["kind", "region"]
    date_hierarchy = "starts_at"


@admin.register(AssessmentFact)
class AssessmentFactAdmin(BusinessAdmin):
    """Facts are recorded by the domains; the assessor only sets the outcome (audited)."""

    list_display = ["occurred_at", "person", "kind", "source_repr", "outcome"]
    list_filter = ["kind", "outcome"]
    search_fields = ["person__display_name", "person__username", "source_repr"]
    date_hierarchy = "occurred_at"
    readonly_fields = [
        "person",
        "kind",
        "source_type",
        "source_id",
        "source_repr",
        "occurred_at",
        "details",
    ]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
