"""What the customer is told at each step of a service request (SPEC §14), as plain functions
so every caller says the same thing: received, appointment, on the way, completed, survey.

Use with ``services.notify_customer(key=customer_key(ticket.pk, step), …)``.
"""

from __future__ import annotations

import datetime as dt
import enum

from django.utils import timezone

from aftersales.core.said import Said


class CustomerStep(enum.StrEnum):
    RECEIVED = "received"
    APPOINTMENT = "appointment"
    ON_THE_WAY = "on_the_way"
    COMPLETED = "completed"
    SURVEY = "survey"


def customer_key(ticket_id: int, step: CustomerStep | str) -> str:
    """The event key of a customer message: one per ticket and step."""
    return f"ticket:{ticket_id}:customer:{CustomerStep(step).value}"


def _when(at: dt.datetime | None) -> str:
    if at is None:
        return ""
    local = timezone.localtime(at) if timezone.is_aware(at) else at
    return Said(
        "%(month)s月%(day)s日 %(local)s",
        month=local.month,
        day=local.day,
        local=format(local, "%H:%M"),
    )


def customer_message(
    step: CustomerStep | str,
    *,
    ticket_no: str,
    at: dt.datetime | None = None,
    technician: str = "",
    technician_phone: str = "",
) -> tuple[str, str]:
    """(subject, body) for one step. ``at`` is the appointment time or the expected arrival."""
    step = CustomerStep(step)
    who = Said("工程师%(technician)s", technician=technician) if technician else "我们的工程师"
    if step is CustomerStep.RECEIVED:
        return (
            Said("您的服务请求已受理（%(ticket_no)s）", ticket_no=ticket_no),
            Said(
                "您的服务请求 %(ticket_no)s 已受理，我们将尽快安排工程师与您联系。",
                ticket_no=ticket_no,
            ),
        )
    if step is CustomerStep.APPOINTMENT:
        when = Said("将于 %(when)s 上门服务", when=_when(at)) if at else "将与您预约上门时间"
        return (
            Said("已预约上门服务（%(ticket_no)s）", ticket_no=ticket_no),
            Said(
                "%(who)s%(when)s。如需改约，请与我们联系。服务单号：%(ticket_no)s。",
                who=who,
                when=when,
                ticket_no=ticket_no,
            ),
        )
    if step is CustomerStep.ON_THE_WAY:
        phone = (
            Said("（电话 %(technician_phone)s）", technician_phone=technician_phone)
            if technician_phone
            else ""
        )
        eta = Said("，预计 %(when)s 到达", when=_when(at)) if at else ""
        return (
            Said("工程师已出发（%(ticket_no)s）", ticket_no=ticket_no),
            Said(
                "%(who)s%(phone)s已出发前往现场%(eta)s。服务单号：%(ticket_no)s。",
                who=who,
                phone=phone,
                eta=eta,
                ticket_no=ticket_no,
            ),
        )
    if step is CustomerStep.COMPLETED:
        return (
            Said("服务已完成（%(ticket_no)s）", ticket_no=ticket_no),
            Said(
                "服务请求 %(ticket_no)s 已处理完成，感谢您的配合。服务报告可在客户门户查看。",
                ticket_no=ticket_no,
            ),
        )
    return (
        Said("请评价本次服务（%(ticket_no)s）", ticket_no=ticket_no),
        Said(
            "请花一分钟对服务请求 %(ticket_no)s 的服务进行评价，您的意见将帮助我们改进。",
            ticket_no=ticket_no,
        ),
    )
