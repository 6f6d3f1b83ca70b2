"""What the service domain tells whom (SPEC §14), through the notification outbox.

Every call runs inside the transaction of the change it reports; the key makes each message
unique per event, so a retried job or a second worker can never send it twice.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from aftersales.approvals.documents import users_with_roles
from aftersales.core.said import Said
from aftersales.notifications.services import notify_people
from aftersales.service.models import LoanerTask, SlaClock, Ticket, WorkOrder


def _customer_key(ticket: Ticket, event: str) -> str:
    return f"ticket:{ticket.pk}:customer:{event}"


def _customer(ticket: Ticket, event: str, subject: str, body: str, link: str = "") -> int:
    from aftersales.notifications.services import notify_customer

    return len(
        notify_customer(
            key=_customer_key(ticket, event),
            customer=ticket.customer,
            customer_contact_name=ticket.contact_name,
            phone=ticket.contact_phone,
            email="",
            subject=subject,
            body=body,
            link=link,
        )
    )


def _link(ticket: Ticket) -> str:
    return f"/service/tickets/{ticket.pk}/"


def _technicians(ticket: Ticket) -> list[Any]:
    return [
        wo.technician
        for wo in ticket.work_orders.filter(state__in=["offered", "accepted", "on_site"])
        if wo.technician is not None
    ]


def _fmt(when: Any) -> str:
    return timezone.localtime(when).strftime("%m-%d %H:%M")


def sla_warning(ticket: Ticket, clock: SlaClock, state: Any) -> int:
    return notify_people(
        f"ticket:{ticket.pk}:sla:{clock.metric}:warn",
        [ticket.owner, *_technicians(ticket)],
        Said(
            "【SLA预警】%(number)s %(get_metric_display)s即将超时",
            number=ticket.number,
            get_metric_display=clock.get_metric_display(),
        ),
        Said(
            "报修单 %(number)s（%(customer)s）的%(get_metric_display)s时限将于 %(fmt)s 到期，已用 %(v9)s%%。",
            number=ticket.number,
            customer=ticket.customer,
            get_metric_display=clock.get_metric_display(),
            fmt=_fmt(state.due),
            v9=int(state.elapsed_share * 100),
        ),
        _link(ticket),
    )


def sla_breach(ticket: Ticket, clock: SlaClock, state: Any) -> int:
    coordinators = [ticket.coordinator] if ticket.coordinator else users_with_roles(["coordinator"])
    return notify_people(
        f"ticket:{ticket.pk}:sla:{clock.metric}:breach",
        coordinators,
        Said(
            "【SLA超时】%(number)s %(get_metric_display)s已超时",
            number=ticket.number,
            get_metric_display=clock.get_metric_display(),
        ),
        Said(
            "报修单 %(number)s（%(customer)s）的%(get_metric_display)s已于 %(fmt)s 超时，请立即跟进。",
            number=ticket.number,
            customer=ticket.customer,
            get_metric_display=clock.get_metric_display(),
            fmt=_fmt(state.due),
        ),
        _link(ticket),
    )


def sla_manager(ticket: Ticket, clock: SlaClock, state: Any) -> int:
    return notify_people(
        f"ticket:{ticket.pk}:sla:{clock.metric}:manager",
        users_with_roles(["manager"]),
        Said(
            "【升级】%(number)s %(get_metric_display)s超时未处理",
            number=ticket.number,
            get_metric_display=clock.get_metric_display(),
        ),
        Said(
            "报修单 %(number)s（%(customer)s）%(get_metric_display)s超时已超过规定时间，已升级至主管领导。",
            number=ticket.number,
            customer=ticket.customer,
            get_metric_display=clock.get_metric_display(),
        ),
        _link(ticket),
    )


def loaner_needed(ticket: Ticket, task: LoanerTask) -> int:
    return notify_people(
        f"ticket:{ticket.pk}:loaner",
        [ticket.owner, *users_with_roles(["warehouse", "coordinator"])],
        Said("【备用机】%(number)s 需提供备用设备", number=ticket.number),
        f"{ticket.number}：{task.note}",
        _link(ticket),
    )


def ticket_received(ticket: Ticket) -> int:
    return _customer(
        ticket,
        "received",
        "报修已受理",
        Said("您的报修（单号 %(number)s）已登记，我们将尽快与您联系。", number=ticket.number),
    )


def work_order_offered(wo: WorkOrder, technicians: list[Any]) -> int:
    t = wo.ticket
    return notify_people(
        f"wo:{wo.pk}:offered",
        technicians,
        Said("【新工单】%(number)s %(customer)s", number=t.number, customer=t.customer),
        f"{t.get_severity_display()}｜{t.site or t.address}｜{t.description[:60]}",
        "/service/my-jobs/",
    )


def crew_member_planned(wo: WorkOrder, member: Any, start: Any) -> int:
    """A further engineer of a visit that needs several: when, where and with whom (the
    lead holds the work order and records him as co-engineer)."""
    t = wo.ticket
    return notify_people(
        f"wo:{wo.pk}:crew:{member.pk}:{start:%Y%m%d%H%M}",
        [member],
        Said("【随同上门】%(number)s %(customer)s", number=t.number, customer=t.customer),
        Said(
            "%(fmt)s 与 %(v2)s 同赴 %(v4)s｜%(v6)s",
            fmt=_fmt(start),
            v2=wo.technician or "负责工程师",
            v4=t.site or t.address,
            v6=t.description[:60],
        ),
        "/service/my-jobs/",
    )


def appointment_set(wo: WorkOrder) -> int:
    assert wo.window_start is not None and wo.window_end is not None
    return _customer(
        wo.ticket,
        f"appointment:{wo.pk}:{wo.window_start:%Y%m%d%H%M}",
        "服务预约确认",
        Said(
            "工程师 %(technician)s 将于 %(fmt)s–%(fmt2)s 上门服务（单号 %(number)s）。",
            technician=wo.technician,
            fmt=_fmt(wo.window_start),
            fmt2=_fmt(wo.window_end),
            number=wo.ticket.number,
        ),
    )


def _on_the_way_event(wo: WorkOrder) -> str:
    return f"on_the_way:{wo.pk}"


def on_the_way_summary(wo: WorkOrder) -> str:
    """What the customer was really sent (or not) when the technician set out, per channel."""
    from aftersales.notifications.channels import customer_notice_summary

    return customer_notice_summary(_customer_key(wo.ticket, _on_the_way_event(wo)))


def on_the_way(wo: WorkOrder) -> int:
    return _customer(
        wo.ticket,
        _on_the_way_event(wo),
        "工程师已出发",
        Said(
            "工程师 %(technician)s 已出发前往现场（单号 %(number)s）。",
            technician=wo.technician,
            number=wo.ticket.number,
        ),
    )


def completed(ticket: Ticket) -> int:
    return _customer(
        ticket,
        f"completed:{ticket.reopen_count}",
        "服务已完成",
        Said("您的报修（单号 %(number)s）已处理完成，稍后我们将进行回访。", number=ticket.number),
    )


def survey(ticket: Ticket, link: str, round_: int) -> int:
    return _customer(
        ticket,
        f"survey:{round_}",
        "服务满意度评价",
        Said("请对本次服务（单号 %(number)s）进行评价。", number=ticket.number),
        link,
    )


def reopened(ticket: Ticket, cause: str) -> int:
    return notify_people(
        f"ticket:{ticket.pk}:reopened:{ticket.reopen_count}",
        [ticket.coordinator, ticket.owner],
        Said("【重开】%(number)s 客户不满意", number=ticket.number),
        Said("回访不满意，报修单已重开：%(cause)s", cause=cause),
        _link(ticket),
    )
