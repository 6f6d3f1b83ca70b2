"""What the returns domain tells whom, through the notification outbox (inside the
transaction of the event; the key makes each message unique)."""

from __future__ import annotations

from typing import Any

from aftersales.approvals.documents import users_with_roles
from aftersales.core.said import Said
from aftersales.notifications.services import notify_people
from aftersales.returns.models import CreditNote, ReturnRequest


def record_notice_summary(ret: ReturnRequest) -> str:
    """What the customer was really sent when the inspection record went out, per channel."""
    from aftersales.notifications.channels import customer_notice_summary, latest_key

    return customer_notice_summary(latest_key(f"return:{ret.pk}:customer:record:"))


def customer(ret: ReturnRequest, event: str, subject: str, body: str) -> int:
    from aftersales.notifications.services import notify_customer

    return len(
        notify_customer(
            key=f"return:{ret.pk}:customer:{event}",
            customer=ret.customer,
            customer_contact_name=ret.contact_name or ret.customer.name,
            phone=ret.contact_phone,
            email="",
            subject=subject,
            body=body,
        )
    )


def roles(ret: ReturnRequest, event: str, role_codes: list[str], subject: str, body: str) -> int:
    return notify_people(
        f"return:{ret.pk}:{event}",
        users_with_roles(role_codes),
        subject,
        body,
        ret.get_absolute_url(),
    )


def approval_outcome(document: Any, action: str, comment: str) -> int:
    if isinstance(document, CreditNote):
        if action != "approve":
            return 0
        return notify_people(
            f"credit:{document.pk}:approved",
            users_with_roles(["finance"]),
            Said(
                "【待冲账】%(number)s %(amount)s元", number=document.number, amount=document.amount
            ),
            Said("冲账申请 %(number)s 已经主管领导批准，请财务冲账。", number=document.number),
            document.get_absolute_url(),
        )
    ret: ReturnRequest = document
    label = {"approve": "已批准", "refuse": "不予退货", "return": "需补充资料"}[action]
    note = Said("意见：%(comment)s", comment=comment) if comment else ""
    return customer(
        ret,
        f"approval:{action}:{ret.updated_at:%Y%m%d%H%M%S}",
        Said("退货申请 %(number)s %(label)s", number=ret.number, label=label),
        Said(
            "您的退货申请 %(number)s %(label)s。%(note)s", number=ret.number, label=label, note=note
        ),
    )
