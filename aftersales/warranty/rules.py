"""Warranty and charging decision (保修判定), SPEC §3.2.

One pure function, ``decide_warranty``, evaluates the rules in the order of the precise
semantics and explains every rule it applied as ``(rule code, Chinese sentence)``:

1. proof checks — a card whose model / serial does not match, or that was altered →
   excluded;
2. dealer card deadline — a dealer sale whose card reached the company more than the
   policy's ``card_deadline_days`` (default 20) calendar days after the sale → excluded
   (day 20 in time, day 21 late);
3. warranty start — by the policy's ``start_event``: *acceptance* (default): installed
   project with an acceptance date → acceptance date; dealer sale with a card in time →
   sale date; *sale*: dealer sale with a card in time, or a direct sale with a sale date on
   file → sale date; then (both) installed project with an acceptance date → acceptance
   date; otherwise the earliest of the completion and acceptance dates present; none →
   excluded (no proof);
4. warranty end — months (民法典 §201–202) or seasons; a component may have its own
   period; a part fitted in an earlier warranty repair is covered until the later of the
   warranty end and the part's own fresh period (its ``period``, else the component's)
   from the fitting date;
5. outcome — in warranty: quality cause → free, other causes → parts at cost without
   labour (configurable); out of warranty: latent defect within the latent-defect period
   or abnormal life with appraisal (quality cause) → free replacement, else chargeable;
6. replacement flags — more than 3 earlier in-warranty repairs of the component (unit)
   → replace the component (unit), on free in-warranty quality repairs only;
7. service contract — overrides every outcome, including excluded, per its coverage.

Decisions of ours where the SPEC is silent:

* an excluded decision is charged like an out-of-warranty repair (the policy's parts
  basis and labour waiver apply);
* a claim whose cause is not yet appraised (``cause=None``) is decided provisionally as
  a quality cause in warranty (free), and as chargeable out of warranty (latent-defect
  and abnormal-life rules need a confirmed quality cause); ``provisional`` is set;
* "parts at cost, no labour fee" (只收取工本费) also waives travel;
* a failure dated before the warranty start is treated as in warranty.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from types import MappingProxyType

from aftersales.core.said import Said
from aftersales.warranty.periods import WarrantyPeriod, add_months

CARD_DEADLINE_DAYS = 20
REPEAT_REPAIR_LIMIT = 3


class CardStatus(StrEnum):
    """The warranty card (三包卡) as the company holds it: the one list
    (``installed_base.Equipment.CardStatus`` is built from it)."""

    NONE = "none"  # 无三包卡
    RECEIVED = "received"  # 已回寄, model and serial as on the unit
    MISMATCH = "mismatch"  # 型号/出厂编号不符
    ALTERED = "altered"  # 有涂改

    @property
    def label(self) -> str:
        return CARD_STATUS_LABELS[self]


CARD_STATUS_LABELS: Mapping[CardStatus, str] = MappingProxyType(
    {
        CardStatus.NONE: "无三包卡",
        CardStatus.RECEIVED: "已回寄",
        CardStatus.MISMATCH: "型号/编号不符",
        CardStatus.ALTERED: "涂改",
    }
)


class CardTiming(StrEnum):
    """Did the dealer's card reach the company in time (SPEC §3.2: more than 20 days after the
    sale is not recognised)? The one rule: the warranty decision and the dealer's card list
    both call :func:`card_timing`."""

    WAITING = "waiting"  # not received yet, still within the deadline
    IN_TIME = "in_time"  # received within the deadline: the sale's warranty is recognised
    LATE = "late"  # received after the deadline, or not received by it: not recognised
    INVALID = "invalid"  # received before the sale: the data is wrong (refused at input)


CARD_TIMING_LABELS: Mapping[CardTiming, str] = MappingProxyType(
    {
        CardTiming.WAITING: "待收卡",
        CardTiming.IN_TIME: "已认定",
        CardTiming.LATE: "不予认定",
        CardTiming.INVALID: "回执无效",
    }
)

# The reasons, one text per outcome, as msgids: the warranty decision stores them in Chinese,
# a page shows them in the reader's language (``gettext(template) % check.params``).
CARD_TIMING_REASONS: Mapping[tuple[CardTiming, bool], str] = MappingProxyType(
    {
        (CardTiming.WAITING, False): (
            "待公司收卡，须于 %(deadline)s 前（销售后 %(limit)s 天内）寄达"
        ),
        (CardTiming.LATE, False): (
            "销售日期 %(sale)s，公司至 %(deadline)s（%(limit)s 天内）未收到三包回执卡："
            "公司不予认定三包"
        ),
        (CardTiming.LATE, True): (
            "三包回执卡于 %(received)s 收到，距销售日期 %(sale)s 已 %(days)s 天，"
            "超过 %(limit)s 天：公司不予认定三包"
        ),
        (CardTiming.IN_TIME, True): (
            "三包回执卡于 %(received)s 收到，距销售日期 %(sale)s %(days)s 天，在 %(limit)s 天内"
        ),
        (CardTiming.INVALID, True): (
            "三包回执卡收到日期 %(received)s 早于销售日期 %(sale)s：回执无效"
        ),
    }
)


@dataclass(frozen=True)
class CardCheck:
    state: CardTiming
    sale: date
    received: date | None
    deadline: date
    limit: int

    @property
    def label(self) -> str:
        return CARD_TIMING_LABELS[self.state]

    @property
    def days(self) -> int | None:
        return None if self.received is None else (self.received - self.sale).days

    @property
    def template(self) -> str:
        return CARD_TIMING_REASONS[(self.state, self.received is not None)]

    @property
    def params(self) -> dict[str, object]:
        return {
            "sale": self.sale,
            "received": self.received,
            "deadline": self.deadline,
            "limit": self.limit,
            "days": self.days,
        }

    @property
    def reason(self) -> str:
        """The stored (Chinese) text; a page translates ``template`` instead."""
        return Said(self.template, **self.params)


def card_timing(*, sale: date, received: date | None, limit: int, today: date) -> CardCheck:
    """Day ``limit`` after the sale is still in time, the day after is late; a card not
    received is waiting until its deadline has passed (``today`` from the caller)."""
    deadline = sale + timedelta(days=limit)
    if received is None:
        timing = CardTiming.LATE if today > deadline else CardTiming.WAITING
    elif received < sale:
        timing = CardTiming.INVALID
    else:
        timing = CardTiming.LATE if (received - sale).days > limit else CardTiming.IN_TIME
    return CardCheck(timing, sale, received, deadline, limit)


class StartEvent(StrEnum):
    """The event a policy's warranty counts from (起算事件)."""

    ACCEPTANCE = "acceptance"  # 竣工验收日
    SALE = "sale"  # 销售日期


