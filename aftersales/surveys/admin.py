from django.contrib import admin

from aftersales.core.admin import BusinessAdmin
from aftersales.surveys.models import Survey, SurveyQuestion


class QuestionInline(admin.TabularInline):  # type: ignore[type-arg]
    model = SurveyQuestion
    extra = 3
    fields = ["position", "text", "kind", "required"]


@admin.register(Survey)
class SurveyAdmin(BusinessAdmin):
    list_display = ["code", "name", "period", "state", "sample_size", "sent_at", "closes_on"]
    list_filter = ["period", "state"]
    search_fields = ["code", "name"]
    readonly_fields = ["state", "sent_at", "sent_by"]
    inlines = [QuestionInline]
