"""Fault cases (故障案例) and articles (知识文章: how-tos, manuals, training material), their
attachments and the usefulness feedback of the people they were suggested to (SPEC §6.5).

Both carry a review state (draft → reviewed → published → retired; retired, never deleted)
and a precomputed search document: the keys of ``knowledge.search.index`` in two arrays
(title / phenomenon / codes, and cause / solution) and a weighted ``tsvector`` built from
them in SQL, with GIN indexes, so that candidate generation is one index scan."""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F, Func, Q

from aftersales.core.models import BusinessModel
from aftersales.core.models import user_field as _user
from aftersales.core.uploads import VerifiedFileField


class ReviewState(models.TextChoices):
    DRAFT = "draft", "草稿"
    REVIEWED = "reviewed", "已审核"
    PUBLISHED = "published", "已发布"
    RETIRED = "retired", "已停用"


class ArticleKind(models.TextChoices):
    HOWTO = "howto", "操作指导"
    MANUAL = "manual", "产品手册"
    TRAINING = "training", "培训资料"


class Verdict(models.TextChoices):
    SOLVED = "solved", "解决了问题"
    NOT_RELEVANT = "not_relevant", "不相关"


class WeightedDocument(Func):
    """``setweight(array_to_tsvector(main), 'A') || setweight(array_to_tsvector(more), 'C')``"""

    arg_joiner = "), 'A') || setweight(array_to_tsvector("
    template = "(setweight(array_to_tsvector(%(expressions)s), 'C'))"
    output_field = SearchVectorField()


class Reviewed(BusinessModel):
    """What cases and articles share: review state, audience, the search document."""

    state = models.CharField(
        "审核状态",
        max_length=12,
        choices=ReviewState.choices,
        default=ReviewState.DRAFT,
        db_index=True,
    )
    is_public = models.BooleanField("对客户/经销商公开", default=False)
    author = _user("作者")
    reviewed_by = _user("审核人")
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    retired_at = models.DateTimeField("停用时间", null=True, blank=True)
    # the search document (knowledge.search.index), rebuilt by the services on every change
    keys_main = ArrayField(models.CharField(max_length=60), default=list, blank=True)
    keys_more = ArrayField(models.CharField(max_length=60), default=list, blank=True)
    search_text = models.TextField("检索文本", blank=True, default="")
    search_pinyin = models.TextField("检索拼音", blank=True, default="")
    search_doc = models.GeneratedField(
        expression=WeightedDocument(F("keys_main"), F("keys_more")),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    visibility = {"public": "yes"}  # narrowed for customers and dealers by the selectors
    audit_exclude = frozenset(
        {"updated_at", "keys_main", "keys_more", "search_text", "search_pinyin", "search_doc"}
    )

    class Meta:
        abstract = True


class Case(Reviewed):
    category = models.ForeignKey(
        "installed_base.ProductCategory",
        on_delete=models.PROTECT,
        related_name="knowledge_cases",
        verbose_name="产品类别",
    )
    product_model = models.ForeignKey(
        "installed_base.ProductModel",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="knowledge_cases",
        verbose_name="产品型号",
    )
    title = models.CharField("标题", max_length=200)
    phenomenon = models.TextField("故障现象", max_length=4000)
    cause = models.TextField("故障原因", max_length=4000, blank=True)
    solution = models.TextField("解决方法", max_length=4000, blank=True)
    codes = models.CharField(
        "故障代码/关键字", max_length=200, blank=True, help_text="多个用逗号分隔，如 E4, P1"
    )
    source_ticket = models.ForeignKey(
        "service.Ticket",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="knowledge_cases",
        verbose_name="来源报修单",
    )
    source_report = models.ForeignKey(
        "service.ServiceReport",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="knowledge_cases",
        verbose_name="来源服务报告",
    )
    external_id = models.CharField("外部编号", max_length=100, blank=True)
    solved_count = models.PositiveIntegerField("“解决了”次数", default=0)
    not_relevant_count = models.PositiveIntegerField("“不相关”次数", default=0)

    class Meta:
        verbose_name = "故障案例"
        verbose_name_plural = "故障案例"
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["external_id"],
                condition=~Q(external_id=""),
                name="kb_case_external_id_unique",
            )
        ]
        indexes = [
            GinIndex(fields=["search_doc"], name="kb_case_doc_gin"),
            models.Index(fields=["state", "category"], name="kb_case_state_cat"),
        ]

    def __str__(self) -> str:
        return self.title


