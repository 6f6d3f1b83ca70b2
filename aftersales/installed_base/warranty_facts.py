"""From the installed-base tables to the pure warranty rules (``aftersales.warranty.rules``):
the equipment's facts and its policy as plain values, and the status shown on its page."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.utils import timezone

from aftersales.installed_base.models import Equipment, WarrantyPolicy
from aftersales.warranty import rules
from aftersales.warranty.periods import Season, WarrantyPeriod

if TYPE_CHECKING:
    from aftersales.installed_base.selectors import WarrantyStatus


def _mmdd(text: str) -> tuple[int, int]:
    month, day = text.split("-")
    return int(month), int(day)


def period_of(policy: WarrantyPolicy) -> WarrantyPeriod:
    if policy.period_kind == WarrantyPolicy.PeriodKind.SEASONS:
        sm, sd = _mmdd(policy.season_start)
        em, ed = _mmdd(policy.season_end)
        season = Season(
            code=policy.code,
            name=policy.season_name or "季",
            start_month=sm,
            start_day=sd,
            end_month=em,
            end_day=ed,
        )
        return WarrantyPeriod(seasons=policy.seasons, season=season)
    return WarrantyPeriod(months=policy.months)


def rule_policy(
    policy: WarrantyPolicy, category: dict[str, WarrantyPolicy] | None = None
) -> rules.WarrantyPolicy:
    """The unit policy with the category's component policies attached."""
    if category is None:
        category = {
            p.component_code: p
            for p in WarrantyPolicy.objects.active().filter(category_id=policy.category_id)
        }
    components = {code: period_of(p) for code, p in category.items() if code}
    return rules.WarrantyPolicy(
        period=period_of(policy),
        latent_defect_months=policy.latent_defect_months,
        non_quality_charging=(
            rules.NonQualityCharging.PARTS_AT_COST
            if policy.non_quality_mode == WarrantyPolicy.NonQualityMode.PARTS_AT_COST
            else rules.NonQualityCharging.CHARGEABLE
        ),
        waive_out_of_warranty_labour=policy.waive_labour_out_of_warranty,
        component_periods=components,
        card_deadline_days=policy.card_deadline_days,
        start_event=rules.StartEvent(policy.start_event),
    )


def facts_of(equipment: Equipment) -> rules.EquipmentFacts:
    site = equipment.site
    return rules.EquipmentFacts(
        installed_project=site.is_project and equipment.dealer_id is None,
        acceptance_date=equipment.acceptance_date or site.acceptance_date,
        sale_date=equipment.sale_date,
        completion_date=site.completion_date or equipment.installation_date,
        dealer_sold=equipment.dealer_id is not None,
        card_received_on=equipment.card_received_date,
        card_status=rules.CardStatus(equipment.card_status),
    )


def fitted_part(
    code: str, fitted_on: date, in_warranty_repair: bool, warranty_months: int | None
) -> rules.FittedPart:
    """A fitted part with its own period (独立保修月数) when the component row has one."""
    return rules.FittedPart(
        component_code=code,
        fitted_on=fitted_on,
        in_warranty_repair=in_warranty_repair,
        period=WarrantyPeriod(months=warranty_months) if warranty_months else None,
    )


def fitted_parts_of(equipment: Equipment) -> list[rules.FittedPart]:
    """Parts fitted in a warranty repair (service.services.warranty._history reads the same
    rows in SQL on the registration path: keep the two in step)."""
    return [
        fitted_part(c.code, c.fitted_date, c.fitted_in_warranty_repair, c.warranty_months)
        for c in equipment.components.active()
        if c.fitted_date is not None and c.fitted_in_warranty_repair
    ]


def status_for(
    equipment: Equipment, policy: WarrantyPolicy | None, today: date | None = None
) -> WarrantyStatus:
    from aftersales.installed_base.selectors import WarrantyStatus

    if policy is None:
        return WarrantyStatus(
            label="未配置保修政策",
            css="unknown",
            reasons=["该产品类别尚未配置保修政策，请联系管理员"],
        )
    today = today or timezone.localdate()
    decision = rules.decide_warranty(
        policy=rule_policy(policy),
        equipment=facts_of(equipment),
        claim=rules.Claim(failure_date=today),
        fitted_parts=fitted_parts_of(equipment),
    )
    if decision.outcome == rules.Outcome.EXCLUDED and decision.warranty_start is None:
        label, css = "不予保修", "out"
    elif decision.in_warranty:
        label, css = "保修期内", "in"
    else:
        label, css = "已过保修期", "out"
    return WarrantyStatus(
        label=label,
        css=css,
        policy=policy,
        start=decision.warranty_start,
        end=decision.warranty_end,
        latent_until=decision.latent_defect_until,
        reasons=[r.text for r in decision.reasons if r.code not in {"cause", "outcome"}],
    )
