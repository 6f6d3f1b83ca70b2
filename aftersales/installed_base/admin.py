from django.contrib import admin

from aftersales.core.admin import BusinessAdmin
from aftersales.installed_base.models import (
    Equipment,
    EquipmentComponent,
    ProductCategory,
    ProductModel,
    WarrantyPolicy,
)
from aftersales.installed_base.selectors import supply_of


@admin.register(ProductCategory)
class ProductCategoryAdmin(BusinessAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(ProductModel)
class ProductModelAdmin(BusinessAdmin):
    list_display = [
        "code",
        "name",
        "category",
        "brand",
        "warranty_policy",
        "discontinued_on",
        "parts_supply",
    ]
    list_filter = ["category"]
    search_fields = ["code", "name"]

    @admin.display(description="备件供应")
    def parts_supply(self, obj: ProductModel) -> str:
        return supply_of(obj).text


@admin.register(WarrantyPolicy)
class WarrantyPolicyAdmin(BusinessAdmin):
    list_display = [
        "code",
        "name",
        "category",
        "component_code",
        "period_kind",
        "months",
        "seasons",
        "start_event",
        "latent_defect_months",
    ]
    list_filter = ["category", "period_kind", "start_event"]
    search_fields = ["code", "name"]


class ComponentInline(admin.TabularInline):
    model = EquipmentComponent
    extra = 0
    can_delete = False


@admin.register(Equipment)
class EquipmentAdmin(BusinessAdmin):
    list_display = [
        "serial_no",
        "model",
        "site",
        "acceptance_date",
        "sale_date",
        "card_status",
        "dealer",
    ]
    list_filter = ["model__category", "card_status"]
    search_fields = ["serial_no", "model__code", "site__name", "site__customer__name"]
    autocomplete_fields = ["site", "dealer"]
    readonly_fields = ["qr_token"]
    inlines = [ComponentInline]
