"""Demo stocking plans (备货计划), made through the services: a season far enough ahead
(plans due in two weeks: one approved, one submitted, the rest drafts) and one starting in
three weeks whose plans were due ten days ago (one sent late, the others late and still not
in). Nothing when a season already exists."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from aftersales.catalog.models import Part
from aftersales.core.errors import DomainError
from aftersales.dealers.models import Season, StockingPlan
from aftersales.dealers.services import stocking
from aftersales.installed_base.models import ProductModel


def _try(fn: Any) -> Any:
    try:
        with transaction.atomic():
            return fn()
    except DomainError:
        return None


def load_stocking(*, users: dict[str, Any]) -> int:
    """Returns how many plans were opened."""
    coordinator = users.get("coordinator")
    if coordinator is None or Season.objects.exists():
        return 0
    today = timezone.localdate()
    parts = list(Part.objects.active().order_by("code")[:3])
    product = ProductModel.objects.filter(archived_at__isnull=True).order_by("code").first()
    if not parts:
        return 0
    lines = [stocking.LineIn("part", p.code, str(10 * (i + 1))) for i, p in enumerate(parts)]
    if product is not None:
        lines.append(stocking.LineIn("product", product.code, "2"))
    dealer_users = {
        int(u.dealer_id or 0): u
        for u in get_user_model().objects.filter(org_kind="dealer", is_active=True).order_by("-pk")
    }
    far, near = today + dt.timedelta(days=45), today + dt.timedelta(days=20)
    ahead = _try(
        lambda: stocking.open_season(
            actor=coordinator,
            code=f"CG{far:%Y%m}",
            name=f"{far.year}年春耕旺季",
            starts_on=far,
            ends_on=far + dt.timedelta(days=60),
        )
    )
    soon = _try(
        lambda: stocking.open_season(
            actor=coordinator,
            code=f"DC{near:%Y%m}",
            name=f"{near.year}年冬储旺季",
            starts_on=near,
            ends_on=near + dt.timedelta(days=60),
        )
    )
    for season, steps in ((ahead, ("approve", "submit")), (soon, ("late",))):
        if season is None:
            continue
        plans = [
            p
            for p in StockingPlan.objects.filter(season=season).order_by("dealer__code")
            if p.dealer_id in dealer_users
        ]
        for plan, step in zip(plans, steps, strict=False):
            user = dealer_users[plan.dealer_id]
            _try(
                lambda plan=plan, user=user: stocking.save_lines(
                    actor=user, plan_id=plan.pk, lines=lines
                )
            )
            _try(lambda plan=plan, user=user: stocking.submit(actor=user, plan_id=plan.pk))
            if step == "approve":
                _try(
                    lambda plan=plan: stocking.review(
                        actor=coordinator, plan_id=plan.pk, approve=True, note="数量合理"
                    )
                )
    return StockingPlan.objects.count()
