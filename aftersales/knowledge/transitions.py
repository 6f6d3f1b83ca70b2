"""The review flow of cases and articles as data: draft → reviewed → published → retired.
Authors write drafts; editors review, publish and retire; nothing is deleted."""

from __future__ import annotations

from aftersales.approvals.workflow import t, table
from aftersales.knowledge.models import ReviewState as S

AUTHORS = frozenset(
    {
        "agent",
        "coordinator",
        "team_leader",
        "technician",
        "quality_director",
        "quality_centre_director",
        "manager",
        "admin",
    }
)
EDITORS = frozenset(
    {"team_leader", "quality_director", "quality_centre_director", "manager", "admin"}
)
FEEDBACK_ROLES = frozenset({"agent", "coordinator", "team_leader", "technician", *EDITORS})

REVIEW = table(
    t("review", "审核通过", {S.DRAFT}, S.REVIEWED, EDITORS),
    t("publish", "发布", {S.REVIEWED}, S.PUBLISHED, EDITORS),
    t("retire", "停用", {S.DRAFT, S.REVIEWED, S.PUBLISHED}, S.RETIRED, EDITORS),
    t("redraft", "退回草稿", {S.REVIEWED, S.PUBLISHED, S.RETIRED}, S.DRAFT, EDITORS),
)
