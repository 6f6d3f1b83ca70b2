"""Checklists as data (巡检检查表), versioned: a done inspection keeps the version it used."""

from __future__ import annotations

from django.db import models

from aftersales.core.models import BusinessModel
from aftersales.maintenance import rules

# the field's choices, built from the one list of the checklist rules
ItemKind = models.TextChoices(  # type: ignore[call-overload]
    "ItemKind", [(k.name, (k.value, k.label)) for k in rules.ItemKind]
)


class ChecklistTemplate(BusinessModel):
    code = models.CharField("编码", max_length=30)
    version = models.PositiveIntegerField("版本", default=1)
    name = models.CharField("名称", max_length=100)
    category = models.ForeignKey(
        "installed_base.ProductCategory",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="设备类别",
    )
    plan_kind = models.CharField("适用计划类型", max_length=20, blank=True)
    source = models.CharField("依据", max_length=100, blank=True)

    visibility = {"public": "yes"}

    class Meta:
        verbose_name = "检查表"
        verbose_name_plural = "检查表"
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="uniq_checklist_version")
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class ChecklistItem(models.Model):
    """One line of a checklist version; never changed once the version is in use (a change
    is a new version)."""

    template = models.ForeignKey(
        ChecklistTemplate, on_delete=models.PROTECT, related_name="items", verbose_name="检查表"
    )
    seq = models.PositiveSmallIntegerField("序号")
    text = models.CharField("检查项目", max_length=200)
    method = models.CharField("检查方法", max_length=200, blank=True)
    kind = models.CharField("类型", max_length=10, choices=ItemKind.choices, default=ItemKind.CHECK)
    unit = models.CharField("单位", max_length=20, blank=True)
    min_value = models.DecimalField("下限", max_digits=12, decimal_places=3, null=True, blank=True)
    max_value = models.DecimalField("上限", max_digits=12, decimal_places=3, null=True, blank=True)
    photo_required = models.BooleanField("须拍照", default=False)

    class Meta:
        verbose_name = "检查项"
        verbose_name_plural = "检查项"
        ordering = ["template", "seq"]
        constraints = [models.UniqueConstraint(fields=["template", "seq"], name="uniq_item_seq")]

    def __str__(self) -> str:
        return f"{self.seq}. {self.text}"

    @property
    def expected(self) -> str:
        if self.kind != ItemKind.VALUE:
            return "合格"
        lo, hi = self.min_value, self.max_value
        unit = self.unit
        if lo is not None and hi is not None:
            return f"{lo.normalize():f}–{hi.normalize():f} {unit}".strip()
        if lo is not None:
            return f"≥ {lo.normalize():f} {unit}".strip()
        if hi is not None:
            return f"≤ {hi.normalize():f} {unit}".strip()
        return unit
