"""Bringing a department's case collection in and taking it out: JSON lines (one object per
line) and Excel (one row per case, the same columns). An import is checked line by line
first — every error named by its line, in Chinese — and written all or nothing: one bad
line imports nothing. Imported cases wait as drafts; ``publish`` publishes an already
reviewed collection at once (review + publish, audited, by the importing user)."""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.db import transaction
from openpyxl import Workbook, load_workbook

from aftersales.core.errors import DomainError, ValidationFailed
from aftersales.core.exports import safe
from aftersales.core.said import Said
from aftersales.installed_base.models import ProductCategory, ProductModel
from aftersales.knowledge.models import Case, ReviewState
from aftersales.knowledge.services import entries

COLUMNS = ("external_id", "category", "model", "title", "phenomenon", "cause", "solution")
OPTIONAL = ("codes", "is_public")
REQUIRED = ("category", "title", "phenomenon")
HEADER_LABELS = {
    "external_id": "外部编号",
    "category": "产品类别",
    "model": "产品型号",
    "title": "标题",
    "phenomenon": "故障现象",
    "cause": "故障原因",
    "solution": "解决方法",
    "codes": "故障代码",
    "is_public": "对外公开",
}
LABEL_TO_KEY = {v: k for k, v in HEADER_LABELS.items()}
MAX_LINES = 50000


@dataclass
class ImportResult:
    lines: int = 0
    created: list[int] = field(default_factory=list)
    published: bool = False


class ImportRefused(ValidationFailed):
    """Nothing was imported; ``problems`` lists ``(line, message)``."""

    def __init__(self, problems: list[tuple[int, str]]) -> None:
        self.problems = problems
        shown = "；".join(Said("第%(n)s行：%(m)s", n=n, m=m) for n, m in problems[:20])
        more = (
            Said("（共%(problems)s处错误）", problems=len(problems)) if len(problems) > 20 else ""
        )
        super().__init__(
            Said("导入失败，未导入任何案例。%(shown)s%(more)s", shown=shown, more=more),
            code="import_refused",
        )


def read_jsonl(stream: Iterable[str]) -> Iterator[tuple[int, dict[str, Any] | str]]:
    """``(line number, object)``, or ``(line number, error)`` for a line that is not one."""
    for n, raw in enumerate(stream, start=1):
        line = raw.strip().lstrip("\ufeff")
        if not line:
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield n, Said("不是有效的 JSON（第%(colno)s列附近）", colno=exc.colno)
            continue
        yield n, obj if isinstance(obj, dict) else "每行须为一个 JSON 对象"


def read_xlsx(data: IO[bytes]) -> Iterator[tuple[int, dict[str, Any] | str]]:
    """Rows of the first sheet under a header of column keys or their Chinese labels."""
    wb = load_workbook(data, read_only=True, data_only=True)
    ws = wb.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    header = next(rows, None)
    if header is None:
        return
    keys = [LABEL_TO_KEY.get(str(h or "").strip(), str(h or "").strip()) for h in header]
    missing = [HEADER_LABELS[k] for k in REQUIRED if k not in keys]
    if missing:
        yield 1, Said("表头缺少列：%(join)s", join="、".join(missing))
        return
    for n, row in enumerate(rows, start=2):
        if all(v in (None, "") for v in row):
            continue
        yield n, {k: v for k, v in zip(keys, row, strict=False) if k}


class _Lookups:
    def __init__(self) -> None:
        cats = list(ProductCategory.objects.active())
        self.categories = {c.code.lower(): c for c in cats} | {c.name: c for c in cats}
        self.models = {m.code.lower(): m for m in ProductModel.objects.active()}

    def category(self, value: str) -> ProductCategory | None:
        return self.categories.get(value) or self.categories.get(value.lower())

    def model(self, value: str) -> ProductModel | None:
        return self.models.get(value.lower())


def _str(obj: dict[str, Any], key: str) -> str:
    value = obj.get(key)
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        raise ValueError(Said("「%(get)s」须为文字", get=HEADER_LABELS.get(key, key)))
    return str(value).strip()


def _flag(value: Any) -> bool:
    return str(value or "").strip().lower() in ("1", "true", "yes", "y", "是", "公开")


