from django.contrib import admin

from aftersales.approvals.models import (
    ApprovalFlow,
    ApprovalRequest,
    ApprovalStep,
    ApprovalTask,
    Deadline,
    DeadlineRule,
)
from aftersales.core.admin import BusinessAdmin


class StepInline(admin.TabularInline):
    model = ApprovalStep
    extra = 0
    fields = [
        "order",
        "name",
        "role_codes",
        "department",
        "sign_off_departments",
        "departments_from_document",
        "min_amount",
        "deadline_rule",
    ]


@admin.register(ApprovalFlow)
class ApprovalFlowAdmin(BusinessAdmin):
    """Approval authority is data: the administrator edits flows and steps here."""

    list_display = ["code", "name", "document_type", "is_active"]
    inlines = [StepInline]


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(BusinessAdmin):
    list_display = ["code", "label", "amount", "unit", "remind_before_minutes", "source"]


class ReadOnly(BusinessAdmin):
    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(ApprovalRequest)
class ApprovalRequestAdmin(ReadOnly):
    list_display = ["document_number", "flow", "round", "state", "submitted_at", "finished_at"]
    list_filter = ["state", "flow"]
    search_fields = ["document_number"]


@admin.register(ApprovalTask)
class ApprovalTaskAdmin(ReadOnly):
    list_display = ["request", "step", "department", "state", "decided_by", "decided_at"]
    list_filter = ["state"]


@admin.register(Deadline)
class DeadlineAdmin(ReadOnly):
    list_display = ["document_number", "label", "due_at", "done_at", "escalated_at"]
    search_fields = ["document_number"]
