from django.contrib import admin

from aftersales.core.admin import BusinessAdmin
from aftersales.sla.models import SlaPolicy, SlaRegionalTarget, SlaTarget


class TargetInline(admin.TabularInline):
    model = SlaTarget
    extra = 0


class RegionalInline(admin.TabularInline):
    model = SlaRegionalTarget
    extra = 0


@admin.register(SlaPolicy)
class SlaPolicyAdmin(BusinessAdmin):
    list_display = ["code", "name", "is_default", "customer_tier", "warn_share"]
    inlines = [TargetInline, RegionalInline]
