from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from aftersales.accounts.models import ApiToken, Department, LoginAttempt, LoginThrottle, User
from aftersales.core.admin import BusinessAdmin


@admin.register(User)
class AftersalesUserAdmin(UserAdmin):
    list_display = [
        "username",
        "display_name",
        "org_kind",
        "dealer",
        "customer",
        "department",
        "is_active",
    ]
    list_filter = ["org_kind", "groups", "is_active"]
    search_fields = ["username", "display_name", "phone"]
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        (
            "组织",
            {
                "fields": (
                    "display_name",
                    "phone",
                    "org_kind",
                    "dealer",
                    "customer",
                    "department",
                    "region",
                )
            },
        ),
    )
    autocomplete_fields = ["dealer", "customer"]

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Department)
class DepartmentAdmin(BusinessAdmin):
    list_display = ["code", "name", "parent"]
    search_fields = ["code", "name"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = [
        "prefix",
        "user",
        "name",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    ]
    readonly_fields = ["key_hash", "prefix", "created_at", "last_used_at"]


@admin.register(LoginAttempt)
class LoginAttemptAdmin(admin.ModelAdmin):
    list_display = ["at", "username", "ip", "channel", "success", "throttled"]
    list_filter = ["success", "throttled", "channel"]
    search_fields = ["username", "ip"]


@admin.register(LoginThrottle)
class LoginThrottleAdmin(admin.ModelAdmin):
    """Deleting a row lifts the delay for that user name and address."""

    list_display = ["username", "ip", "failures", "last_at", "blocked_until"]
    search_fields = ["username", "ip"]