class CauseClass(StrEnum):
    """The cause of a failure (故障原因分类) — the one list of the system (ADR 0008): the
    warranty decision (SPEC §3.2), the service report's classification and the parts
    request's analysis (SPEC §4.2, ``parts.PartsRequest.cause``) all choose from it. A quality
    cause is the company's (free); any other is the customer's (charged)."""

    # quality causes: SPEC §3.2 (001 第四篇 二) and §4.2 (001 4.1)
    MANUFACTURING = "manufacturing"
    ASSEMBLY = "assembly"
    MATERIAL = "material"
    INSTALLATION = "installation"
    DEVELOPMENT = "development"
    PROCESS = "process"
    PRODUCTION = "production"
    # not quality causes
    MISUSE = "misuse"
    WRONG_OPERATION = "wrong_operation"
    UNSTABLE_VOLTAGE = "unstable_voltage"
    MODIFICATION = "modification"
    FORCE_MAJEURE = "force_majeure"
    TRANSPORT_STORAGE = "transport_storage"
    CUSTOMER_DAMAGE = "customer_damage"
    DISCOUNTED = "discounted"
    EXPIRED = "expired"

    @property
    def is_quality(self) -> bool:
        return self in QUALITY_CAUSES

    @property
    def label(self) -> str:
        return CAUSE_LABELS[self]


