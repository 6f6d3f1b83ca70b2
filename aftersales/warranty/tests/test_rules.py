"""Warranty and charging decision, one test per rule of SPEC §3.2 and its precise semantics."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aftersales.warranty.periods import HEATING_SEASON, WarrantyPeriod
from aftersales.warranty.rules import (
    FREE_OF_CHARGE,
    PARTS_AT_COST_ONLY,
    QUALITY_CAUSES,
    CardStatus,
    CauseClass,
    Charge,
    ChargeFlags,
    Claim,
    ContractCoverage,
    EarlierRepair,
    EquipmentFacts,
    FittedPart,
    NonQualityCharging,
    Outcome,
    Reason,
    StartEvent,
    WarrantyDecision,
    WarrantyPolicy,
    decide_warranty,
    outcome_for_charges,
)

POLICY = WarrantyPolicy(period=WarrantyPeriod(months=12), latent_defect_months=24)
PROJECT = EquipmentFacts(
    installed_project=True,
    acceptance_date=date(2025, 3, 15),
    completion_date=date(2025, 3, 1),
)
DEALER = EquipmentFacts(
    dealer_sold=True,
    sale_date=date(2025, 5, 1),
    card_received_on=date(2025, 5, 21),
    card_status=CardStatus.RECEIVED,
)
CHARGEABLE = ChargeFlags(Charge.AT_COST, Charge.AT_PRICE, Charge.AT_PRICE)
NON_QUALITY_CAUSES = [cause for cause in CauseClass if cause not in QUALITY_CAUSES]


def decide(
    claim: Claim,
    equipment: EquipmentFacts = PROJECT,
    policy: WarrantyPolicy = POLICY,
    **kwargs: object,
) -> WarrantyDecision:
    return decide_warranty(policy=policy, equipment=equipment, claim=claim, **kwargs)  # type: ignore[arg-type]


def quality(failure: date, **kwargs: object) -> Claim:
    return Claim(failure_date=failure, cause=CauseClass.MATERIAL, **kwargs)  # type: ignore[arg-type]


# --- 1. proof checks ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "code", "text"),
    [
        (CardStatus.MISMATCH, "proof_mismatch", "保修卡所载型号或出厂编号与设备不符：不予保修"),
        (CardStatus.ALTERED, "proof_altered", "保修卡有涂改：不予保修"),
    ],
)
def test_card_mismatch_or_altered_is_excluded(status: CardStatus, code: str, text: str) -> None:
    equipment = dataclasses.replace(PROJECT, card_status=status)
    decision = decide(quality(date(2025, 6, 1)), equipment)
    assert decision.outcome is Outcome.EXCLUDED
    assert decision.charges == CHARGEABLE
    assert (decision.warranty_start, decision.warranty_end, decision.in_warranty) == (
        None,
        None,
        False,
    )
    assert decision.reasons == (
        Reason(code, text),
        Reason("excluded", "不予保修，按保修期外收费（配件按成本价收费、收取人工费、收取差旅费）"),
    )


# --- 2. dealer card deadline ------------------------------------------------------------------


def test_dealer_card_on_day_twenty_is_in_time() -> None:
    decision = decide(quality(date(2025, 6, 1)), DEALER)
    assert decision.outcome is Outcome.FREE
    assert decision.warranty_start == date(2025, 5, 1)
    assert decision.reasons[:2] == (
        Reason(
            "dealer_card_in_time",
            "三包回执卡于 2025-05-21 收到，距销售日期 2025-05-01 20 天，在 20 天内",
        ),
        Reason("start_sale", "保修起始日为三包回执卡所载销售日期 2025-05-01"),
    )


def test_dealer_card_on_day_twenty_one_is_late() -> None:
    equipment = dataclasses.replace(DEALER, card_received_on=date(2025, 5, 22))
    decision = decide(quality(date(2025, 6, 1)), equipment)
    assert decision.outcome is Outcome.EXCLUDED
    assert decision.warranty_start is None
    assert decision.reasons[0] == Reason(
        "dealer_card_late",
        "三包回执卡于 2025-05-22 收到，距销售日期 2025-05-01 已 21 天，超过 20 天：公司不予认定三包",
    )


def test_card_deadline_is_the_policys() -> None:
    """``card_deadline_days`` is read: day 21 is late under the default 20, in time under 30,
    and day 11 is late under 10."""
    equipment = dataclasses.replace(DEALER, card_received_on=date(2025, 5, 22))
    assert decide(quality(date(2025, 6, 1)), equipment).outcome is Outcome.EXCLUDED
    thirty = dataclasses.replace(POLICY, card_deadline_days=30)
    decision = decide(quality(date(2025, 6, 1)), equipment, thirty)
    assert decision.outcome is Outcome.FREE
    assert decision.reasons[0].text.endswith("21 天，在 30 天内")
    ten = dataclasses.replace(POLICY, card_deadline_days=10)
    early = dataclasses.replace(DEALER, card_received_on=date(2025, 5, 12))
    late = decide(quality(date(2025, 6, 1)), early, ten)
    assert late.outcome is Outcome.EXCLUDED
    assert late.reasons[0].text.endswith("已 11 天，超过 10 天：公司不予认定三包")


def test_dealer_sale_without_card_falls_back_to_completion_or_is_excluded() -> None:
    no_card = dataclasses.replace(DEALER, card_status=CardStatus.NONE, card_received_on=None)
    decision = decide(quality(date(2025, 6, 1)), no_card)
    assert decision.outcome is Outcome.EXCLUDED
    assert decision.reason_codes == ("dealer_card_missing", "no_proof", "excluded")
    with_completion = dataclasses.replace(no_card, completion_date=date(2025, 5, 10))
    decision = decide(quality(date(2025, 6, 1)), with_completion)
    assert decision.outcome is Outcome.FREE
    assert decision.warranty_start == date(2025, 5, 10)
    assert (
        Reason("start_completion", "无有效保修卡，保修起始日为竣工日期 2025-05-10")
        in decision.reasons
    )


# --- 3. warranty start -------------------------------------------------------------------------


def test_installed_project_starts_at_acceptance() -> None:
    decision = decide(quality(date(2025, 6, 1)))
    assert decision.warranty_start == date(2025, 3, 15)
    assert decision.reasons[0] == Reason("start_acceptance", "保修起始日为验收日期 2025-03-15")


def test_installed_project_sold_by_a_dealer_still_starts_at_acceptance() -> None:
    equipment = dataclasses.replace(
        DEALER, installed_project=True, acceptance_date=date(2025, 7, 1)
    )
    assert decide(quality(date(2025, 8, 1)), equipment).warranty_start == date(2025, 7, 1)


@pytest.mark.parametrize(
    ("equipment", "start", "text"),
    [
        (
            EquipmentFacts(completion_date=date(2025, 3, 1), acceptance_date=date(2025, 3, 15)),
            date(2025, 3, 1),
            "无有效保修卡，保修起始日为竣工日期 2025-03-01",
        ),
        (
            EquipmentFacts(completion_date=date(2025, 4, 1), acceptance_date=date(2025, 3, 15)),
            date(2025, 3, 15),
            "无有效保修卡，保修起始日为验收日期 2025-03-15",
        ),
        (
            EquipmentFacts(installed_project=True, completion_date=date(2025, 3, 1)),
            date(2025, 3, 1),
            "无有效保修卡，保修起始日为竣工日期 2025-03-01",
        ),
    ],
)
def test_otherwise_earliest_of_completion_and_acceptance(
    equipment: EquipmentFacts, start: date, text: str
) -> None:
    decision = decide(quality(date(2025, 6, 1)), equipment)
    assert decision.warranty_start == start
    assert decision.reasons[0] == Reason("start_completion", text)


def test_start_event_sale_counts_from_the_sale_date() -> None:
    """``start_event``: a policy counting from the sale date starts a direct sale (no card
    needed: the company's own sale) and a carded dealer sale of an installed project at the
    sale date; an acceptance policy starts the same units at acceptance or excludes them."""
    by_sale = dataclasses.replace(POLICY, start_event=StartEvent.SALE)
    direct = EquipmentFacts(sale_date=date(2025, 1, 1))
    assert decide(quality(date(2025, 6, 1)), direct).outcome is Outcome.EXCLUDED
    decision = decide(quality(date(2025, 6, 1)), direct, by_sale)
    assert decision.warranty_start == date(2025, 1, 1)
    assert decision.reasons[0] == Reason(
        "start_sale", "保修起始日为销售日期（保修政策自销售日期起算） 2025-01-01"
    )
    project = dataclasses.replace(DEALER, installed_project=True, acceptance_date=date(2025, 7, 1))
    assert decide(quality(date(2025, 8, 1)), project).warranty_start == date(2025, 7, 1)
    assert decide(quality(date(2025, 8, 1)), project, by_sale).warranty_start == date(2025, 5, 1)
    # a dealer sale still needs its card in time, whatever the start event
    late = dataclasses.replace(project, card_received_on=date(2025, 5, 22))
    assert decide(quality(date(2025, 8, 1)), late, by_sale).outcome is Outcome.EXCLUDED
    # with no sale date a sale policy falls back to acceptance
    assert decide(quality(date(2025, 6, 1)), PROJECT, by_sale).warranty_start == date(2025, 3, 15)


def test_no_start_date_is_excluded_for_lack_of_proof() -> None:
    decision = decide(quality(date(2025, 6, 1)), EquipmentFacts(sale_date=date(2025, 1, 1)))
    assert decision.outcome is Outcome.EXCLUDED
    assert decision.reasons[0] == Reason("no_proof", "无保修凭证，也无竣工或验收日期：不予保修")


# --- 4. warranty end ---------------------------------------------------------------------------


def test_twelve_months_cover_the_anniversary_and_not_the_next_day() -> None:
    covered = decide(quality(date(2026, 3, 15)))
    assert (covered.warranty_end, covered.in_warranty, covered.outcome) == (
        date(2026, 3, 15),
        True,
        Outcome.FREE,
    )
    assert Reason("period", "保修期12个月，至 2026-03-15 止") in covered.reasons
    late = decide(quality(date(2026, 3, 16)))
    assert (late.in_warranty, late.outcome) == (False, Outcome.CHARGEABLE)


def test_leap_day_start_ends_on_the_last_day_of_february() -> None:
    equipment = EquipmentFacts(installed_project=True, acceptance_date=date(2024, 2, 29))
    decision = decide(quality(date(2025, 2, 28)), equipment)
    assert (decision.warranty_end, decision.in_warranty) == (date(2025, 2, 28), True)
    assert not decide(quality(date(2025, 3, 1)), equipment).in_warranty


def test_seasons_policy() -> None:
    policy = dataclasses.replace(POLICY, period=WarrantyPeriod(seasons=3, season=HEATING_SEASON))
    decision = decide(quality(date(2028, 3, 15)), policy=policy)
    assert decision.warranty_end == date(2028, 3, 15)
    assert decision.in_warranty
    assert (
        Reason("period", "保修期3个采暖季（11-15 至 03-15），至 2028-03-15 止") in decision.reasons
    )
    assert not decide(quality(date(2028, 3, 16)), policy=policy).in_warranty


def test_component_period_overrides_the_unit_period() -> None:
    policy = dataclasses.replace(
        POLICY, component_periods={"compressor": WarrantyPeriod(months=36)}
    )
    decision = decide(quality(date(2027, 6, 1), component_code="compressor"), policy=policy)
    assert decision.warranty_end == date(2028, 3, 15)
    assert decision.in_warranty
    assert (
        Reason("component_period", "部件 compressor 保修期36个月，至 2028-03-15 止")
        in decision.reasons
    )
    other = decide(quality(date(2027, 6, 1), component_code="fan"), policy=policy)
    assert (other.warranty_end, other.in_warranty) == (date(2026, 3, 15), False)


# --- 7. fitted parts carry on under warranty ---------------------------------------------------


def test_part_fitted_in_a_warranty_repair_gets_a_fresh_period() -> None:
    fitted = [FittedPart("board", date(2026, 1, 10))]
    decision = decide(quality(date(2026, 6, 1), component_code="board"), fitted_parts=fitted)
    assert (decision.warranty_end, decision.in_warranty, decision.outcome) == (
        date(2027, 1, 10),
        True,
        Outcome.FREE,
    )
    assert (
        Reason(
            "fitted_part", "部件 board 于 2026-01-10 保修更换，新件保修期12个月，延至 2027-01-10 止"
        )
        in decision.reasons
    )
    assert not decide(
        quality(date(2027, 1, 11), component_code="board"), fitted_parts=fitted
    ).in_warranty


def test_fitted_part_uses_the_later_of_the_two_ends() -> None:
    # fitted 2025-01-01 (before this unit's acceptance): its own end 2026-01-01 is earlier
    fitted = [FittedPart("board", date(2025, 1, 1))]
    decision = decide(quality(date(2026, 3, 1), component_code="board"), fitted_parts=fitted)
    assert decision.warranty_end == date(2026, 3, 15)
    assert "fitted_part" not in decision.reason_codes


def test_fitted_part_with_its_own_period_is_covered_while_either_runs() -> None:
    """SPEC §3.2 rule 7 with the part's own period: a 12-month unit (to 2026-03-15) with a
    part fitted 2026-02-01 with its own 3 months (to 2026-05-01): free while either runs,
    chargeable after both have ended; a part fitted with 3 months early in the unit's period
    does not shorten it."""
    three = WarrantyPeriod(months=3)
    fitted = [FittedPart("board", date(2026, 2, 1), period=three)]

    def on(day: date, parts: list[FittedPart] = fitted) -> WarrantyDecision:
        return decide(quality(day, component_code="board"), fitted_parts=parts)

    assert on(date(2026, 3, 15)).outcome is Outcome.FREE  # both run
    between = on(date(2026, 4, 20))  # the unit's ended, the part's runs
    assert (between.outcome, between.warranty_end) == (Outcome.FREE, date(2026, 5, 1))
    assert (
        Reason(
            "fitted_part", "部件 board 于 2026-02-01 保修更换，新件保修期3个月，延至 2026-05-01 止"
        )
        in between.reasons
    )
    assert on(date(2026, 5, 1)).outcome is Outcome.FREE
    after = on(date(2026, 5, 2))
    assert (after.outcome, after.in_warranty) == (Outcome.CHARGEABLE, False)
    # without its own period the part would get the unit's 12 months
    assert on(date(2026, 5, 2), [FittedPart("board", date(2026, 2, 1))]).in_warranty
    # the part's own period ends first: the unit's end stands
    early = on(date(2026, 3, 10), [FittedPart("board", date(2025, 6, 1), period=three)])
    assert (early.warranty_end, early.outcome) == (date(2026, 3, 15), Outcome.FREE)
    # of several fitted parts the one fitted last is in the unit: its period counts
    both = [
        FittedPart("board", date(2026, 1, 1), period=WarrantyPeriod(months=12)),
        FittedPart("board", date(2026, 2, 1), period=three),
    ]
    assert on(date(2026, 4, 1), both).warranty_end == date(2026, 5, 1)


def test_fitted_part_rule_needs_the_same_component_and_a_warranty_repair() -> None:
    claim = quality(date(2026, 6, 1), component_code="board")
    other_component = [FittedPart("fan", date(2026, 1, 10))]
    paid_repair = [FittedPart("board", date(2026, 1, 10), in_warranty_repair=False)]
    assert not decide(claim, fitted_parts=other_component).in_warranty
    assert not decide(claim, fitted_parts=paid_repair).in_warranty


# --- 5. outcome --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cause", "label"),
    [
        (CauseClass.MANUFACTURING, "制造"),
        (CauseClass.ASSEMBLY, "装配"),
        (CauseClass.MATERIAL, "材料"),
        (CauseClass.INSTALLATION, "安装"),
    ],
)
def test_in_warranty_quality_cause_is_free(cause: CauseClass, label: str) -> None:
    decision = decide(Claim(date(2025, 6, 1), cause))
    assert (decision.outcome, decision.charges) == (Outcome.FREE, FREE_OF_CHARGE)
    assert decision.reasons[-1] == Reason(
        "in_warranty_quality",
        f"故障日期在保修期内，属质量原因（{label}）：免费维修（配件、人工、差旅均免费）",
    )


@pytest.mark.parametrize("cause", NON_QUALITY_CAUSES)
def test_in_warranty_non_quality_cause_pays_parts_at_cost(cause: CauseClass) -> None:
    decision = decide(Claim(date(2025, 6, 1), cause))
    assert (decision.outcome, decision.charges) == (Outcome.PARTS_AT_COST, PARTS_AT_COST_ONLY)
    assert decision.reasons[-1] == Reason(
        "in_warranty_non_quality",
        f"故障日期在保修期内，但属非质量原因（{cause.label}）：只收取工本费（配件按成本价，免收人工费和差旅费）",
    )


def test_non_quality_charging_is_configurable() -> None:
    policy = dataclasses.replace(POLICY, non_quality_charging=NonQualityCharging.CHARGEABLE)
    decision = decide(Claim(date(2025, 6, 1), CauseClass.UNSTABLE_VOLTAGE), policy=policy)
    assert (decision.outcome, decision.charges) == (Outcome.CHARGEABLE, CHARGEABLE)
    assert decision.reasons[-1].text == (
        "故障日期在保修期内，但属非质量原因（电源电压不稳）：按价目表收费（配件按成本价收费、收取人工费、收取差旅费）"
    )


def test_out_of_warranty_is_chargeable() -> None:
    decision = decide(quality(date(2026, 5, 1)))
    assert (decision.outcome, decision.charges, decision.in_warranty) == (
        Outcome.CHARGEABLE,
        CHARGEABLE,
        False,
    )
    assert decision.reasons[-1] == Reason(
        "out_of_warranty",
        "故障日期 2026-05-01 已超出保修期（至 2026-03-15 止）：按价目表收费"
        "（配件按成本价收费、收取人工费、收取差旅费），报价须经客户确认后施工",
    )


def test_out_of_warranty_labour_waiver_and_parts_basis() -> None:
    policy = dataclasses.replace(
        POLICY, waive_out_of_warranty_labour=True, out_of_warranty_parts=Charge.AT_PRICE
    )
    decision = decide(quality(date(2026, 5, 1)), policy=policy)
    assert decision.outcome is Outcome.CHARGEABLE
    assert decision.charges == ChargeFlags(Charge.AT_PRICE, Charge.WAIVED, Charge.AT_PRICE)
    assert decision.reasons[-1].text.endswith("；保修期外优惠服务，免收人工费")


def test_unappraised_cause_is_decided_provisionally() -> None:
    in_warranty = decide(Claim(date(2025, 6, 1)))
    assert (in_warranty.outcome, in_warranty.provisional) == (Outcome.FREE, True)
    assert in_warranty.reasons[-1].text == (
        "故障日期在保修期内，故障原因待鉴定，暂按质量原因：免费维修（配件、人工、差旅均免费）"
    )
    out = decide(Claim(date(2026, 6, 1), latent_defect=True, abnormal_life_appraised=True))
    assert (out.outcome, out.provisional) == (Outcome.CHARGEABLE, True)
    assert not decide(quality(date(2025, 6, 1))).provisional


def test_failure_before_the_warranty_start_counts_as_in_warranty() -> None:
    decision = decide(quality(date(2025, 3, 10)))
    assert decision.in_warranty
    assert (
        Reason("failure_before_start", "故障日期早于保修起始日，按保修期内处理") in decision.reasons
    )


# --- 5. latent defect and abnormal life -----------------------------------------------------------


def test_latent_defect_period_runs_from_the_day_after_the_warranty_end() -> None:
    decision = decide(quality(date(2028, 3, 15), latent_defect=True))
    assert decision.latent_defect_until == date(2028, 3, 15)
    assert (decision.outcome, decision.free_replacement) == (Outcome.FREE, True)
    assert decision.reasons[-1] == Reason(
        "latent_defect",
        "属质量原因（材料）且为潜在缺陷，在潜在缺陷保证期内（至 2028-03-15 止）：免费更换",
    )
    late = decide(quality(date(2028, 3, 16), latent_defect=True))
    assert late.outcome is Outcome.CHARGEABLE
    assert (
        Reason(
            "latent_defect_not_applicable", "潜在缺陷保证不适用：潜在缺陷保证期已于 2028-03-15 届满"
        )
        in late.reasons
    )


def test_latent_defect_needs_the_flag_a_quality_cause_and_a_period() -> None:
    assert decide(quality(date(2027, 1, 1))).outcome is Outcome.CHARGEABLE
    misuse = decide(Claim(date(2027, 1, 1), CauseClass.MISUSE, latent_defect=True))
    assert misuse.outcome is Outcome.CHARGEABLE
    assert (
        Reason("latent_defect_not_applicable", "潜在缺陷保证不适用：故障原因不属质量原因")
        in misuse.reasons
    )
    no_period = dataclasses.replace(POLICY, latent_defect_months=0)
    decision = decide(quality(date(2027, 1, 1), latent_defect=True), policy=no_period)
    assert (decision.outcome, decision.latent_defect_until) == (Outcome.CHARGEABLE, None)
    assert decision.reasons[-2].text == "潜在缺陷保证不适用：保修政策未设潜在缺陷保证期"


def test_abnormal_life_with_appraisal_is_free_without_time_limit() -> None:
    decision = decide(quality(date(2035, 1, 1), abnormal_life_appraised=True))
    assert (decision.outcome, decision.free_replacement) == (Outcome.FREE, True)
    assert decision.reasons[-1] == Reason(
        "abnormal_life", "经鉴定部件寿命异常短，属质量原因（材料）：免费更换（不受期限限制）"
    )
    assert decide(quality(date(2035, 1, 1))).outcome is Outcome.CHARGEABLE
    misuse = decide(Claim(date(2035, 1, 1), CauseClass.MISUSE, abnormal_life_appraised=True))
    assert misuse.outcome is Outcome.CHARGEABLE
    assert "abnormal_life_not_applicable" in misuse.reason_codes


# --- 6. repeat repairs ---------------------------------------------------------------------------


def repairs(component: str | None, times: int, *, in_warranty: bool = True) -> list[EarlierRepair]:
    return [EarlierRepair(date(2025, 4, 1 + n), component, in_warranty) for n in range(times)]


def test_three_earlier_repairs_are_not_yet_a_replacement() -> None:
    decision = decide(
        quality(date(2025, 6, 1), component_code="driver"), earlier_repairs=repairs("driver", 3)
    )
    assert not decision.replace_component
    assert not decision.replace_unit


def test_fourth_earlier_repair_of_a_component_replaces_it() -> None:
    decision = decide(
        quality(date(2025, 6, 1), component_code="driver"), earlier_repairs=repairs("driver", 4)
    )
    assert decision.outcome is Outcome.FREE
    assert decision.replace_component
    assert decision.replace_unit  # four repairs of the unit as well
    assert decision.reasons[-2:] == (
        Reason("replace_component", "部件 driver 在保修期内已维修 4 次（超过 3 次）：更换合格部件"),
        Reason("replace_unit", "整机在保修期内已维修 4 次（超过 3 次）：整机更换"),
    )


def test_unit_repaired_more_than_three_times_is_replaced() -> None:
    history = repairs("driver", 2) + repairs("fan", 2) + repairs(None, 1)
    decision = decide(quality(date(2025, 6, 1), component_code="driver"), earlier_repairs=history)
    assert (decision.replace_component, decision.replace_unit) == (False, True)
    assert decision.reasons[-1].text == "整机在保修期内已维修 5 次（超过 3 次）：整机更换"


def test_repeat_repairs_count_only_earlier_in_warranty_repairs() -> None:
    history = repairs("driver", 3) + repairs("driver", 5, in_warranty=False)
    history.append(EarlierRepair(date(2025, 7, 1), "driver"))  # after the failure
    decision = decide(quality(date(2025, 6, 1), component_code="driver"), earlier_repairs=history)
    assert (decision.replace_component, decision.replace_unit) == (False, False)


def test_replacement_flags_only_on_free_in_warranty_quality_repairs() -> None:
    history = repairs("driver", 5)
    misuse = decide(
        Claim(date(2025, 6, 1), CauseClass.MISUSE, component_code="driver"), earlier_repairs=history
    )
    out = decide(quality(date(2026, 6, 1), component_code="driver"), earlier_repairs=history)
    latent = decide(
        quality(date(2026, 6, 1), component_code="driver", latent_defect=True),
        earlier_repairs=history,
    )
    for decision in (misuse, out, latent):
        assert (decision.replace_component, decision.replace_unit) == (False, False)


# --- service contract -----------------------------------------------------------------------------

CONTRACT = ContractCoverage("WB-2026-001", date(2026, 1, 1), date(2026, 12, 31))


def test_contract_overrides_out_of_warranty() -> None:
    decision = decide(quality(date(2026, 5, 1)), contract=CONTRACT)
    assert (decision.outcome, decision.charges, decision.contract_no) == (
        Outcome.FREE,
        FREE_OF_CHARGE,
        "WB-2026-001",
    )
    assert not decision.in_warranty
    assert decision.reasons[-1] == Reason(
        "contract",
        "服务合同 WB-2026-001有效（2026-01-01 至 2026-12-31），按合同约定配件免费、免收人工费、免收差旅费，优先于保修判定",
    )


def test_contract_overrides_excluded() -> None:
    equipment = dataclasses.replace(PROJECT, card_status=CardStatus.ALTERED)
    decision = decide(quality(date(2026, 5, 1)), equipment, contract=CONTRACT)
    assert decision.outcome is Outcome.FREE
    assert decision.reason_codes == ("proof_altered", "excluded", "contract")


def test_contract_terms_win_even_over_a_free_warranty_repair() -> None:
    contract = dataclasses.replace(
        CONTRACT, charges=ChargeFlags(Charge.AT_PRICE, Charge.WAIVED, Charge.WAIVED)
    )
    decision = decide(quality(date(2026, 2, 1)), contract=contract)
    assert decision.in_warranty
    assert decision.outcome is Outcome.CHARGEABLE
    parts_only = dataclasses.replace(CONTRACT, charges=PARTS_AT_COST_ONLY)
    assert decide(quality(date(2026, 5, 1)), contract=parts_only).outcome is Outcome.PARTS_AT_COST


def test_contract_applies_only_within_its_coverage() -> None:
    expired = decide(quality(date(2027, 1, 1)), contract=CONTRACT)
    assert (expired.outcome, expired.contract_no) == (Outcome.CHARGEABLE, None)
    assert expired.reasons[-1] == Reason(
        "contract_not_applicable",
        "服务合同 WB-2026-001有效期为 2026-01-01 至 2026-12-31，不含故障日期",
    )
    misuse = decide(Claim(date(2026, 5, 1), CauseClass.MISUSE), contract=CONTRACT)
    assert misuse.outcome is Outcome.CHARGEABLE
    assert misuse.reasons[-1].text == "服务合同 WB-2026-001不覆盖非质量原因（使用不当）的故障"
    covering = dataclasses.replace(CONTRACT, covers_non_quality=True)
    assert (
        decide(Claim(date(2026, 5, 1), CauseClass.MISUSE), contract=covering).outcome
        is Outcome.FREE
    )
    compressor_only = dataclasses.replace(CONTRACT, components=frozenset({"compressor"}))
    fan = decide(quality(date(2026, 5, 1), component_code="fan"), contract=compressor_only)
    assert fan.outcome is Outcome.CHARGEABLE
    assert fan.reasons[-1].text == "服务合同 WB-2026-001不覆盖部件 fan"
    compressor = decide(
        quality(date(2026, 5, 1), component_code="compressor"), contract=compressor_only
    )
    assert compressor.outcome is Outcome.FREE


def test_outcome_for_charges() -> None:
    assert outcome_for_charges(FREE_OF_CHARGE) is Outcome.FREE
    assert outcome_for_charges(PARTS_AT_COST_ONLY) is Outcome.PARTS_AT_COST
    assert outcome_for_charges(CHARGEABLE) is Outcome.CHARGEABLE


# --- the whole explanation --------------------------------------------------------------------------


def test_reasons_explain_a_typical_decision_in_order() -> None:
    decision = decide(quality(date(2025, 9, 1), component_code="driver"))
    assert decision.reasons == (
        Reason("start_acceptance", "保修起始日为验收日期 2025-03-15"),
        Reason("period", "保修期12个月，至 2026-03-15 止"),
        Reason(
            "in_warranty_quality",
            "故障日期在保修期内，属质量原因（材料）：免费维修（配件、人工、差旅均免费）",
        ),
    )
    assert decision.latent_defect_until == date(2028, 3, 15)


def test_value_validation() -> None:
    with pytest.raises(ValueError):
        WarrantyPolicy(period=WarrantyPeriod(months=12), latent_defect_months=-1)
    with pytest.raises(ValueError):
        WarrantyPolicy(period=WarrantyPeriod(months=12), out_of_warranty_parts=Charge.WAIVED)
    with pytest.raises(ValueError):
        ContractCoverage("X", date(2026, 2, 1), date(2026, 1, 1))


# --- properties ---------------------------------------------------------------------------------------

days = st.dates(min_value=date(2020, 1, 1), max_value=date(2032, 12, 31))
optional_days = st.none() | days
equipment_facts = st.builds(
    EquipmentFacts,
    installed_project=st.booleans(),
    acceptance_date=optional_days,
    sale_date=optional_days,
    completion_date=optional_days,
    dealer_sold=st.booleans(),
    card_received_on=optional_days,
    card_status=st.sampled_from(CardStatus),
)
claims = st.builds(
    Claim,
    failure_date=days,
    cause=st.none() | st.sampled_from(CauseClass),
    latent_defect=st.booleans(),
    abnormal_life_appraised=st.booleans(),
    component_code=st.none() | st.sampled_from(["driver", "fan"]),
)
charge_flags = st.builds(
    ChargeFlags,
    parts=st.sampled_from(Charge),
    labour=st.sampled_from([Charge.WAIVED, Charge.AT_PRICE]),
    travel=st.sampled_from([Charge.WAIVED, Charge.AT_PRICE]),
)
policies = st.builds(
    WarrantyPolicy,
    period=st.sampled_from(
        [
            WarrantyPeriod(months=12),
            WarrantyPeriod(months=24),
            WarrantyPeriod(seasons=3, season=HEATING_SEASON),
        ]
    ),
    latent_defect_months=st.sampled_from([0, 24]),
    non_quality_charging=st.sampled_from(NonQualityCharging),
    waive_out_of_warranty_labour=st.booleans(),
)
histories = st.lists(
    st.builds(
        EarlierRepair,
        repaired_on=days,
        component_code=st.sampled_from([None, "driver", "fan"]),
        in_warranty=st.booleans(),
    ),
    max_size=8,
)


@settings(max_examples=200)
@given(
    policy=policies,
    equipment=equipment_facts,
    claim=claims,
    charges=charge_flags,
    history=histories,
)
def test_a_covering_contract_always_wins(
    policy: WarrantyPolicy,
    equipment: EquipmentFacts,
    claim: Claim,
    charges: ChargeFlags,
    history: list[EarlierRepair],
) -> None:
    contract = ContractCoverage(
        "P",
        claim.failure_date - timedelta(days=1),
        claim.failure_date,
        charges,
        covers_non_quality=True,
    )
    decision = decide(claim, equipment, policy, earlier_repairs=history, contract=contract)
    assert decision.charges == charges
    assert decision.outcome is outcome_for_charges(charges)
    assert decision.contract_no == "P"
    assert decision.reason_codes[-1] == "contract"


@settings(max_examples=200)
@given(policy=policies, equipment=equipment_facts, claim=claims, history=histories)
def test_decision_invariants(
    policy: WarrantyPolicy, equipment: EquipmentFacts, claim: Claim, history: list[EarlierRepair]
) -> None:
    decision = decide(claim, equipment, policy, earlier_repairs=history)
    assert decision.reasons
    if decision.outcome is Outcome.EXCLUDED:
        assert not decision.in_warranty
        assert decision.warranty_start is None
    else:
        assert decision.warranty_start is not None and decision.warranty_end is not None
        assert decision.warranty_end > decision.warranty_start
        assert decision.in_warranty == (claim.failure_date <= decision.warranty_end)
    if decision.in_warranty and (claim.cause is None or claim.cause.is_quality):
        assert decision.outcome is Outcome.FREE
    if decision.replace_component or decision.replace_unit:
        assert decision.in_warranty and decision.outcome is Outcome.FREE
        assert claim.cause is None or claim.cause.is_quality
    if decision.outcome is Outcome.FREE:
        assert decision.charges == FREE_OF_CHARGE


@settings(max_examples=200)
@given(sale=days, delay=st.integers(min_value=0, max_value=60))
def test_card_deadline_is_twenty_calendar_days(sale: date, delay: int) -> None:
    equipment = EquipmentFacts(
        dealer_sold=True,
        sale_date=sale,
        card_received_on=sale + timedelta(days=delay),
        card_status=CardStatus.RECEIVED,
    )
    decision = decide(quality(sale + timedelta(days=30)), equipment)
    assert (decision.outcome is Outcome.EXCLUDED) == (delay > 20)


def test_a_card_dated_before_the_sale_is_never_in_time() -> None:
    """10: negative days used to count as in time; such a card proves nothing."""
    equipment = dataclasses.replace(DEALER, card_received_on=date(2025, 4, 20))
    decision = decide(quality(date(2025, 6, 1)), equipment)
    assert decision.reasons[0] == Reason(
        "dealer_card_before_sale",
        "三包回执卡收到日期 2025-04-20 早于销售日期 2025-05-01：回执无效",
    )
    assert all(r.code != "dealer_card_in_time" for r in decision.reasons)
