"""The return and credit-note state machines as data (SPEC §5). ``engine`` transitions are
the approval outcomes; ``deem`` has no role: only the system (the job) makes it."""

from __future__ import annotations

from aftersales.approvals.workflow import t, table
from aftersales.returns.models import CreditState as C
from aftersales.returns.models import ReturnState as R

COORD = {"coordinator"}
APPLY_ROLES = frozenset({"customer", "dealer", "agent", "coordinator"})
RECEIVERS = {"warehouse", "team_leader", "coordinator"}
QA = {"coordinator", "quality_director", "quality_centre_director"}
RESPONDERS = {"customer", "dealer", "agent", "coordinator"}

RETURN = table(
    t("submit", "受理并提交会签审批", {R.APPLIED, R.RETURNED}, R.IN_APPROVAL, COORD),
    t("approve", "审批通过", {R.IN_APPROVAL}, R.APPROVED, engine=True),
    t("refuse", "拒绝退货", {R.IN_APPROVAL}, R.REFUSED, engine=True),
    t("return", "退回修改", {R.IN_APPROVAL}, R.RETURNED, engine=True),
    t("resolve_otherwise", "以补件/折价解决", {R.APPROVED}, R.RESOLVED_OTHERWISE, COORD),
    t("await_goods", "同意退货，等待到厂", {R.APPROVED}, R.AWAITING_GOODS, COORD),
    t("receive", "退货清点交接", {R.AWAITING_GOODS}, R.RECEIVED, RECEIVERS),
    t("inspect", "QA检验", {R.RECEIVED}, R.INSPECTED, QA),
    t("decide", "品质办主任裁定", {R.INSPECTED, R.DISPUTED}, R.DECIDED, {"quality_director"}),
    t("send_record", "检验记录送客户确认", {R.DECIDED}, R.RECORD_SENT, {"coordinator", "agent"}),
    t("confirm", "客户确认", {R.RECORD_SENT}, R.ACCEPTED, RESPONDERS),
    t("dispute", "客户提出异议", {R.RECORD_SENT}, R.DISPUTED, RESPONDERS),
    t("deem", "逾期未回传视为默认", {R.RECORD_SENT}, R.ACCEPTED, ()),
    t("handle", "返修/换货完成结案", {R.ACCEPTED}, R.CLOSED, COORD),
    t("close_by_credit", "冲账完成结案", {R.ACCEPTED}, R.CLOSED, {"finance"}),
    t(
        "cancel",
        "取消",
        {R.APPLIED, R.RETURNED},
        R.CANCELLED,
        {"customer", "dealer", "agent", "coordinator"},
    ),
)

CREDIT = table(
    t("submit", "提交主管领导审批", {C.DRAFT, C.RETURNED}, C.IN_REVIEW, COORD),
    t("approve", "主管领导批准", {C.IN_REVIEW}, C.APPROVED, engine=True),
    t("reject", "驳回", {C.IN_REVIEW}, C.REJECTED, engine=True),
    t("return", "退回修改", {C.IN_REVIEW}, C.RETURNED, engine=True),
    t("book", "财务冲账", {C.APPROVED}, C.BOOKED, {"finance"}),
)
CREDIT_CREATE_ROLES = frozenset({"coordinator"})
