from django.contrib import admin

from aftersales.core.admin import BusinessAdmin
from aftersales.dealers.models import Dealer


@admin.register(Dealer)
class DealerAdmin(BusinessAdmin):
    list_display = ["code", "name", "level", "region", "contact_name", "phone", "receivables"]
    list_filter = ["level", "region"]
    search_fields = ["code", "name"]
