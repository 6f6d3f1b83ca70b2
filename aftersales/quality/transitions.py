"""The complaint state machine as data (SPEC §6.1). ``engine`` transitions are the outcomes
of the handling form's departmental approval: only the approval engine makes them."""

from __future__ import annotations

from aftersales.approvals.workflow import t, table
from aftersales.quality.models import CapaState
from aftersales.quality.models import ComplaintState as S

REGISTER_ROLES = frozenset({"agent", "coordinator", "dealer", "customer"})
# the technical department / quality office record the investigation
INVESTIGATORS = frozenset({"coordinator", "quality_director", "quality_centre_director"})
REPLIERS = frozenset({"agent", "coordinator", "quality_director"})
HANDLERS = frozenset({"coordinator", "quality_director"})

COMPLAINT = table(
    t(
        "investigate",
        "记录调查结果",
        {S.REGISTERED, S.INVESTIGATED, S.RETURNED},
        S.INVESTIGATED,
        INVESTIGATORS,
    ),
    t("feed_back", "一般投诉：登记并反馈结案", {S.INVESTIGATED}, S.CLOSED, REPLIERS),
    t(
        "submit_handling",
        "重大投诉：处理单提交部门审批",
        {S.INVESTIGATED, S.RETURNED},
        S.IN_APPROVAL,
        HANDLERS,
    ),
    t("approve", "处理方案审批通过", {S.IN_APPROVAL}, S.APPROVED, engine=True),
    t("reject", "处理方案被驳回", {S.IN_APPROVAL}, S.RETURNED, engine=True),
    t("return", "处理单退回修改", {S.IN_APPROVAL}, S.RETURNED, engine=True),
    t("close", "按批准方案处理完毕结案", {S.APPROVED}, S.CLOSED, REPLIERS),
    t("explain", "非我方责任：依鉴定结果答复结案", {S.INVESTIGATED}, S.CLOSED, REPLIERS),
    t("cancel", "撤销投诉", {S.REGISTERED}, S.CANCELLED, {"agent", "coordinator"}),
)

# corrective and preventive action (SPEC §6.2)
QUALITY_OFFICE = frozenset({"coordinator", "quality_director", "quality_centre_director"})
VERIFIERS = frozenset({"quality_director", "quality_centre_director", "manager"})
C = CapaState

CAPA = table(
    t("plan", "制定原因与措施", {C.DRAFT}, C.OPEN, QUALITY_OFFICE),
    # the owner may submit as well (checked in the service): roles are the quality office's
    t("submit", "实施完毕，提交效果验证", {C.OPEN}, C.VERIFYING, QUALITY_OFFICE),
    t("verify_ok", "效果验证有效，关闭", {C.VERIFYING}, C.CLOSED, VERIFIERS),
    t("verify_fail", "效果验证无效，重新打开", {C.VERIFYING}, C.OPEN, VERIFIERS),
    t("cancel", "撤销", {C.DRAFT, C.OPEN}, C.CANCELLED, {"quality_director"}),
)

# old parts (SPEC §6.4): the technician or dealer sends them back, the store receives them
# with a bin, the technical department appraises them
from aftersales.quality.models import OldPartState as O  # noqa: E402

OLD_PART_REGISTRARS = frozenset({"coordinator", "team_leader", "warehouse", *QUALITY_OFFICE})
SHIPPERS = frozenset({"technician", "dealer", "coordinator", "team_leader", "warehouse"})
RECEIVERS = frozenset({"warehouse", "team_leader", "coordinator"})
# the technical department appraises: the quality office's roles, or any company member of a
# technical department (``defaults.TECHNICAL_DEPARTMENTS``, checked in the service)
APPRAISERS = frozenset({"quality_director", "quality_centre_director", "coordinator"})

OLD_PART = table(
    t("ship", "寄回旧件", {O.PENDING}, O.SHIPPED, SHIPPERS),
    t("receive", "旧件入库", {O.PENDING, O.SHIPPED}, O.RECEIVED, RECEIVERS),
    t("restock", "鉴定可再用，回库", {O.RECEIVED}, O.RESTOCKED, APPRAISERS),
    t("scrap", "鉴定报废", {O.RECEIVED}, O.SCRAPPED, APPRAISERS),
    t("claim", "鉴定为供应商责任，向供应商索赔", {O.RECEIVED}, O.SUPPLIER_CLAIM, APPRAISERS),
    t(
        "close_claim",
        "供应商索赔完结",
        {O.SUPPLIER_CLAIM},
        O.CLAIM_CLOSED,
        {"quality_director", "quality_centre_director", "coordinator"},
    ),
    t("waive", "免返回", {O.PENDING, O.SHIPPED}, O.WAIVED, {"quality_director"}),
)

# the monthly quality review (SPEC §6.1): the quality office opens, concludes and closes a
# month; closing goes to the approval flow ``quality_review``, whose outcome moves it on
from aftersales.quality.models import ReviewState as R  # noqa: E402

REVIEWERS = QUALITY_OFFICE
REVIEW = table(
    t("close", "提交评审结论审批", {R.OPEN, R.RETURNED}, R.IN_APPROVAL, REVIEWERS),
    t("approve", "评审结论审批通过", {R.IN_APPROVAL}, R.CLOSED, engine=True),
    t("reject", "评审结论被驳回", {R.IN_APPROVAL}, R.RETURNED, engine=True),
    t("return", "评审结论退回修改", {R.IN_APPROVAL}, R.RETURNED, engine=True),
)
