from django.contrib import admin

from aftersales.catalog.models import Part, PriceList, PriceListItem
from aftersales.core.admin import BusinessAdmin


@admin.register(Part)
class PartAdmin(BusinessAdmin):
    list_display = ["code", "name", "model", "specification", "unit_cost", "price", "is_wear_part"]
    list_filter = ["category", "is_wear_part"]
    search_fields = ["code", "name", "name_initials", "model"]
    filter_horizontal = ["substitutes", "product_models"]
    readonly_fields = ["name_initials"]


class PriceListItemInline(admin.TabularInline):
    model = PriceListItem
    extra = 0
    can_delete = False
    autocomplete_fields = ["part"]


@admin.register(PriceList)
class PriceListAdmin(BusinessAdmin):
    list_display = [
        "code",
        "name",
        "valid_from",
        "valid_to",
        "is_default",
        "labour_rate_per_hour",
        "travel_rate_per_km",
    ]
    inlines = [PriceListItemInline]
