"""The search vocabulary as data an administrator edits: dictionary words for the word
segmentation (product terms, part names, error codes, model numbers) and synonym groups
(colloquial variants of one fault, per product category or for all)."""

from __future__ import annotations

from django.db import models

from aftersales.core.models import BusinessModel


class WordKind(models.TextChoices):
    TERM = "term", "产品术语"
    PART = "part", "配件名称"
    FAULT = "fault", "故障说法"
    CODE = "code", "故障代码"
    MODEL = "model", "型号"


class DictionaryWord(BusinessModel):
    word = models.CharField("词语", max_length=40, unique=True)
    kind = models.CharField("类型", max_length=10, choices=WordKind.choices, default=WordKind.TERM)
    category = models.ForeignKey(
        "installed_base.ProductCategory",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="产品类别（空=通用）",
    )

    visibility = {"public": "yes"}

    class Meta:
        verbose_name = "分词词典词语"
        verbose_name_plural = "分词词典"
        ordering = ["word"]

    def __str__(self) -> str:
        return self.word


class SynonymGroup(BusinessModel):
    """Words and phrases that mean the same fault: 不制冷、不凉、制冷效果差… A query that says
    one of them finds cases that say another (matched on pinyin, so homophone typos too)."""

    name = models.CharField("名称", max_length=40)
    category = models.ForeignKey(
        "installed_base.ProductCategory",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="产品类别（空=通用）",
    )
    terms = models.TextField("同义说法", max_length=2000, help_text="每行一个，或用顿号、逗号分隔")

    visibility = {"public": "yes"}

    class Meta:
        verbose_name = "同义词组"
        verbose_name_plural = "同义词组"
        ordering = ["category__code", "name"]

    def __str__(self) -> str:
        return self.name

    def term_list(self) -> list[str]:
        import re

        return [t.strip() for t in re.split(r"[\n,，、;；|]+", self.terms or "") if t.strip()]