QUALITY_CAUSES = frozenset(
    {
        CauseClass.MANUFACTURING,
        CauseClass.ASSEMBLY,
        CauseClass.MATERIAL,
        CauseClass.INSTALLATION,
        CauseClass.DEVELOPMENT,
        CauseClass.PROCESS,
        CauseClass.PRODUCTION,
    }
)
CAUSE_LABELS: Mapping[CauseClass, str] = MappingProxyType(
    {
        CauseClass.MANUFACTURING: "制造",
        CauseClass.ASSEMBLY: "装配",
        CauseClass.MATERIAL: "材料",
        CauseClass.INSTALLATION: "安装",
        CauseClass.DEVELOPMENT: "开发设计问题",
        CauseClass.PROCESS: "工艺技术问题",
        CauseClass.PRODUCTION: "生产过程问题",
        CauseClass.MISUSE: "使用不当",
        CauseClass.WRONG_OPERATION: "操作错误",
        CauseClass.UNSTABLE_VOLTAGE: "电源电压不稳",
        CauseClass.MODIFICATION: "擅自改装",
        CauseClass.FORCE_MAJEURE: "不可抗力",
        CauseClass.TRANSPORT_STORAGE: "运输或储存损坏",
        CauseClass.CUSTOMER_DAMAGE: "客户自身原因损坏",
        CauseClass.DISCOUNTED: "公司折价处理产品",
        CauseClass.EXPIRED: "超过保质期",
    }
)
# (value, label) in the list's order, for model fields and forms
CAUSE_CHOICES: tuple[tuple[str, str], ...] = tuple(
    (cause.value, label) for cause, label in CAUSE_LABELS.items()
)


class Outcome(StrEnum):
    FREE = "free"  # 免费
    PARTS_AT_COST = "parts_at_cost"  # 只收取工本费
    CHARGEABLE = "chargeable"  # 收费
    EXCLUDED = "excluded"  # 不予保修


class Charge(StrEnum):
    """How one kind of charge is billed.  Labour and travel are billed at their rate
    whenever they are not waived."""

    WAIVED = "waived"
    AT_COST = "at_cost"
    AT_PRICE = "at_price"


class NonQualityCharging(StrEnum):
    PARTS_AT_COST = "parts_at_cost"  # 只收取工本费：配件按成本价，免人工费、差旅费
    CHARGEABLE = "chargeable"  # 按保修期外收费


@dataclass(frozen=True)
class ChargeFlags:
    parts: Charge
    labour: Charge
    travel: Charge

    @property
    def is_free(self) -> bool:
        return self.parts is self.labour is self.travel is Charge.WAIVED

    def describe(self) -> str:
        parts = {
            Charge.WAIVED: "配件免费",
            Charge.AT_COST: "配件按成本价收费",
            Charge.AT_PRICE: "配件按价目表价格收费",
        }[self.parts]
        labour = "免收人工费" if self.labour is Charge.WAIVED else "收取人工费"
        travel = "免收差旅费" if self.travel is Charge.WAIVED else "收取差旅费"
        return Said("%(parts)s、%(labour)s、%(travel)s", parts=parts, labour=labour, travel=travel)


FREE_OF_CHARGE = ChargeFlags(Charge.WAIVED, Charge.WAIVED, Charge.WAIVED)
PARTS_AT_COST_ONLY = ChargeFlags(Charge.AT_COST, Charge.WAIVED, Charge.WAIVED)


def outcome_for_charges(charges: ChargeFlags) -> Outcome:
    """The outcome that a set of charges amounts to."""
    if charges.is_free:
        return Outcome.FREE
    if charges == PARTS_AT_COST_ONLY:
        return Outcome.PARTS_AT_COST
    return Outcome.CHARGEABLE


@dataclass(frozen=True)
class WarrantyPolicy:
    """The warranty policy of a product category (optionally per component)."""

    period: WarrantyPeriod
    latent_defect_months: int = 0
    non_quality_charging: NonQualityCharging = NonQualityCharging.PARTS_AT_COST
    waive_out_of_warranty_labour: bool = False
    out_of_warranty_parts: Charge = Charge.AT_COST
    component_periods: Mapping[str, WarrantyPeriod] = field(default_factory=dict)
    card_deadline_days: int = CARD_DEADLINE_DAYS
    start_event: StartEvent = StartEvent.ACCEPTANCE

    def __post_init__(self) -> None:
        if self.latent_defect_months < 0:
            raise ValueError("潜在缺陷保证期不能为负")
        if self.card_deadline_days < 0:
            raise ValueError("三包卡回寄期限不能为负")
        if self.out_of_warranty_parts is Charge.WAIVED:
            raise ValueError("保修期外配件不能设为免费")
        object.__setattr__(
            self, "component_periods", MappingProxyType(dict(self.component_periods))
        )

    def period_for(self, component_code: str | None) -> WarrantyPeriod:
        if component_code is not None and component_code in self.component_periods:
            return self.component_periods[component_code]
        return self.period


