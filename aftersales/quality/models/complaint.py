"""The complaint (投诉单, SPEC §6.1): registration with the product details and the customer's
demand, the first written reply / handling decision within 24 h, the investigation (cause,
responsible department, production batch/line/people/date), and by severity: minor → fed
back, serious → handling form approved by the departments, not our fault → explained with
the appraisal result and its basis."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from aftersales.core.models import BusinessModel


class ComplaintChannel(models.TextChoices):
    PHONE = "phone", "电话"
    LETTER = "letter", "来函"
    VISIT = "visit", "来访"
    PORTAL = "portal", "客户门户"
    DEALER = "dealer", "经销商"
    TICKET = "ticket", "报修单转入"
    CALLBACK = "callback", "回访转入"


class Complainant(models.TextChoices):
    """Who complains decides the first deadline: a dealer gets a written reply within 24 h,
    a consumer a handling decision within 24 h."""

    CONSUMER = "consumer", "消费者/客户"
    DEALER = "dealer", "经销商"


class ComplaintCategory(models.TextChoices):
    QUALITY_DEFECT = "quality_defect", "质量问题"
    HUMAN_FACTORS = "human_factors", "非质量问题：人为因素"
    SERVICE_ATTITUDE = "service_attitude", "非质量问题：服务态度"
    OTHER = "other", "其他"


class PersonIssue(models.TextChoices):
    """Complaints about a person (SPEC §6.1, counted against him in §8)."""

    RUDENESS = "rudeness", "态度恶劣"
    ASKING_MONEY = "asking_money", "索要钱物"
    LATE_PERSONAL = "late_personal", "因个人原因迟到"
    REPEAT_REPAIR = "repeat_repair", "重复维修"


class ComplaintFinding(models.TextChoices):
    """The investigation's conclusion on a complaint (stored in ``Complaint.severity``):
    not a ticket's severity, which is ``sla.rules.Severity``."""

    MINOR = "minor", "一般投诉"
    SERIOUS = "serious", "重大投诉"
    NOT_OUR_FAULT = "not_our_fault", "非我方责任"


class ComplaintState(models.TextChoices):
    REGISTERED = "registered", "已登记"
    INVESTIGATED = "investigated", "已调查"
    IN_APPROVAL = "in_approval", "处理单审批中"
    RETURNED = "returned", "处理单退回修改"
    APPROVED = "approved", "处理方案已批准"
    CLOSED = "closed", "已结案"
    CANCELLED = "cancelled", "已撤销"


S = ComplaintState
CLOSED_COMPLAINT_STATES = (S.CLOSED, S.CANCELLED)


def _user(name: str) -> models.ForeignKey:  # type: ignore[type-arg]
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=name,
    )


def _fk(target: str, name: str, related: str = "+") -> models.ForeignKey:  # type: ignore[type-arg]
    return models.ForeignKey(
        target,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name=related,
        verbose_name=name,
    )


class Complaint(BusinessModel):
    number = models.CharField("投诉单号", max_length=20, unique=True)
    state = models.CharField(
        "状态", max_length=15, choices=ComplaintState.choices, default=S.REGISTERED, db_index=True
    )
    channel = models.CharField("投诉渠道", max_length=10, choices=ComplaintChannel.choices)
    complainant = models.CharField(
        "投诉方", max_length=10, choices=Complainant.choices, default=Complainant.CONSUMER
    )
    category = models.CharField("投诉类别", max_length=20, choices=ComplaintCategory.choices)
    person_issue = models.CharField(
        "涉及人员问题", max_length=15, choices=PersonIssue.choices, blank=True
    )
    staff_member = _user("被投诉人员")
    customer = _fk("customers.Customer", "客户", "complaints")
    dealer = _fk("dealers.Dealer", "经销商", "complaints")
    equipment = _fk("installed_base.Equipment", "设备", "complaints")
    ticket = _fk("service.Ticket", "关联报修单", "complaints")
    callback = _fk("service.Callback", "关联回访", "complaints")
    contact_name = models.CharField("联系人", max_length=50)
    contact_phone = models.CharField("联系电话", max_length=20, blank=True)
    description = models.TextField("投诉内容")
    demand = models.TextField("客户诉求", blank=True)
    # the complaint form's product details
    order_no = models.CharField("订单号", max_length=40, blank=True)
    part = _fk("catalog.Part", "配件/产品编码")
    ship_date = models.DateField("发货日期", null=True, blank=True)
    quantity = models.PositiveIntegerField("数量", null=True, blank=True)
    defective_quantity = models.PositiveIntegerField("不良数量", null=True, blank=True)
    registered_at = models.DateTimeField("登记时间", default=timezone.now)
    registered_by = _user("登记人")
    # the first written reply (dealer) / handling decision (consumer), within 24 h
    reply_text = models.TextField("答复内容", blank=True)
    replied_at = models.DateTimeField("答复时间", null=True, blank=True)
    replied_by = _user("答复人")
    # investigation by the technical department and production (internal)
    cause = models.TextField("原因分析", blank=True)
    responsible_department = _fk("accounts.Department", "责任部门")
    production_batch = models.CharField("生产批次", max_length=40, blank=True)
    production_line = models.CharField("生产线", max_length=40, blank=True)
    production_people = models.CharField("生产人员", max_length=100, blank=True)
    production_date = models.DateField("生产日期", null=True, blank=True)
    severity = models.CharField(
        "调查结论", max_length=15, choices=ComplaintFinding.choices, blank=True
    )
    investigated_at = models.DateTimeField("调查时间", null=True, blank=True)
    investigated_by = _user("调查人")
    # serious: the complaint handling form (internal until agreed)
    measures_production = models.TextField("生产部门措施", blank=True)
    measures_technical = models.TextField("技术部门措施", blank=True)
    solution = models.TextField("与客户商定的解决方案", blank=True)
    # not our fault: the appraisal the reply cites
    appraisal_result = models.TextField("鉴定结果", blank=True)
    appraisal_basis = models.TextField("鉴定依据", blank=True)
    # closure
    feedback = models.TextField("处理结果反馈", blank=True)
    closed_at = models.DateTimeField("结案时间", null=True, blank=True)
    closed_by = _user("结案人")
    cancel_reason = models.CharField("撤销原因", max_length=200, blank=True)

    visibility = {"customer": "customer_id", "dealer": "dealer_id"}

    class Meta:
        verbose_name = "投诉单"
        verbose_name_plural = "投诉单"
        ordering = ["-registered_at", "-id"]
        indexes = [
            models.Index(fields=["state", "-registered_at"]),
            models.Index(fields=["customer", "-registered_at"]),
            models.Index(fields=["dealer", "-registered_at"]),
            models.Index(fields=["category", "registered_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                name="complaint_defective_le_quantity",
                condition=models.Q(defective_quantity__isnull=True)
                | models.Q(quantity__isnull=True)
                | models.Q(defective_quantity__lte=models.F("quantity")),
            ),
            models.CheckConstraint(
                name="complaint_customer_or_dealer",
                condition=models.Q(customer__isnull=False) | models.Q(dealer__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return f"/quality/complaints/{self.pk}/"

    @property
    def is_about_person(self) -> bool:
        return bool(self.person_issue)
