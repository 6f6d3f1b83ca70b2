from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse

from aftersales.bizcalendar import selectors, services
from aftersales.bizcalendar.models import CalendarDay, CalendarYear, WorkingPattern, WorkingPeriod
from aftersales.core.admin import AuditedAdmin, BusinessAdmin
from aftersales.core.errors import DomainError
from aftersales.core.said import Said


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
class CalendarYearAdmin(AuditedAdmin):
    """A year whose holidays are only rule-based is shown as a warning until an administrator
    has checked the calendar days against the official notice and confirmed it."""

    list_display = ["year", "official", "confirmed_by", "confirmed_at", "note"]
    readonly_fields = ["confirmed_by", "confirmed_at"]
    actions = ["confirm_selected"]

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        pending = selectors.years_to_confirm()
        if pending and request.method == "GET":
            messages.warning(request, selectors.confirmation_warning(pending))
        return super().changelist_view(request, extra_context)

    @admin.action(description="确认所选年度的放假安排已核对")
    def confirm_selected(self, request: HttpRequest, queryset: QuerySet[CalendarYear]) -> None:
        years = sorted(queryset.values_list("year", flat=True))
        try:
            for year in years:
                services.confirm_year(actor=request.user, year=year, note="后台确认")
        except DomainError as exc:
            messages.error(request, exc.message)
            return
        messages.success(
            request, Said("已确认 %(join)s 年的放假安排", join="、".join(map(str, years)))
        )