class Article(Reviewed):
    kind = models.CharField(
        "类型", max_length=12, choices=ArticleKind.choices, default=ArticleKind.HOWTO
    )
    category = models.ForeignKey(
        "installed_base.ProductCategory",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="knowledge_articles",
        verbose_name="产品类别（空=通用）",
    )
    title = models.CharField("标题", max_length=200)
    body = models.TextField("正文", max_length=20000)
    source_case = models.ForeignKey(
        Case,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="articles",
        verbose_name="来源案例（典型案例转培训资料）",
    )
    external_id = models.CharField("外部编号", max_length=100, blank=True)

    class Meta:
        verbose_name = "知识文章"
        verbose_name_plural = "知识文章"
        ordering = ["-updated_at", "-id"]
        indexes = [GinIndex(fields=["search_doc"], name="kb_article_doc_gin")]

    def __str__(self) -> str:
        return self.title


class Attachment(BusinessModel):
    case = models.ForeignKey(
        Case,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="attachments",
        verbose_name="案例",
    )
    article = models.ForeignKey(
        Article,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="attachments",
        verbose_name="文章",
    )
    file = VerifiedFileField("文件", upload_to="knowledge/%Y/%m/")
    name = models.CharField("文件名", max_length=200)
    uploaded_by = _user("上传人")

    visibility = {"public": "yes"}

    class Meta:
        verbose_name = "知识库附件"
        verbose_name_plural = "知识库附件"
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(case__isnull=False, article__isnull=True)
                | Q(case__isnull=True, article__isnull=False),
                name="kb_attachment_one_owner",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Feedback(BusinessModel):
    """「解决了」/「不相关」 on a suggested case, by one person, optionally for one ticket."""

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="feedback", verbose_name="案例"
    )
    verdict = models.CharField("反馈", max_length=15, choices=Verdict.choices)
    user = _user("反馈人")
    ticket = models.ForeignKey(
        "service.Ticket",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="knowledge_feedback",
        verbose_name="报修单",
    )
    query = models.CharField("当时的描述", max_length=500, blank=True)

    visibility = {"public": "yes"}

    class Meta:
        verbose_name = "案例反馈"
        verbose_name_plural = "案例反馈"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "user", "ticket"],
                condition=Q(ticket__isnull=False),
                name="kb_feedback_once_per_ticket",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case} · {self.get_verdict_display()}"


class TermStat(models.Model):
    """How many published cases carry a search key (document frequency, for the weights and
    for choosing the selective keys of the candidate query). Kept by the services."""

    key = models.CharField(max_length=60, primary_key=True)
    df = models.IntegerField(default=0)

    class Meta:
        verbose_name = "检索词频"
        verbose_name_plural = "检索词频"

    def __str__(self) -> str:
        return f"{self.key}: {self.df}"


class Posting(models.Model):
    """One search key of one published, live case (an inverted index of ``keys_main`` /
    ``keys_more``), kept by ``knowledge.services.index`` in the same transaction as the
    case's search document. The candidate query sums its weights per case from the primary
    key's index alone (``key, case`` with ``main, category, is_public`` included: an
    index-only scan, no row of the case read and no ``ts_rank``)."""

    pk = models.CompositePrimaryKey("key", "case")
    key = models.CharField(max_length=60)
    case = models.ForeignKey(
        Case, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    main = models.BooleanField(default=True)  # in the title / phenomenon / codes (else more)
    category = models.ForeignKey(
        "installed_base.ProductCategory",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    is_public = models.BooleanField(default=False)

    class Meta:
        verbose_name = "检索倒排项"
        verbose_name_plural = "检索倒排项"

    def __str__(self) -> str:
        return f"{self.key} → {self.case_id}"
