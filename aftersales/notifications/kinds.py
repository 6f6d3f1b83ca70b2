"""The kinds of notification, defined once: what a user chooses channels for, and what
repeated notices are grouped by.

A notice's kind and its subject (the record it is about, e.g. ``ticket:42``) are read from its
event key. While a user has an unread in-app notice of one kind about one subject, a new one
of the same kind about the same subject updates that entry (count, latest text, time) instead
of adding another; each occurrence stays an outbox row of its own (``Status.GROUPED``).
Notices to customers (``notify_customer``) are of the kind ``customer``. A key no kind recognises is ``other`` and never grouped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Kind:
    code: str
    label: str | Promise
    pattern: str  # the named group ``ref`` is the subject: the record the notice is about

    def match(self, key: str) -> str | None:
        found = re.match(self.pattern, key)
        return found.group("ref") if found else None


CUSTOMER = "customer"
OTHER = "other"

KINDS: tuple[Kind, ...] = (
    Kind(CUSTOMER, _("客户服务进度"), r"^(?P<ref>[a-z_]+:\d+):"),
    Kind("sla_warning", _("SLA预警"), r"^(?P<ref>ticket:\d+):sla:[^:]+:warn(:|$)"),
    Kind("sla_breach", _("SLA超时"), r"^(?P<ref>ticket:\d+):sla:[^:]+:breach(:|$)"),
    Kind("sla_escalation", _("超时升级"), r"^(?P<ref>ticket:\d+):sla:[^:]+:manager(:|$)"),
    Kind("ticket", _("报修单动态（备用机、重开）"), r"^(?P<ref>ticket:\d+):"),
    Kind("work_order", _("新工单"), r"^(?P<ref>wo:\d+):"),
    Kind("deadline", _("办理时限提醒与督办"), r"^(?P<ref>deadline:\d+):"),
    Kind("approval", _("审批"), r"^(?P<ref>approval:(task|request):\d+):"),
    Kind("parts", _("备件、借用与结算"), r"^(?P<ref>(parts|borrowing|closing):\d+):"),
    Kind("returns", _("退货与冲账"), r"^(?P<ref>(return|credit):\d+):"),
    Kind(OTHER, _("其他通知"), r"^(?P<ref>)"),
)
KIND_BY_CODE = {k.code: k for k in KINDS}
KIND_CHOICES = [(k.code, k.label) for k in KINDS]


def classify(key: str, *, kind: str = "") -> tuple[str, str]:
    """``(kind, group_key)`` of an event key; the group key is empty when not grouped."""
    for k in KINDS:
        # customer notices are told apart by the call (notify_customer), not by their key
        if (kind and k.code != kind) or (not kind and k.code == CUSTOMER):
            continue
        ref = k.match(key)
        if ref is not None:
            return k.code, f"{k.code}|{ref}" if ref else ""
    return (kind or OTHER), ""
