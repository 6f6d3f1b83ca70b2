"""Demo service activity (演示业务数据): requests in every stage of the flow — new, confirmed,
dispatched with an appointment, on site, resolved and waiting for the callback, closed —
made through the same service functions the users call, so the queues, the dispatch plan,
the callback list and the audit trail have something to show on a fresh install."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from aftersales.bizcalendar import rules as cal_rules
from aftersales.bizcalendar import selectors as cal_selectors
from aftersales.demo.dealer_work import load_dealer_work
from aftersales.demo.paperwork import load_paperwork
from aftersales.demo.stock import load_loaners, load_stock
from aftersales.installed_base.models import Equipment
from aftersales.service.models import Ticket, WorkOrder, WorkOrderState
from aftersales.service.services import callbacks, dispatch, factory, intake, lifecycle

# (category code) → (fault description, fault category)
FAULTS: dict[str, tuple[tuple[str, str], ...]] = {
    "led": (
        ("主屏左下角一块模组黑屏", "模组"),
        ("整屏闪烁，重启控制器后仍有", "控制系统"),
        ("画面有横向亮线", "模组"),
        ("部分区域偏色发红", "模组"),
    ),
    "hvac": (
        ("主机报高压故障停机", "主机"),
        ("三楼会议室风机盘管不出冷风", "末端"),
        ("冷却塔异响", "冷却系统"),
    ),
    "security": (
        ("停车场两路摄像头无图像", "前端设备"),
        ("门禁刷卡无反应", "门禁"),
        ("录像机硬盘报警", "存储"),
    ),
    "agri": (
        ("收割机液压系统漏油", "液压"),
        ("拖拉机启动困难，冒黑烟", "发动机"),
    ),
    "window": (
        ("幕墙玻璃密封胶开裂渗水", "密封"),
        ("电动开窗器不动作", "五金"),
    ),
    "software": (
        ("报表导出超时", "性能"),
        ("升级后无法登录", "账号权限"),
    ),
}
# faults of one kind of equipment (by model code), where a category holds different kinds:
# a camera does not get 「门禁刷卡无反应」 nor a tractor 「收割机液压系统漏油」 (issue 9 #19)
MODEL_FAULTS: dict[str, tuple[tuple[str, str], ...]] = {
    "HX-P10-O": (("条屏部分字符不亮", "模组"), ("雨后整屏不亮，电源箱进水", "电源")),
    "CL-MDV-280": (("室外机报高压故障停机", "主机"), ("室外机风扇异响", "主机")),
    "CL-WSC-500": (("冷水机组报高压故障停机", "主机"), ("冷冻水出水温度偏高", "主机")),
    "CL-AHU-20": (("空调机组送风量明显不足", "风机"), ("机组冷凝水盘溢水", "末端")),
    "CL-FCU-136": (("三楼会议室风机盘管不出冷风", "末端"), ("风机盘管滴水", "末端")),
    "CL-HP-65": (("热泵机组化霜频繁，制热效果差", "主机"), ("热泵机组报低压故障", "主机")),
    "AF-NVR-64": (("录像机硬盘报警", "存储"), ("部分通道回放无录像", "存储")),
    "AF-IPC-4MP": (("停车场两路摄像头无图像", "前端设备"), ("摄像机夜间画面发白", "前端设备")),
    "AF-ACS-4D": (("门禁刷卡无反应", "门禁"), ("门禁控制器离线，门常开", "门禁")),
    "AF-ALM-16": (("报警主机三号防区误报", "报警"), ("报警主机无法布防", "报警")),
    "AF-BA-DDC": (("DDC控制器与上位机通信中断", "楼控"), ("新风机组启停不受控", "楼控")),
    "NJ-LX904": (("拖拉机启动困难，冒黑烟", "发动机"), ("拖拉机液压提升无力", "液压")),
    "NJ-4LZ-6": (("收割机液压系统漏油", "液压"), ("收割机割台堵塞", "割台")),
    "NJ-2BMG-6": (("播种机排种不均匀", "排种"), ("播种机开沟器磨损严重", "作业部件")),
    "NJ-3WP-500": (("喷雾机喷头堵塞", "喷雾"), ("喷杆折叠油缸漏油", "液压")),
    "NJ-1GQN-200": (("旋耕机刀轴异响", "传动"), ("旋耕刀断裂", "作业部件")),
    "MC-AL70": (("平开窗关闭不严漏风", "五金"), ("窗扇下垂，开启困难", "五金")),
    "MC-AL108": (("推拉门滑轮损坏，推拉费力", "五金"), ("推拉门下轨积水渗漏", "密封")),
    "MC-CW-U": (("幕墙玻璃密封胶开裂渗水", "密封"), ("幕墙开启扇电动开窗器不动作", "五金")),
    "MC-SUN-SR": (("阳光房顶部雨天漏水", "密封"), ("阳光房遮阳帘电机不动作", "五金")),
    "MC-FW-60": (("防火窗闭窗器不能自动关闭", "五金"), ("防火玻璃出现裂纹", "玻璃")),
    "RJ-LEDCMS-3": (("节目下发到屏失败", "发布"), ("升级后无法登录", "账号权限")),
    "RJ-BMS-5": (("报表导出超时", "性能"), ("部分设备点位显示离线", "数据采集")),
    "RJ-VMS-8": (("视频墙轮巡卡顿", "性能"), ("升级后无法登录", "账号权限")),
    "RJ-AGRI-IOT": (("农机轨迹不更新", "数据采集"), ("作业面积统计偏差大", "统计")),
    "RJ-EAM-2": (("报表导出超时", "性能"), ("升级后无法登录", "账号权限")),
}


def faults_for(equipment: Equipment) -> tuple[tuple[str, str], ...]:
    """The faults demo tickets may report on this equipment: its model's own, else its
    category's (LED screens, whose faults all fit every screen)."""
    model = equipment.model
    return MODEL_FAULTS.get(model.code) or FAULTS.get(model.category.code) or FAULTS["led"]


