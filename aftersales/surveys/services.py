"""Sending a survey to a sample of customers, recording a customer's answers through the
public link, and the results by question × region / product category."""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from aftersales.core import audit
from aftersales.core.errors import NotFound, PermissionDenied, ValidationFailed
from aftersales.core.said import Said
from aftersales.customers.models import Customer
from aftersales.installed_base.models import Equipment
from aftersales.notifications.services import notify_customer
from aftersales.surveys.models import (
    QuestionKind,
    Survey,
    SurveyAnswer,
    SurveyInvitation,
    SurveyQuestion,
    SurveyState,
)

RUNNERS = frozenset({"admin", "coordinator", "manager"})
MAX_SAMPLE = 5000
COMMENT_MAX = SurveyAnswer._meta.get_field("comment").max_length or 500


def _may_run(actor: Any) -> None:
    if getattr(actor, "org_kind", "company") != "company" or not (
        actor.is_superuser or actor.role_codes & RUNNERS
    ):
        raise PermissionDenied("只有售后主办、主管领导或管理员可以发送满意度调查")


def sample(survey: Survey, customers: list[int]) -> list[int]:
    """A reproducible random sample of ``survey.sample_size`` customer ids (seeded by the
    survey, so sending again after a rollback picks the same customers)."""
    pool = sorted(customers)
    size = min(survey.sample_size, len(pool), MAX_SAMPLE)
    return sorted(random.Random(f"survey:{survey.pk}:{survey.code}").sample(pool, size))


def _main_categories(customer_ids: list[int]) -> dict[int, int]:
    """Each customer's product category with the most active units."""
    counts = (
        Equipment.objects.filter(site__customer_id__in=customer_ids, archived_at__isnull=True)
        .values("site__customer_id", "model__category_id")
        .annotate(n=Count("id"))
        .order_by("site__customer_id", "-n", "model__category_id")
    )
    out: dict[int, int] = {}
    for row in counts:
        out.setdefault(row["site__customer_id"], row["model__category_id"])
    return out


@transaction.atomic
def send(*, actor: Any, survey_id: int) -> Survey:
    """Invite a sample of active customers: one invitation each, with its public link, told
    through the outbox (portal message, e-mail / SMS to the primary contact)."""
    _may_run(actor)
    survey = Survey.objects.select_for_update().filter(pk=survey_id).first()
    if survey is None:
        raise NotFound("满意度调查不存在")
    if survey.state != SurveyState.DRAFT:
        raise ValidationFailed("该调查已发送，不能重复发送", field="state")
    questions = list(survey.questions.all())
    if not questions:
        raise ValidationFailed("调查还没有问题，请先添加问题", field="questions")
    if survey.sample_size < 1:
        raise ValidationFailed("抽样客户数至少为 1", field="sample_size")
    active = list(Customer.objects.filter(archived_at__isnull=True).values_list("pk", flat=True))
    chosen = sample(survey, active)
    if not chosen:
        raise ValidationFailed("没有可调查的客户", field="sample_size")
    categories = _main_categories(chosen)
    customers = Customer.objects.filter(pk__in=chosen).prefetch_related("contacts")
    now = timezone.now()
    for customer in customers:
        inv = SurveyInvitation.objects.create(
            survey=survey,
            customer=customer,
            region_id=customer.region_id,
            category_id=categories.get(customer.pk),
        )
        contact = next((c for c in customer.contacts.all() if c.is_primary), None)
        notify_customer(
            key=f"survey:{inv.pk}:invite",
            customer_contact_name=contact.name if contact else customer.name,
            phone=(contact.mobile if contact else "") or customer.phone,
            email=contact.email if contact else "",
            subject=Said("满意度调查：%(name)s", name=survey.name),
            body=(survey.intro or "感谢您使用我们的售后服务，请花一两分钟告诉我们您的评价。")
            + "请打开链接作答。",
            link=f"/survey/{inv.token}/",
            customer=customer,
        )
    before = audit.snapshot(survey)
    survey.state, survey.sent_at, survey.sent_by = SurveyState.SENT, now, actor
    survey.save(update_fields=["state", "sent_at", "sent_by", "updated_at"])
    audit.record(
        survey,
        actor=actor,
        action="action",
        verb="send",
        before=before,
        after=audit.snapshot(survey),
        from_state=SurveyState.DRAFT,
        to_state=SurveyState.SENT,
        payload={"invited": len(chosen)},
        at=now,
    )
    return survey


def is_over(survey: Survey, today: Any) -> bool:
    """Closed, or past its closing date (the last day to answer)."""
    return survey.state == SurveyState.CLOSED or bool(survey.closes_on and today > survey.closes_on)


def invitation_by_token(token: str) -> SurveyInvitation:
    inv = (
        SurveyInvitation.objects.select_related("survey", "customer")
        .filter(token=token[:32], archived_at__isnull=True)
        .first()
    )
    if inv is None or inv.survey.state == SurveyState.DRAFT:
        raise NotFound("调查链接无效")
    return inv


