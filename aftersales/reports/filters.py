"""The report filters (period, region, team, product category, customer tier, dealer): parsed
from a query string with a clear Chinese message for bad input, and narrowed to what the user
may see (a dealer: its own customers; a company user with a region: that region)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.core.errors import PermissionDenied, ValidationFailed
from aftersales.core.said import Said

MAX_PERIOD_DAYS = 366
TIERS = ("key", "normal")


@dataclass(frozen=True)
class ReportFilters:
    start: dt.date
    end: dt.date  # inclusive
    region_id: int | None = None
    team_id: int | None = None
    category_id: int | None = None
    tier: str = ""
    dealer_id: int | None = None

    def query(self) -> dict[str, str]:
        """The filters as query parameters (for the export and pack links)."""
        out = {"start": self.start.isoformat(), "end": self.end.isoformat()}
        for name in ("region", "team", "category", "dealer"):
            value = getattr(self, f"{name}_id")
            if value is not None:
                out[name] = str(value)
        if self.tier:
            out["tier"] = self.tier
        return out


def month_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    first = day.replace(day=1)
    nxt = (first + dt.timedelta(days=32)).replace(day=1)
    return first, nxt - dt.timedelta(days=1)


def _date(raw: str, label: str) -> dt.date:
    try:
        return dt.date.fromisoformat(raw.strip())
    except ValueError:
        raise ValidationFailed(
            Said("%(label)s格式不正确，应为 年-月-日（如 2026-03-01）", label=label),
            code="bad_date",
        ) from None


def _ref(raw: str | None, model: Any, label: str) -> int | None:
    if raw is None or not raw.strip():
        return None
    text = raw.strip()
    if (
        not text.isdigit()
        or len(text) > 12
        or not model._default_manager.filter(pk=int(text)).exists()
    ):
        raise ValidationFailed(
            Said("未知的%(label)s：%(v3)s", label=label, v3=text[:20]),
            code="unknown_" + model._meta.model_name,
        )
    return int(text)


def parse(params: Mapping[str, str], *, today: dt.date | None = None) -> ReportFilters:
    """``start``/``end`` (or ``month`` = YYYY-MM); default: this month up to today."""
    from aftersales.accounts.models import Department
    from aftersales.core.models import Region
    from aftersales.dealers.models import Dealer
    from aftersales.installed_base.models import ProductCategory

    today = today or timezone.localdate()
    month = (params.get("month") or "").strip()
    if month:
        try:
            start, end = month_bounds(dt.date.fromisoformat(month + "-01"))
        except ValueError:
            raise ValidationFailed(
                "月份格式不正确，应为 年-月（如 2026-03）", code="bad_month"
            ) from None
    else:
        start = (
            _date(params["start"], _("开始日期")) if params.get("start") else today.replace(day=1)
        )
        end = _date(params["end"], _("结束日期")) if params.get("end") else today
    if end < start:
        raise ValidationFailed("结束日期不能早于开始日期", code="end_before_start")
    if (end - start).days + 1 > MAX_PERIOD_DAYS:
        raise ValidationFailed(
            Said(
                "统计期间最长 %(MAX_PERIOD_DAYS)s 天，请缩短期间", MAX_PERIOD_DAYS=MAX_PERIOD_DAYS
            ),
            code="period_too_long",
        )
    tier = (params.get("tier") or "").strip()
    if tier and tier not in TIERS:
        raise ValidationFailed(Said("未知的客户等级：%(v1)s", v1=tier[:20]), code="unknown_tier")
    return ReportFilters(
        start=start,
        end=end,
        region_id=_ref(params.get("region"), Region, _("片区")),
        team_id=_ref(params.get("team"), Department, _("班组")),
        category_id=_ref(params.get("category"), ProductCategory, _("产品类别")),
        tier=tier,
        dealer_id=_ref(params.get("dealer"), Dealer, _("经销商")),
    )


def may_view(user: Any) -> bool:
    return bool(user.is_authenticated and user.has_perm("reports.view_panelfact"))


def scoped(filters: ReportFilters, user: Any) -> ReportFilters:
    """The filters narrowed to the user's scope: a dealer sees its own figures, a company user
    with a region (a region's manager) only that region; asking for another is refused."""
    if not may_view(user):
        raise PermissionDenied("无权查看报表")
    if getattr(user, "org_kind", "company") == "dealer":
        if filters.dealer_id not in (None, user.dealer_id):
            raise PermissionDenied("只能查看本经销商的报表")
        return replace(filters, dealer_id=user.dealer_id)
    if getattr(user, "org_kind", "company") != "company":
        raise PermissionDenied("无权查看报表")
    if user.region_id and not (user.is_superuser or user.has_role("admin")):
        if filters.region_id not in (None, user.region_id):
            raise PermissionDenied("只能查看本片区的报表")
        return replace(filters, region_id=user.region_id)
    return filters