@dataclass(frozen=True)
class EquipmentFacts:
    """What the file (档案) says about the unit."""

    installed_project: bool = False
    acceptance_date: date | None = None
    sale_date: date | None = None
    completion_date: date | None = None
    dealer_sold: bool = False
    card_received_on: date | None = None
    card_status: CardStatus = CardStatus.NONE


@dataclass(frozen=True)
class Claim:
    """The failure being decided.  ``cause=None``: not yet appraised."""

    failure_date: date
    cause: CauseClass | None = None
    latent_defect: bool = False
    abnormal_life_appraised: bool = False
    component_code: str | None = None


@dataclass(frozen=True)
class EarlierRepair:
    repaired_on: date
    component_code: str | None = None
    in_warranty: bool = True


@dataclass(frozen=True)
class FittedPart:
    """A part fitted to the unit in an earlier repair; ``period``: the part's own fresh
    warranty period from ``fitted_on`` (None: the component's period)."""

    component_code: str
    fitted_on: date
    in_warranty_repair: bool = True
    period: WarrantyPeriod | None = None


@dataclass(frozen=True)
class ContractCoverage:
    """A service contract's coverage.  ``components`` empty: the whole unit."""

    contract_no: str
    valid_from: date
    valid_until: date
    charges: ChargeFlags = FREE_OF_CHARGE
    covers_non_quality: bool = False
    components: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        if self.valid_until < self.valid_from:
            raise ValueError("合同终止日不能早于起始日")


@dataclass(frozen=True)
class Reason:
    code: str
    text: str


@dataclass(frozen=True)
class WarrantyDecision:
    outcome: Outcome
    charges: ChargeFlags
    warranty_start: date | None
    warranty_end: date | None
    in_warranty: bool
    latent_defect_until: date | None
    replace_component: bool
    replace_unit: bool
    free_replacement: bool
    provisional: bool
    contract_no: str | None
    reasons: tuple[Reason, ...]

    @property
    def reason_codes(self) -> tuple[str, ...]:
        return tuple(reason.code for reason in self.reasons)


@dataclass
class _Draft:
    reasons: list[Reason] = field(default_factory=list)
    outcome: Outcome = Outcome.EXCLUDED
    charges: ChargeFlags = FREE_OF_CHARGE
    start: date | None = None
    end: date | None = None
    in_warranty: bool = False
    latent_until: date | None = None
    replace_component: bool = False
    replace_unit: bool = False
    free_replacement: bool = False
    contract_no: str | None = None

    def say(self, code: str, text: str) -> None:
        self.reasons.append(Reason(code, text))


def _chargeable(policy: WarrantyPolicy) -> ChargeFlags:
    labour = Charge.WAIVED if policy.waive_out_of_warranty_labour else Charge.AT_PRICE
    return ChargeFlags(policy.out_of_warranty_parts, labour, Charge.AT_PRICE)


def _cause_text(cause: CauseClass | None) -> str:
    if cause is None:
        return "故障原因待鉴定，暂按质量原因"
    kind = "质量原因" if cause.is_quality else "非质量原因"
    return Said("属%(kind)s（%(label)s）", kind=kind, label=cause.label)


def _proof_excluded(equipment: EquipmentFacts, draft: _Draft) -> bool:
    if equipment.card_status is CardStatus.MISMATCH:
        draft.say("proof_mismatch", "保修卡所载型号或出厂编号与设备不符：不予保修")
        return True
    if equipment.card_status is CardStatus.ALTERED:
        draft.say("proof_altered", "保修卡有涂改：不予保修")
        return True
    return False


