from django.contrib import admin

from aftersales.bizcalendar.models import CalendarDay, CalendarYear, WorkingPattern, WorkingPeriod
from aftersales.core.admin import BusinessAdmin


class PeriodInline(admin.TabularInline):
    model = WorkingPeriod
    extra = 0


@admin.register(WorkingPattern)
class WorkingPatternAdmin(BusinessAdmin):
    list_display = ["code", "name", "is_default"]
    inlines = [PeriodInline]


@admin.register(CalendarDay)
class CalendarDayAdmin(BusinessAdmin):
    list_display = ["date", "working", "name", "source", "archived_at"]
    list_filter = ["source", "working"]
    date_hierarchy = "date"

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        if not change:
            obj.source = CalendarDay.Source.ADMIN
        super().save_model(request, obj, form, change)


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ["year", "official", "confirmed_by", "confirmed_at", "note"]
