from django.contrib import admin

from aftersales.core.admin import BusinessAdmin
from aftersales.customers.models import Contact, Customer, ServiceContract, Site, SiteDocument


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0
    can_delete = False


@admin.register(Customer)
class CustomerAdmin(BusinessAdmin):
    list_display = ["code", "name", "tier", "region", "dealer", "phone", "archived_at"]
    list_filter = ["tier", "kind", "region", "dealer"]
    search_fields = ["code", "name", "name_initials", "phone"]
    readonly_fields = ["name_initials"]
    inlines = [ContactInline]


class SiteDocumentInline(admin.TabularInline):
    model = SiteDocument
    extra = 0
    can_delete = False


@admin.register(Site)
class SiteAdmin(BusinessAdmin):
    list_display = ["code", "name", "customer", "region", "acceptance_date", "responsible_engineer"]
    list_filter = ["region", "is_project"]
    search_fields = ["code", "name", "address", "customer__name"]
    autocomplete_fields = ["customer", "responsible_engineer"]
    inlines = [SiteDocumentInline]


@admin.register(Contact)
class ContactAdmin(BusinessAdmin):
    list_display = ["name", "customer", "mobile", "title", "is_primary"]
    search_fields = ["name", "mobile", "customer__name"]
    autocomplete_fields = ["customer"]


@admin.register(ServiceContract)
class ServiceContractAdmin(BusinessAdmin):
    list_display = [
        "code",
        "name",
        "customer",
        "start_date",
        "end_date",
        "is_7x24",
        "sla_policy",
        "price",
    ]
    list_filter = ["is_7x24"]
    search_fields = ["code", "name", "customer__name"]
    autocomplete_fields = ["customer"]
    filter_horizontal = ["sites"]