def _dealer_card_in_time(
    equipment: EquipmentFacts, policy: WarrantyPolicy, draft: _Draft
) -> bool | None:
    """True: card in time; False: late (excluded); None: no card to check."""
    if not equipment.dealer_sold:
        return None
    sale, received = equipment.sale_date, equipment.card_received_on
    if equipment.card_status is not CardStatus.RECEIVED or sale is None or received is None:
        draft.say("dealer_card_missing", "经销商销售，公司未收到有效的三包回执卡")
        return None
    check = card_timing(
        sale=sale, received=received, limit=policy.card_deadline_days, today=received
    )
    code = {
        CardTiming.INVALID: "dealer_card_before_sale",  # refused at input since 10
        CardTiming.LATE: "dealer_card_late",
        CardTiming.IN_TIME: "dealer_card_in_time",
    }[check.state]
    draft.say(code, check.reason)
    if check.state is CardTiming.INVALID:
        return None
    return check.state is CardTiming.IN_TIME


def _warranty_start(
    equipment: EquipmentFacts, policy: WarrantyPolicy, card_in_time: bool, draft: _Draft
) -> date | None:
    by_sale = policy.start_event is StartEvent.SALE
    sale = equipment.sale_date
    sale_proven = sale is not None and (card_in_time or (by_sale and not equipment.dealer_sold))
    project = equipment.installed_project and equipment.acceptance_date is not None
    if sale_proven and (by_sale or not project):
        source = "三包回执卡所载销售日期" if card_in_time else "销售日期（保修政策自销售日期起算）"
        draft.say("start_sale", Said("保修起始日为%(source)s %(sale)s", source=source, sale=sale))
        return sale
    if project:
        draft.say(
            "start_acceptance",
            Said(
                "保修起始日为验收日期 %(acceptance_date)s",
                acceptance_date=equipment.acceptance_date,
            ),
        )
        return equipment.acceptance_date
    candidates = [
        (day, label)
        for day, label in (
            (equipment.completion_date, "竣工日期"),
            (equipment.acceptance_date, "验收日期"),
        )
        if day is not None
    ]
    if not candidates:
        draft.say("no_proof", "无保修凭证，也无竣工或验收日期：不予保修")
        return None
    day, label = min(candidates, key=lambda candidate: candidate[0])
    draft.say(
        "start_completion",
        Said("无有效保修卡，保修起始日为%(label)s %(day)s", label=label, day=day),
    )
    return day


def _warranty_end(
    policy: WarrantyPolicy,
    start: date,
    claim: Claim,
    fitted_parts: Iterable[FittedPart],
    draft: _Draft,
) -> date:
    component = claim.component_code
    period = policy.period_for(component)
    end = period.end_from(start)
    if period is policy.period:
        draft.say(
            "period", Said("保修期%(describe)s，至 %(end)s 止", describe=period.describe(), end=end)
        )
    else:
        draft.say(
            "component_period",
            Said(
                "部件 %(component)s 保修期%(describe)s，至 %(end)s 止",
                component=component,
                describe=period.describe(),
                end=end,
            ),
        )
    fitted = [
        part
        for part in fitted_parts
        if part.in_warranty_repair
        and part.component_code == component
        and part.fitted_on <= claim.failure_date
    ]
    if fitted:
        # the part fitted last is the one in the unit (it replaced any earlier one)
        latest = max(fitted, key=lambda part: part.fitted_on)
        part_period = latest.period or period
        part_end = part_period.end_from(latest.fitted_on)
        if part_end > end:
            draft.say(
                "fitted_part",
                Said(
                    "部件 %(component)s 于 %(fitted_on)s 保修更换，新件保修期%(describe)s，延至 %(part_end)s 止",
                    component=component,
                    fitted_on=latest.fitted_on,
                    describe=part_period.describe(),
                    part_end=part_end,
                ),
            )
            end = part_end
    return end