SEVERITIES = ("normal",) * 6 + ("urgent",) * 3 + ("major", "low")
CHANNELS = ("phone",) * 5 + ("qr", "qr", "email", "portal", "walk_in")
REMOTE_FIXES = (
    "电话指导客户重启控制器后恢复",
    "远程登录调整参数后恢复正常",
    "视频指导客户更换保险管",
)

# how many requests end in each stage, per 10
STAGES = (
    ("new", 2),
    ("acknowledged", 2),
    ("dispatched", 2),
    ("on_site", 1),
    ("awaiting_callback", 2),
    ("closed", 1),
)


@dataclass
class ActivityReport:
    tickets: int = 0
    parts_requests: int = 0
    returns: int = 0
    complaints: int = 0


def appointment_day(now: dt.datetime) -> dt.date:
    """Today while there is still a working afternoon, else the next working day."""
    cal = cal_selectors.build_calendar()
    local = timezone.localtime(now)
    day = local.date() if local.hour < 12 else local.date() + dt.timedelta(days=1)
    for _ in range(30):
        if cal_rules.periods_on(cal, day):
            return day
        day += dt.timedelta(days=1)
    return day


def load_activity(*, tickets: int, seed: int = 2026) -> ActivityReport:
    """Create ``tickets`` requests spread over the stages of the flow (nothing when the
    database already has requests: the demo never piles up on a second start)."""
    report = ActivityReport()
    if tickets <= 0 or Ticket.objects.exists():
        return report
    users = {u.username: u for u in get_user_model().objects.filter(is_active=True)}
    agent, coordinator = users.get("agent"), users.get("coordinator")
    if agent is None or coordinator is None:
        return report
    load_stock(users=users, seed=seed)  # before the reports, so that vans hold parts
    rng = random.Random(seed)
    now = timezone.now()
    day = appointment_day(now)
    pool = list(
        Equipment.objects.filter(archived_at__isnull=True, site__customer__archived_at__isnull=True)
        .select_related("model__category", "site__customer")
        .order_by("pk")
    )
    rng.shuffle(pool)
    stages = [name for name, share in STAGES for _ in range(share)]
    for index, equipment in enumerate(pool[:tickets]):
        stage = stages[index % len(stages)]
        ticket = _register(rng, agent, equipment, now, stage)
        report.tickets += 1
        step = STEP[stage]
        if step is not None:
            step(rng, users, ticket, day)
    _factory_trip(users)
    load_loaners(users=users, seed=seed)  # after the tickets: some are lent on them
    from aftersales.maintenance.demo import load_maintenance

    load_maintenance(users=users, seed=seed)  # plans, this month's visits, inspections
    paperwork = load_paperwork(users=users, count=max(2, tickets // 6), seed=seed)
    report.parts_requests, report.returns = paperwork.parts_requests, paperwork.returns
    load_dealer_work(users=users, seed=seed)
    from aftersales.demo.stocking_work import load_stocking

    load_stocking(users=users)  # seasons and the dealers' stocking plans, one late
    from aftersales.demo.charges_work import load_charges

    load_charges(users=users)
    from aftersales.demo.quality import load_quality

    # warranty repairs with old parts, a warning and its checks, complaints, a CAPA
    report.complaints = load_quality(users=users).complaints
    from aftersales.demo.rating_work import load_ratings

    load_ratings(users=users)  # the last finished period's history, frozen by the manager
    return report


def _register(
    rng: random.Random, agent: Any, equipment: Equipment, now: dt.datetime, stage: str
) -> Ticket:
    faults = faults_for(equipment)
    description, fault_category = rng.choice(faults)
    early = stage in ("awaiting_callback", "closed")
    hours = rng.uniform(20, 70) if early else rng.uniform(0.2, 6)
    site = equipment.site
    return intake.ticket_create(
        actor=agent,
        data=intake.TicketInput(
            description=description,
            contact_name=site.customer.name[:2] + "先生",
            contact_phone=f"1380013{rng.randrange(10000):04d}",
            channel=rng.choice(CHANNELS),
            equipment_id=equipment.pk,
            severity=rng.choice(SEVERITIES),
            fault_category=fault_category,
            received_at=now - dt.timedelta(hours=hours),
        ),
    )


def _acknowledge(rng: random.Random, users: dict[str, Any], ticket: Ticket, day: dt.date) -> None:
    lifecycle.acknowledge(actor=users["agent"], ticket=ticket, note="已电话确认故障现象")


def _dispatch(
    rng: random.Random,
    users: dict[str, Any],
    ticket: Ticket,
    day: dt.date,
    start: dt.datetime | None = None,
    rank_at: dt.datetime | None = None,
    busy: frozenset[int] = frozenset(),
) -> WorkOrder | None:
    """Confirmed, then offered to the best-ranked eligible technician (not one of ``busy``)
    with a two-hour appointment on ``day`` (what the dispatch plan of that day works on)."""
    _acknowledge(rng, users, ticket, day)
    if start is None:
        hour = rng.choice((9, 10, 13, 14, 15))
        start = dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_current_timezone())
    # ranked for the appointment: who is on duty then, with the skill, not fully booked
    ranked = [
        c
        for c in dispatch.candidates(ticket, at=rank_at or start)
        if c.eligible and c.facts.user_id not in busy
    ]
    if not ranked:
        return None
    return dispatch.dispatch(
        actor=users["coordinator"],
        ticket=ticket,
        technician_ids=[ranked[0].facts.user_id],
        window_start=start,
        window_end=start + dt.timedelta(hours=2),
        note="已与客户预约",
        confirm_late=True,  # the customer's own time, even after the on-site due time
    )


def _on_site(rng: random.Random, users: dict[str, Any], ticket: Ticket, day: dt.date) -> None:
    now = timezone.now().replace(second=0, microsecond=0)
    # the roster starts this morning: before 10:00 rank for 10:00 (someone is on duty
    # then), so that loading the demo after midnight still has visits on site
    local = timezone.localtime(now)
    ten = local.replace(hour=10, minute=0)
    rank_at = ten if local < ten else None
    # a technician is on site at one customer at a time
    busy = frozenset(
        WorkOrder.objects.filter(
            state=WorkOrderState.ON_SITE, technician__isnull=False
        ).values_list("technician_id", flat=True)
    )
    wo = _dispatch(
        rng, users, ticket, day, start=now - dt.timedelta(hours=1), rank_at=rank_at, busy=busy
    )
    if wo is not None:
        tech = wo.offers.get().technician
        dispatch.accept(actor=tech, work_order=wo)
        dispatch.check_in(actor=tech, work_order=wo)


def _resolve(rng: random.Random, users: dict[str, Any], ticket: Ticket, day: dt.date) -> None:
    _acknowledge(rng, users, ticket, day)
    lifecycle.resolve_remotely(
        actor=users["agent"], ticket=ticket, solution=rng.choice(REMOTE_FIXES)
    )


def _close(rng: random.Random, users: dict[str, Any], ticket: Ticket, day: dt.date) -> None:
    _resolve(rng, users, ticket, day)
    callbacks.record_result(
        actor=users["agent"],
        callback=ticket.callbacks.get(),
        attitude=5,
        quality=rng.choice((4, 5)),
        solved=True,
        score=rng.choice((4, 5)),
        comment="处理及时",
    )


def _factory_trip(users: dict[str, Any]) -> None:
    """One confirmed request whose unit went back to the factory (返厂维修): sent, and
    received there since — the ticket waits with its clocks paused, the repair is due."""
    ticket = (
        Ticket.objects.filter(state="acknowledged", equipment__isnull=False)
        .order_by("received_at")
        .first()
    )
    if ticket is None:
        return
    repair = factory.send(
        actor=users["coordinator"],
        ticket=ticket,
        reason="控制系统故障，现场无法修复，需工厂检测",
        items=f"{ticket.equipment.model.name if ticket.equipment else ''}控制卡 ×1"[:200],
        waybill="顺丰速运 SF1402268800",
    )
    factory.arrive(actor=users["coordinator"], repair=repair)


Step = Callable[[random.Random, dict[str, Any], Ticket, dt.date], object]
STEP: dict[str, Step | None] = {
    "new": None,
    "acknowledged": _acknowledge,
    "dispatched": _dispatch,
    "on_site": _on_site,
    "awaiting_callback": _resolve,
    "closed": _close,
}
