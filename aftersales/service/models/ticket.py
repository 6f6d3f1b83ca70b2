"""The ticket (报修单) and its state machine, the warranty decision record, loaner tasks."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from aftersales.core.models import BusinessModel
from aftersales.core.said import Said
from aftersales.sla.models import Severity


class TicketType(models.TextChoices):
    REPAIR = "repair", "维修"
    CONSULTATION = "consultation", "咨询"
    INSTALLATION = "installation", "安装调试"
    MAINTENANCE = "maintenance", "保养"
    COMPLAINT = "complaint", "投诉"
    RETURN = "return", "退货"
    PARTS = "parts", "补件"
    INSPECTION = "inspection", "巡检排查"


class Channel(models.TextChoices):
    PHONE = "phone", "电话"
    WALK_IN = "walk_in", "来访"
    LETTER = "letter", "来函"
    EMAIL = "email", "电子邮件"
    PORTAL = "portal", "客户门户"
    QR = "qr", "扫码报修"
    DEALER = "dealer", "经销商"
    API = "api", "接口"
    MONITORING = "monitoring", "远程监控"
    INSPECTION = "inspection", "巡检发现"


class TicketState(models.TextChoices):
    REGISTERED = "registered", "已登记"
    ACKNOWLEDGED = "acknowledged", "已受理"
    DISPATCHED = "dispatched", "已派工"
    SCHEDULED = "scheduled", "已预约"
    ON_SITE = "on_site", "已到场"
    IN_PROGRESS = "in_progress", "处理中"
    WAITING_CUSTOMER = "waiting_customer", "等待客户"
    WAITING_PARTS = "waiting_parts", "等待配件"
    AT_FACTORY = "at_factory", "返厂维修中"
    RESOLVED = "resolved", "已解决"
    CLOSED = "closed", "已关闭"
    REOPENED = "reopened", "已重开"
    CANCELLED = "cancelled", "已取消"


OPEN_STATES = frozenset(
    s for s in TicketState.values if s not in {TicketState.CLOSED, TicketState.CANCELLED}
)
# a fixed order, so that the queue's filter and the partial index's predicate are identical
OPEN_STATE_LIST = tuple(sorted(OPEN_STATES))
ACTIVE_STATES = OPEN_STATES - {TicketState.RESOLVED}
PAUSE_STATES = frozenset(
    {TicketState.WAITING_CUSTOMER, TicketState.WAITING_PARTS, TicketState.AT_FACTORY}
)


class Ticket(BusinessModel):
    number = models.CharField("报修单号", max_length=20, unique=True)
    type = models.CharField(
        "类型", max_length=15, choices=TicketType.choices, default=TicketType.REPAIR
    )
    channel = models.CharField("渠道", max_length=12, choices=Channel.choices)
    severity = models.CharField(
        "严重程度", max_length=10, choices=Severity.choices, default=Severity.NORMAL
    )
    state = models.CharField(
        "状态",
        max_length=20,
        choices=TicketState.choices,
        default=TicketState.REGISTERED,
        db_index=True,
    )
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="tickets", verbose_name="客户"
    )
    site = models.ForeignKey(
        "customers.Site",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tickets",
        verbose_name="项目/现场",
    )
    equipment = models.ForeignKey(
        "installed_base.Equipment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tickets",
        verbose_name="设备",
    )
    contact_name = models.CharField("联系人", max_length=50)
    contact_phone = models.CharField("联系电话", max_length=20)
    address = models.CharField("地址", max_length=200, blank=True)
    description = models.TextField("故障描述")
    environment = models.TextField("使用环境", blank=True)
    customer_request = models.TextField("客户要求", blank=True)
    fault_category = models.CharField("故障类别", max_length=50, blank=True, db_index=True)
    received_at = models.DateTimeField("受理时间", default=timezone.now)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="接报人",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="owned_tickets",
        verbose_name="首问负责人",
    )
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="coordinated_tickets",
        verbose_name="跟进主办",
    )
    dealer = models.ForeignKey(
        "dealers.Dealer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tickets",
        verbose_name="经办经销商",
    )
    sla_policy = models.ForeignKey(
        "sla.SlaPolicy", null=True, blank=True, on_delete=models.PROTECT, verbose_name="SLA政策"
    )
    sla_policy_source = models.CharField("SLA政策来源", max_length=20, blank=True)
    contract = models.ForeignKey(
        "customers.ServiceContract",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        verbose_name="维保合同",
    )
    remote = models.BooleanField("远程解决", default=False)
    resolved_at = models.DateTimeField("解决时间", null=True, blank=True)
    closed_at = models.DateTimeField("关闭时间", null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField("重开次数", default=0)
    cancel_reason = models.CharField("取消原因", max_length=200, blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="重复于",
    )
    different_fault_reason = models.CharField(
        "新故障说明",
        max_length=200,
        blank=True,
        help_text="设备已有未关闭报修时，报修人说明这是另一个故障",
    )
    solution_plan = models.TextField(
        "解决方案", max_length=2000, blank=True, help_text="重大故障须在时限内提出解决方案"
    )
    solution_plan_at = models.DateTimeField("解决方案提出时间", null=True, blank=True)
    complex_reason = models.CharField("复杂故障说明", max_length=200, blank=True)
    complex_at = models.DateTimeField("认定复杂故障时间", null=True, blank=True)

    visibility = {"customer": "customer", "technician": "work_orders__technician"}

    class Meta:
        verbose_name = "报修单"
        verbose_name_plural = "报修单"
        ordering = ["-received_at"]
        indexes = [
            models.Index(fields=["state", "-received_at"], name="ticket_state_recv"),
            models.Index(fields=["-received_at", "-id"], name="ticket_recv"),
            models.Index(
                fields=["-received_at", "-id"],
                name="ticket_open_recv",
                condition=models.Q(state__in=OPEN_STATE_LIST),
            ),
            models.Index(fields=["owner", "state"], name="ticket_owner_state"),
            models.Index(fields=["customer", "-received_at"], name="ticket_customer_recv"),
            models.Index(fields=["equipment", "state"], name="ticket_equipment_state"),
            # the reports: resolved that day (first fix, costs) and still open at a day's end
            # (the backlog: resolved after it, or not yet — an index range plus IS NULL)
            models.Index(fields=["resolved_at"], name="ticket_resolved"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


class WarrantyRecord(BusinessModel):
    """The warranty and charging decision of a ticket: the system's, or a coordinator's
    override (with reason). The latest active one counts."""

    ticket = models.ForeignKey(
        Ticket, on_delete=models.PROTECT, related_name="warranty_records", verbose_name="报修单"
    )
    outcome = models.CharField("判定结果", max_length=15)
    parts_charge = models.CharField("配件收费", max_length=10)
    labour_charge = models.CharField("人工收费", max_length=10)
    travel_charge = models.CharField("差旅收费", max_length=10)
    warranty_start = models.DateField("保修起始", null=True, blank=True)
    warranty_end = models.DateField("保修截止", null=True, blank=True)
    in_warranty = models.BooleanField("保修期内", default=False)
    replace_component = models.BooleanField("更换部件", default=False)
    replace_unit = models.BooleanField("更换整机", default=False)
    free_replacement = models.BooleanField("免费更换", default=False)
    provisional = models.BooleanField("待鉴定（暂定）", default=False)
    contract_no = models.CharField("合同编号", max_length=30, blank=True)
    cause = models.CharField("故障原因分类", max_length=30, blank=True)
    reasons = models.JSONField("判定依据", default=list)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="人工调整人",
    )
    override_reason = models.CharField("调整原因", max_length=200, blank=True)

    visibility = {"customer": "ticket__customer", "technician": "ticket__work_orders__technician"}

    class Meta:
        verbose_name = "保修判定"
        verbose_name_plural = "保修判定"
        ordering = ["-created_at", "-id"]

    OUTCOME_LABELS = {
        "free": "免费（配件、人工、差旅全免）",
        "parts_at_cost": "只收取工本费（配件成本价）",
        "chargeable": "收费（需客户确认报价）",
        "excluded": "不予保修（按收费处理）",
    }

    def __str__(self) -> str:
        return f"{self.ticket} {self.outcome_label}"

    @property
    def outcome_label(self) -> str:
        return self.OUTCOME_LABELS.get(self.outcome, self.outcome)

    @property
    def needs_quote(self) -> bool:
        return "at_cost" in (
            self.parts_charge,
            self.labour_charge,
            self.travel_charge,
        ) or "at_price" in (self.parts_charge, self.labour_charge, self.travel_charge)


class LoanerTask(BusinessModel):
    """备用机: a major / urgent ticket not fixed within the policy's time gets loaner equipment."""

    class State(models.TextChoices):
        OPEN = "open", "待提供"
        LENT = "lent", "已借出"
        RETURNED = "returned", "已归还"
        NOT_NEEDED = "not_needed", "无需提供"

    ticket = models.OneToOneField(
        Ticket, on_delete=models.PROTECT, related_name="loaner_task", verbose_name="报修单"
    )
    state = models.CharField("状态", max_length=12, choices=State.choices, default=State.OPEN)
    note = models.CharField("说明", max_length=200, blank=True)

    visibility = {"customer": "ticket__customer"}

    class Meta:
        verbose_name = "备用机任务"
        verbose_name_plural = "备用机任务"

    def __str__(self) -> str:
        return Said(
            "%(ticket)s 备用机 %(get_state_display)s",
            ticket=self.ticket,
            get_state_display=self.get_state_display(),
        )
