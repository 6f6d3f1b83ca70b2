"""The state machines of the parts domain as data: which action moves which states where,
and which roles may do it. ``engine`` transitions are the approval outcomes."""

from __future__ import annotations

from aftersales.approvals.workflow import t, table
from aftersales.parts.models import LoadingListState as L
from aftersales.parts.models import PartsRequestState as S
from aftersales.parts.models import ReviewState as R

AGENTS = {"agent", "coordinator"}
STORE = {"team_leader", "warehouse"}
EDITABLE = {S.REQUESTED, S.ANALYSED, S.CONFIRMED, S.RETURNED}

CREATE_ROLES = frozenset({"agent", "coordinator", "team_leader", "dealer", "customer"})

REQUEST = table(
    t("analyse", "补件原因分析", {S.REQUESTED, S.ANALYSED, S.RETURNED}, S.ANALYSED, AGENTS),
    t("confirm", "电话确认交付日期", {S.ANALYSED, S.CONFIRMED}, S.CONFIRMED, AGENTS),
    t("submit", "提交补件申请审批", {S.CONFIRMED}, S.IN_REVIEW, AGENTS),
    t("approve", "审批通过", {S.IN_REVIEW}, S.APPROVED, engine=True),
    t("reject", "审批驳回", {S.IN_REVIEW}, S.REJECTED, engine=True),
    t("return", "退回修改", {S.IN_REVIEW}, S.RETURNED, engine=True),
    t("release", "下单补配组/采购部", {S.APPROVED}, S.IN_PRODUCTION, AGENTS),
    t("ship_from_stock", "成品仓发货", {S.APPROVED}, S.STOCK_SHIPMENT, AGENTS),
    t("borrow", "借用成品包", {S.IN_PRODUCTION}, S.IN_STORE, {"team_leader"}),
    t("receive", "入库检查合格", {S.IN_PRODUCTION}, S.IN_STORE, STORE),
    t("load", "装车发货", {S.IN_STORE, S.STOCK_SHIPMENT}, S.SHIPPED, {*STORE, "coordinator"}),
    t(
        "deliver",
        "确认交付",
        {S.SHIPPED},
        S.DELIVERED,
        {*AGENTS, *STORE, "dealer", "customer"},
    ),
    t("cancel", "取消", EDITABLE, S.CANCELLED, {*AGENTS, "dealer", "customer"}),
)

LOADING_LIST = table(
    t("submit", "提交成品装车单审批", {L.DRAFT, L.RETURNED}, L.IN_REVIEW, AGENTS),
    t("approve", "审批通过", {L.IN_REVIEW}, L.APPROVED, engine=True),
    t("reject", "审批驳回", {L.IN_REVIEW}, L.REJECTED, engine=True),
    t("return", "退回修改", {L.IN_REVIEW}, L.RETURNED, engine=True),
    t(
        "sales_order",
        "开销售单",
        {L.APPROVED},
        L.SALES_ORDERED,
        {"agent", "coordinator", "finance"},
    ),
    t("finance_review", "销售财务审核", {L.SALES_ORDERED}, L.FINANCE_REVIEWED, {"finance"}),
    t("ship", "物流装车", {L.FINANCE_REVIEWED, L.DRAFT}, L.SHIPPED, {*STORE, "coordinator"}),
    t("deliver", "跟踪到货", {L.SHIPPED}, L.DELIVERED, {*STORE, *AGENTS}),
)

REVIEW = table(
    t("submit", "提交审批", {R.DRAFT, R.RETURNED}, R.IN_REVIEW, {*AGENTS, "team_leader"}),
    t("approve", "审批通过", {R.IN_REVIEW}, R.APPROVED, engine=True),
    t("reject", "审批驳回", {R.IN_REVIEW}, R.REJECTED, engine=True),
    t("return", "退回修改", {R.IN_REVIEW}, R.RETURNED, engine=True),
)

BORROW_ROLES = frozenset({"team_leader"})
QA_ROLES = frozenset({"quality_director", "quality_centre_director"})
RETURN_PACK_ROLES = frozenset({"team_leader", "warehouse"})
CLOSING_ROLES = frozenset({"team_leader", "coordinator"})
ANALYSIS_ROLES = frozenset({"agent", "coordinator"})