def _score(value: str, q: SurveyQuestion) -> int | None:
    if value == "":
        return None
    if value not in {"1", "2", "3", "4", "5"}:
        raise ValidationFailed(Said("「%(text)s」请选择 1 到 5 分", text=q.text), field=f"q{q.pk}")
    return int(value)


@transaction.atomic
def answer(*, token: str, values: dict[str, str]) -> SurveyInvitation:
    """The customer's answers through the public link (``values``: ``q<id>`` → text), once."""
    inv = invitation_by_token(token)
    inv = SurveyInvitation.objects.select_for_update().get(pk=inv.pk)
    survey = inv.survey
    if inv.answered_at is not None:
        raise ValidationFailed("您已提交过本次调查，谢谢！", field="token")
    if is_over(survey, timezone.localdate()):
        raise ValidationFailed("本次调查已结束，谢谢您的关注", field="token")
    rows = []
    for q in survey.questions.all():
        raw = (values.get(f"q{q.pk}") or "").strip()
        score, yes, comment = None, None, ""
        if q.kind == QuestionKind.SCORE:
            score = _score(raw, q)
        elif q.kind == QuestionKind.YES_NO:
            if raw not in ("", "yes", "no"):
                raise ValidationFailed(
                    Said("「%(text)s」请选择是或否", text=q.text), field=f"q{q.pk}"
                )
            yes = None if raw == "" else raw == "yes"
        else:
            if len(raw) > COMMENT_MAX:
                raise ValidationFailed(
                    Said(
                        "「%(text)s」最多 %(COMMENT_MAX)s 字", text=q.text, COMMENT_MAX=COMMENT_MAX
                    ),
                    field=f"q{q.pk}",
                )
            comment = raw
        if q.required and score is None and yes is None and not comment:
            raise ValidationFailed(Said("请回答「%(text)s」", text=q.text), field=f"q{q.pk}")
        rows.append(SurveyAnswer(invitation=inv, question=q, score=score, yes=yes, comment=comment))
    SurveyAnswer.objects.bulk_create(rows)
    inv.answered_at = timezone.now()
    inv.save(update_fields=["answered_at", "updated_at"])
    audit.record(
        inv,
        actor=None,
        action="action",
        verb="answer",
        payload={"answers": len(rows)},
        at=inv.answered_at,
    )
    return inv


# --- results ---------------------------------------------------------------------------


@dataclass
class Cell:
    answers: int
    value: Decimal | None  # mean score (score) or share answering yes in % (yes/no)


@dataclass
class Results:
    invited: int
    answered: int
    groups: list[tuple[int | None, str]]  # (group id, name); None = the whole survey
    rows: list[tuple[SurveyQuestion, list[Cell]]]  # per question, one cell per group

    @property
    def response_rate(self) -> Decimal:
        if not self.invited:
            return Decimal("0.0")
        return (Decimal(self.answered * 100) / self.invited).quantize(Decimal("0.1"))


GROUPINGS = {"region": "invitation__region", "product": "invitation__category"}


def results(survey: Survey, by: str | None = None) -> Results:
    """Per question (score and yes/no questions): answers and mean score / share of yes,
    overall and per region or product category (the invitation's, at sending time)."""
    from aftersales.core.models import Region
    from aftersales.installed_base.models import ProductCategory

    if by not in (None, "", *GROUPINGS):
        raise ValidationFailed("分组方式无效：可按片区或产品类别", field="by")
    invitations = survey.invitations.filter(archived_at__isnull=True)
    answered = invitations.filter(answered_at__isnull=False).count()
    questions = [q for q in survey.questions.all() if q.kind != QuestionKind.TEXT]
    answers = SurveyAnswer.objects.filter(
        invitation__survey=survey, invitation__archived_at__isnull=True
    )
    field = GROUPINGS.get(by or "")
    groups: list[tuple[int | None, str]] = [(None, "")]
    if field:
        ids = sorted({g for g in answers.values_list(field, flat=True).distinct()}, key=str)
        model = Region if by == "region" else ProductCategory
        names = dict(model.objects.filter(pk__in=[i for i in ids if i]).values_list("pk", "name"))
        groups = [(i, names.get(i, "—") if i else "—") for i in ids]
    tally: dict[tuple[int, Any], list[int]] = defaultdict(list)
    for row in answers.values("question_id", "score", "yes", *([field] if field else [])):
        key = (row["question_id"], row[field] if field else None)
        if row["score"] is not None:
            tally[key].append(int(row["score"]))
        elif row["yes"] is not None:
            tally[key].append(100 if row["yes"] else 0)
    out_rows = []
    for q in questions:
        cells = []
        for gid, _name in groups:
            values = tally.get((q.pk, gid), [])
            mean = (
                (Decimal(sum(values)) / len(values)).quantize(
                    Decimal("0.01") if q.kind == QuestionKind.SCORE else Decimal("0.1"),
                    rounding=ROUND_HALF_UP,
                )
                if values
                else None
            )
            cells.append(Cell(len(values), mean))
        out_rows.append((q, cells))
    return Results(invitations.count(), answered, groups, out_rows)
