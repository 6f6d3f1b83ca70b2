"""Input and output schemas of the dealer-domain API (cards; claims and settlements follow)."""

import datetime as dt
from decimal import Decimal

from ninja import Field, Schema
from pydantic import constr

from aftersales.core.schemas import In
from aftersales.dealers.models import (
    ClaimLine,
    DealerTask,
    Season,
    SettlementNotice,
    StockingPlan,
    WarrantyCard,
    WarrantyClaim,
)


class CardIn(In):
    columns_of = WarrantyCard
    customer_code: constr(strip_whitespace=True, min_length=1, max_length=30)  # type: ignore[valid-type]
    serial_no: constr(strip_whitespace=True, min_length=1, max_length=50)  # type: ignore[valid-type]
    model_code: str = Field("", max_length=50)
    sale_date: dt.date
    card_no: constr(strip_whitespace=True, min_length=1, max_length=50)  # type: ignore[valid-type]
    dealer_id: int | None = Field(None, description="公司用户代经销商登记时必填")


class CardReceiveIn(In):
    received_date: dt.date


class CardOut(Schema):
    id: int
    card_no: str
    dealer_id: int
    dealer_name: str = Field(..., alias="dealer.name")
    customer_id: int
    customer_name: str = Field(..., alias="customer.name")
    equipment_id: int
    serial_no: str = Field(..., alias="equipment.serial_no")
    model_code: str = Field(..., alias="equipment.model.code")
    sale_date: dt.date
    received_date: dt.date | None
    deadline: dt.date = Field(..., alias="recognition.deadline")
    state: str = Field(..., alias="recognition.state", description="waiting/in_time/late")
    state_label: str = Field(..., alias="recognition.label")
    reason: str = Field(..., alias="recognition.reason")


class CardImportOut(Schema):
    created: int
    errors: list[str]


class TaskAssignIn(In):
    ticket_id: int
    dealer_id: int | None = Field(None, description="交经销商处理（缺省为报修单/客户的经销商）")
    department_id: int | None = Field(None, description="交公司部门处理（与经销商二选一）")


class TaskArrangeIn(In):
    columns_of = DealerTask
    arrangement: str
    customer_informed: bool


class TaskCheckIn(In):
    columns_of = DealerTask
    ok: bool
    note: str = Field("", max_length=300)


class TaskHandBackIn(In):
    columns_of = DealerTask
    reason: str = Field(..., max_length=300)


class DealerTaskOut(Schema):
    id: int
    number: str
    ticket_id: int
    ticket_number: str = Field(..., alias="ticket.number")
    dealer_id: int | None
    department_id: int | None
    assignee_name: str = Field(..., description="交办对象：经销商或部门的名称")
    dealer_name: str | None = None
    department_name: str | None = None
    state: str
    state_label: str = Field(..., alias="get_state_display")
    in_warranty: bool
    assigned_at: dt.datetime
    arranged_at: dt.datetime | None
    arrangement: str
    customer_informed: bool
    checked_at: dt.datetime | None
    check_ok: bool | None
    handed_back_at: dt.datetime | None
    hand_back_reason: str
    arrange_due_at: dt.datetime | None
    arrange_overdue: bool
    check_due_at: dt.datetime | None

    @staticmethod
    def resolve_dealer_name(obj: DealerTask) -> str | None:
        return obj.dealer.name if obj.dealer is not None else None

    @staticmethod
    def resolve_department_name(obj: DealerTask) -> str | None:
        return obj.department.name if obj.department is not None else None


class ClaimPartIn(In):
    part_code: str = Field(..., max_length=30)
    quantity: str | int = Field(..., description="数量（数字字符串，不带逗号）")


class ClaimIn(In):
    columns_of = WarrantyClaim
    ticket_id: int
    repair_date: dt.date
    description: str
    parts: list[ClaimPartIn] = Field(default_factory=list, max_length=50)
    labour_hours: str | int = Field("0", description="工时（数字字符串）")
    visit: bool = False
    distance_km: str | int = Field("0", description="里程（公里）")


class AppraiseIn(In):
    columns_of = WarrantyClaim
    decision: str = Field(..., max_length=10, description="accept / partly / reject")
    reason: str = Field("", max_length=300)
    line_amounts: dict[int, str] = Field(default_factory=dict, description="明细ID → 核定金额")


class ClaimLineOut(Schema):
    id: int
    kind: str
    description: str
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal
    accepted_amount: Decimal | None


class ClaimOut(Schema):
    id: int
    number: str
    dealer_id: int
    ticket_id: int
    ticket_number: str = Field(..., alias="ticket.number")
    repair_date: dt.date
    description: str
    price_list_id: int
    state: str
    state_label: str = Field(..., alias="get_state_display")
    claimed_amount: Decimal
    accepted_amount: Decimal
    appraised_at: dt.datetime | None
    appraisal_reason: str
    notice_id: int | None
    lines: list[ClaimLineOut]

    @staticmethod
    def resolve_lines(obj: WarrantyClaim) -> list[ClaimLine]:
        return list(obj.lines.all())


