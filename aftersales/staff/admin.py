from django.contrib import admin

from aftersales.core.admin import BusinessAdmin
from aftersales.staff.models import DutyShift, StaffProfile


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