def _in_warranty_outcome(policy: WarrantyPolicy, claim: Claim, draft: _Draft) -> None:
    cause_text = _cause_text(claim.cause)
    if claim.cause is None or claim.cause.is_quality:
        draft.outcome, draft.charges = Outcome.FREE, FREE_OF_CHARGE
        draft.say(
            "in_warranty_quality",
            Said(
                "故障日期在保修期内，%(cause_text)s：免费维修（配件、人工、差旅均免费）",
                cause_text=cause_text,
            ),
        )
        return
    if policy.non_quality_charging is NonQualityCharging.PARTS_AT_COST:
        draft.outcome, draft.charges = Outcome.PARTS_AT_COST, PARTS_AT_COST_ONLY
        draft.say(
            "in_warranty_non_quality",
            Said(
                "故障日期在保修期内，但%(cause_text)s：只收取工本费（配件按成本价，免收人工费和差旅费）",
                cause_text=cause_text,
            ),
        )
        return
    draft.outcome, draft.charges = Outcome.CHARGEABLE, _chargeable(policy)
    draft.say(
        "in_warranty_non_quality",
        Said(
            "故障日期在保修期内，但%(cause_text)s：按价目表收费（%(describe)s）",
            cause_text=cause_text,
            describe=draft.charges.describe(),
        ),
    )


def _out_of_warranty_outcome(policy: WarrantyPolicy, claim: Claim, draft: _Draft) -> None:
    quality = claim.cause is not None and claim.cause.is_quality
    if claim.latent_defect and draft.latent_until is None:
        draft.say("latent_defect_not_applicable", "潜在缺陷保证不适用：保修政策未设潜在缺陷保证期")
    elif claim.latent_defect and draft.latent_until is not None:
        if quality and claim.failure_date <= draft.latent_until:
            draft.outcome, draft.charges = Outcome.FREE, FREE_OF_CHARGE
            draft.free_replacement = True
            draft.say(
                "latent_defect",
                Said(
                    "%(cause_text)s且为潜在缺陷，在潜在缺陷保证期内（至 %(latent_until)s 止）：免费更换",
                    cause_text=_cause_text(claim.cause),
                    latent_until=draft.latent_until,
                ),
            )
            return
        why = (
            "故障原因不属质量原因"
            if not quality
            else Said("潜在缺陷保证期已于 %(latent_until)s 届满", latent_until=draft.latent_until)
        )
        draft.say("latent_defect_not_applicable", Said("潜在缺陷保证不适用：%(why)s", why=why))
    if claim.abnormal_life_appraised:
        if quality:
            draft.outcome, draft.charges = Outcome.FREE, FREE_OF_CHARGE
            draft.free_replacement = True
            draft.say(
                "abnormal_life",
                Said(
                    "经鉴定部件寿命异常短，%(cause_text)s：免费更换（不受期限限制）",
                    cause_text=_cause_text(claim.cause),
                ),
            )
            return
        draft.say("abnormal_life_not_applicable", "寿命异常鉴定不适用：故障原因不属质量原因")
    draft.outcome, draft.charges = Outcome.CHARGEABLE, _chargeable(policy)
    waiver = "；保修期外优惠服务，免收人工费" if policy.waive_out_of_warranty_labour else ""
    draft.say(
        "out_of_warranty",
        Said(
            "故障日期 %(failure_date)s 已超出保修期（至 %(end)s 止）：按价目表收费（%(describe)s），报价须经客户确认后施工%(waiver)s",
            failure_date=claim.failure_date,
            end=draft.end,
            describe=draft.charges.describe(),
            waiver=waiver,
        ),
    )


def _replacement_flags(
    claim: Claim, earlier_repairs: Iterable[EarlierRepair], draft: _Draft
) -> None:
    counted = [
        repair
        for repair in earlier_repairs
        if repair.in_warranty and repair.repaired_on <= claim.failure_date
    ]
    component = claim.component_code
    if component is not None:
        times = sum(1 for repair in counted if repair.component_code == component)
        if times > REPEAT_REPAIR_LIMIT:
            draft.replace_component = True
            draft.say(
                "replace_component",
                Said(
                    "部件 %(component)s 在保修期内已维修 %(times)s 次（超过 %(REPEAT_REPAIR_LIMIT)s 次）：更换合格部件",
                    component=component,
                    times=times,
                    REPEAT_REPAIR_LIMIT=REPEAT_REPAIR_LIMIT,
                ),
            )
    if len(counted) > REPEAT_REPAIR_LIMIT:
        draft.replace_unit = True
        draft.say(
            "replace_unit",
            Said(
                "整机在保修期内已维修 %(counted)s 次（超过 %(REPEAT_REPAIR_LIMIT)s 次）：整机更换",
                counted=len(counted),
                REPEAT_REPAIR_LIMIT=REPEAT_REPAIR_LIMIT,
            ),
        )