class NoticeIn(In):
    dealer_id: int
    period_start: dt.date
    period_end: dt.date


class DisputeIn(In):
    columns_of = SettlementNotice
    reason: str = Field(..., max_length=300)


class NoticeOut(Schema):
    id: int
    number: str
    dealer_id: int
    dealer_name: str = Field(..., alias="dealer.name")
    period_start: dt.date
    period_end: dt.date
    total: Decimal
    state: str
    state_label: str = Field(..., alias="get_state_display")
    issued_at: dt.datetime
    answered_at: dt.datetime | None
    dispute_reason: str
    claim_numbers: list[str]

    @staticmethod
    def resolve_claim_numbers(obj: SettlementNotice) -> list[str]:
        return [c.number for c in obj.claims.all()]


class ClaimTotalsOut(Schema):
    dealer_id: int
    dealer_name: str
    accepted: Decimal = Field(..., description="核定金额累计")
    awaiting: Decimal = Field(..., description="已核定、待开核销通知")
    in_settlement: Decimal = Field(..., description="核销通知待经销商确认")
    settled: Decimal = Field(..., description="已核销（已从应收账款扣除）")
    claims: int


class LedgerOut(Schema):
    id: int
    dealer_id: int
    at: dt.datetime
    kind: str
    amount: Decimal
    balance: Decimal
    note: str
    notice_id: int | None


# ---- stocking plans -------------------------------------------------------------------


class StockingSeasonIn(In):
    columns_of = Season
    code: constr(strip_whitespace=True, min_length=1, max_length=20)  # type: ignore[valid-type]
    name: constr(strip_whitespace=True, min_length=1, max_length=60)  # type: ignore[valid-type]
    starts_on: dt.date
    ends_on: dt.date


class StockingSeasonOut(Schema):
    id: int
    code: str
    name: str
    starts_on: dt.date
    ends_on: dt.date


class StockingPlanStartIn(In):
    season_id: int


class StockingLineIn(In):
    kind: str = Field(..., max_length=10, description="part（配件）/ product（产品型号）")
    code: str = Field(..., max_length=50, description="配件编码或产品型号")
    quantity: str | int = Field(..., description="数量（正整数，不带逗号）")


class StockingLinesIn(In):
    lines: list[StockingLineIn] = Field(..., max_length=200)


class StockingReviewIn(In):
    columns_of = StockingPlan
    approve: bool
    note: str = Field("", max_length=300, description="审核意见（退回必填）")


class StockingLineOut(Schema):
    id: int
    kind: str
    code: str
    name: str
    quantity: int


class StockingPlanOut(Schema):
    id: int
    number: str
    dealer_id: int
    dealer_name: str = Field(..., alias="dealer.name")
    season_id: int
    season_name: str = Field(..., alias="season.name")
    season_starts_on: dt.date = Field(..., alias="season.starts_on")
    state: str
    state_label: str = Field(..., alias="get_state_display")
    due_at: dt.datetime
    submitted_at: dt.datetime | None
    late: bool = Field(
        ..., alias="flagged_late", description="逾期（提交晚于应提交时间，或到期未交）"
    )
    reviewed_at: dt.datetime | None
    review_note: str
    lines: list[StockingLineOut] = Field(..., alias="active_lines")


# ---- dealer ratings -------------------------------------------------------------------


class RatingFreezeIn(In):
    period_start: dt.date = Field(..., description="评级期间第一天（按评级周期对齐，如季度 4-01）")


class RatingPeriodOut(Schema):
    id: int
    starts_on: dt.date
    ends_on: dt.date = Field(..., description="期间止（不含当天）")
    scheme: dict[str, str | int] = Field(..., description="评定时使用的权重与分数线")
    frozen_at: dt.datetime


class DealerRatingOut(Schema):
    id: int | None = Field(None, description="试算结果无ID")
    period_id: int | None = None
    dealer_id: int
    dealer_name: str = Field(..., alias="dealer.name")
    tasks_total: int
    tasks_in_time: int = Field(..., description="2小时内安排的任务数")
    complaints: int
    claims_appraised: int
    claims_rejected: int
    callbacks_done: int
    callbacks_satisfied: int
    arrangement_score: Decimal | None = Field(..., description="各项得分 0–100，无记录为空")
    complaint_score: Decimal | None
    rejection_score: Decimal | None
    callback_score: Decimal | None
    score: Decimal | None = Field(..., description="综合得分（加权平均）")
    outcome: str = Field(..., description="reward / keep / downgrade / unrated")
    outcome_label: str = Field(..., alias="get_outcome_display")
    level_before: str
    level_after: str
    reward_amount: Decimal
