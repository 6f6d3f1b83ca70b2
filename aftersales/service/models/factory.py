"""返厂维修: a ticket's unit or part sent back to the factory for repair (SPEC §3.3 — back
within 5–10 working days). The ticket waits with its SLA clocks paused; the factory's repair
and the whole round trip each have a deadline on the deadline engine."""

from __future__ import annotations

from django.db import models
from django.urls import reverse

from aftersales.core.models import BusinessModel
from aftersales.core.said import Said


class FactoryRepairState(models.TextChoices):
    SENT = "sent", "已寄往工厂"
    AT_FACTORY = "at_factory", "工厂已收到"
    SHIPPED_BACK = "shipped_back", "工厂已修复发回"
    RECEIVED = "received", "已收回"


class FactoryRepair(BusinessModel):
    """One trip to the factory and back; the steps' times, the audit rows their actors."""

    ticket = models.ForeignKey(
        "service.Ticket",
        on_delete=models.PROTECT,
        related_name="factory_repairs",
        verbose_name="报修单",
    )
    state = models.CharField(
        "状态", max_length=15, choices=FactoryRepairState.choices, default=FactoryRepairState.SENT
    )
    reason = models.CharField("返厂原因", max_length=200)
    items = models.CharField("寄送物品", max_length=200)
    waybill = models.CharField("寄出承运/运单号", max_length=100)
    repair_note = models.CharField("工厂维修说明", max_length=200, blank=True)
    return_waybill = models.CharField("发回承运/运单号", max_length=100, blank=True)
    sent_at = models.DateTimeField("寄出时间")
    arrived_at = models.DateTimeField("到厂时间", null=True, blank=True)
    shipped_back_at = models.DateTimeField("发回时间", null=True, blank=True)
    received_at = models.DateTimeField("收回时间", null=True, blank=True)

    visibility = {"customer": "ticket__customer", "technician": "ticket__work_orders__technician"}

    class Meta:
        verbose_name = "返厂维修"
        verbose_name_plural = "返厂维修"
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["ticket"],
                condition=~models.Q(state="received"),
                name="uniq_open_factory_repair",
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.get_state_display()}"

    @property
    def number(self) -> str:
        """The deadlines' and messages' name: the ticket's number and the trip's id."""
        return Said("%(number)s-返厂%(pk)s", number=self.ticket.number, pk=self.pk)

    def get_absolute_url(self) -> str:
        return reverse("service:ticket_detail", args=[self.ticket_id])