def _apply_contract(contract: ContractCoverage, claim: Claim, draft: _Draft) -> None:
    label = Said("服务合同 %(contract_no)s", contract_no=contract.contract_no)
    if not contract.valid_from <= claim.failure_date <= contract.valid_until:
        draft.say(
            "contract_not_applicable",
            Said(
                "%(label)s有效期为 %(valid_from)s 至 %(valid_until)s，不含故障日期",
                label=label,
                valid_from=contract.valid_from,
                valid_until=contract.valid_until,
            ),
        )
        return
    if contract.components and claim.component_code not in contract.components:
        draft.say(
            "contract_not_applicable",
            Said(
                "%(label)s不覆盖部件 %(component_code)s",
                label=label,
                component_code=claim.component_code,
            ),
        )
        return
    if claim.cause is not None and not claim.cause.is_quality and not contract.covers_non_quality:
        draft.say(
            "contract_not_applicable",
            Said(
                "%(label)s不覆盖非质量原因（%(label2)s）的故障",
                label=label,
                label2=claim.cause.label,
            ),
        )
        return
    draft.outcome = outcome_for_charges(contract.charges)
    draft.charges = contract.charges
    draft.contract_no = contract.contract_no
    draft.say(
        "contract",
        Said(
            "%(label)s有效（%(valid_from)s 至 %(valid_until)s），按合同约定%(describe)s，优先于保修判定",
            label=label,
            valid_from=contract.valid_from,
            valid_until=contract.valid_until,
            describe=contract.charges.describe(),
        ),
    )


def decide_warranty(
    *,
    policy: WarrantyPolicy,
    equipment: EquipmentFacts,
    claim: Claim,
    earlier_repairs: Iterable[EarlierRepair] = (),
    fitted_parts: Iterable[FittedPart] = (),
    contract: ContractCoverage | None = None,
) -> WarrantyDecision:
    """Decide warranty and charging for one claim, explaining each rule applied."""
    draft = _Draft()
    excluded = _proof_excluded(equipment, draft)
    if not excluded:
        card_in_time = _dealer_card_in_time(equipment, policy, draft)
        excluded = card_in_time is False
        if not excluded:
            draft.start = _warranty_start(equipment, policy, card_in_time is True, draft)
            excluded = draft.start is None
    if excluded:
        draft.outcome, draft.charges = Outcome.EXCLUDED, _chargeable(policy)
        draft.say(
            "excluded",
            Said("不予保修，按保修期外收费（%(describe)s）", describe=draft.charges.describe()),
        )
    else:
        assert draft.start is not None
        draft.end = _warranty_end(policy, draft.start, claim, fitted_parts, draft)
        if policy.latent_defect_months:
            draft.latent_until = add_months(draft.end, policy.latent_defect_months)
        draft.in_warranty = claim.failure_date <= draft.end
        if claim.failure_date < draft.start:
            draft.say("failure_before_start", "故障日期早于保修起始日，按保修期内处理")
        if draft.in_warranty:
            _in_warranty_outcome(policy, claim, draft)
            if draft.outcome is Outcome.FREE:
                _replacement_flags(claim, earlier_repairs, draft)
        else:
            _out_of_warranty_outcome(policy, claim, draft)
    if contract is not None:
        _apply_contract(contract, claim, draft)
    return WarrantyDecision(
        outcome=draft.outcome,
        charges=draft.charges,
        warranty_start=draft.start,
        warranty_end=draft.end,
        in_warranty=draft.in_warranty,
        latent_defect_until=draft.latent_until,
        replace_component=draft.replace_component,
        replace_unit=draft.replace_unit,
        free_replacement=draft.free_replacement,
        provisional=claim.cause is None,
        contract_no=draft.contract_no,
        reasons=tuple(draft.reasons),
    )