def to_input(obj: dict[str, Any], look: _Lookups) -> entries.CaseInput:
    """One object as a case input; ``ValueError`` with a Chinese message if it is not one."""
    unknown = [k for k in obj if k not in COLUMNS + OPTIONAL]
    if unknown:
        raise ValueError(Said("未知字段：%(join)s", join="、".join(map(str, unknown))))
    values = {k: _str(obj, k) for k in COLUMNS + OPTIONAL if k != "is_public"}
    for k in REQUIRED:
        if not values[k]:
            raise ValueError(Said("缺少「%(v1)s」", v1=HEADER_LABELS[k]))
    cat = look.category(values["category"])
    if cat is None:
        raise ValueError(Said("产品类别「%(category)s」不存在", category=values["category"]))
    model = None
    if values["model"]:
        model = look.model(values["model"])
        if model is None:
            raise ValueError(Said("产品型号「%(model)s」不存在", model=values["model"]))
        if model.category_id != cat.pk:
            raise ValueError(
                Said("型号「%(code)s」不属于类别「%(name)s」", code=model.code, name=cat.name)
            )
    return entries.CaseInput(
        category_id=cat.pk,
        product_model_id=model.pk if model else None,
        title=values["title"],
        phenomenon=values["phenomenon"],
        cause=values["cause"],
        solution=values["solution"],
        codes=values["codes"],
        external_id=values["external_id"],
        is_public=_flag(obj.get("is_public")),
    )


def check(
    rows: Iterable[tuple[int, dict[str, Any] | str]],
) -> tuple[list[tuple[int, entries.CaseInput]], list[tuple[int, str]]]:
    """Every line checked before anything is written: the inputs and the problems."""
    look = _Lookups()
    good: list[tuple[int, entries.CaseInput]] = []
    problems: list[tuple[int, str]] = []
    seen: dict[str, int] = {}
    for n, obj in rows:
        if len(good) + len(problems) >= MAX_LINES:
            problems.append((n, Said("一次最多导入%(MAX_LINES)s条", MAX_LINES=MAX_LINES)))
            break
        if isinstance(obj, str):
            problems.append((n, obj))
            continue
        try:
            data = to_input(obj, look)
            entries.case_fields(data)  # the lengths and the model/category rules
        except ValueError as exc:
            problems.append((n, str(exc)))
            continue
        except DomainError as exc:
            problems.append((n, exc.message))
            continue
        if data.external_id:
            if data.external_id in seen:
                problems.append(
                    (
                        n,
                        Said(
                            "外部编号「%(external_id)s」与第%(v3)s行重复",
                            external_id=data.external_id,
                            v3=seen[data.external_id],
                        ),
                    )
                )
                continue
            seen[data.external_id] = n
        good.append((n, data))
    taken = set(
        Case.objects.filter(external_id__in=list(seen)).values_list("external_id", flat=True)
    )
    problems += [
        (n, Said("外部编号「%(external_id)s」已存在", external_id=d.external_id))
        for n, d in good
        if d.external_id in taken
    ]
    problems.sort()
    return good, problems


def import_cases(
    rows: Iterable[tuple[int, dict[str, Any] | str]],
    *,
    actor: Any,
    publish: bool = False,
    dry_run: bool = False,
) -> ImportResult:
    """All the lines or none (``ImportRefused`` names every bad line)."""
    good, problems = check(rows)
    if problems:
        raise ImportRefused(problems)
    result = ImportResult(lines=len(good), published=publish)
    if dry_run:
        return result
    with transaction.atomic():
        for n, data in good:
            try:
                case = entries.case_create(actor=actor, data=data)
                if publish:
                    for action in ("review", "publish"):
                        case = entries.case_move(actor=actor, case=case, action=action)
            except DomainError as exc:
                raise ImportRefused([(n, exc.message)]) from exc
            result.created.append(case.pk)
    return result


def _rows(qs: Iterable[Case]) -> Iterator[dict[str, Any]]:
    for c in qs:
        yield {
            "external_id": c.external_id or f"KB-{c.pk}",
            "category": c.category.code,
            "model": c.product_model.code if c.product_model else "",
            "title": c.title,
            "phenomenon": c.phenomenon,
            "cause": c.cause,
            "solution": c.solution,
            "codes": c.codes,
            "is_public": c.is_public,
        }


def export_queryset(states: tuple[str, ...] = (ReviewState.PUBLISHED,)) -> Any:
    return (
        Case.objects.filter(state__in=states, archived_at__isnull=True)
        .select_related("category", "product_model")
        .order_by("id")
    )


def export_jsonl(qs: Iterable[Case], out: IO[str]) -> int:
    n = 0
    for row in _rows(qs):
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
        n += 1
    return n


def export_xlsx(qs: Iterable[Case]) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("故障案例")
    keys = COLUMNS + OPTIONAL
    ws.append([HEADER_LABELS[k] for k in keys])
    for row in _rows(qs):
        ws.append(
            [safe(ws, "是" if row[k] is True else "" if row[k] is False else row[k]) for k in keys]
        )
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
