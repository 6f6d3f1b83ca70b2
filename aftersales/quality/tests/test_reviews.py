"""The monthly quality review (SPEC §6.1, 000 §三(四), 001 4.16): the figures are exactly the
records of the month (Asia/Shanghai days, boundary at midnight), the quality office opens,
concludes, assigns actions on the deadline engine and closes the month through the approval
flow; bad input writes nothing; nobody outside the company's quality roles sees a review."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from aftersales.approvals.models import ApprovalTask, Deadline, TaskState
from aftersales.approvals.services import deadlines, engine
from aftersales.core.errors import (
    Conflict,
    InvalidTransition,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from aftersales.core.models import AuditEvent
from aftersales.notifications.models import Notification
from aftersales.quality import review_figures, selectors
from aftersales.quality.models import (
    QualityReview,
    QualityWarning,
    ReviewAction,
    WarningThreshold,
)
from aftersales.quality.services import capa, complaints, old_parts, reviews
from aftersales.quality.tests.helpers import investigate, register
from aftersales.stock.models import Bin, Warehouse, WarehouseKind


def local(y: int, m: int, d: int, h: int = 9, mi: int = 0, s: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(y, m, d, h, mi, s))


NOV = dt.date(2026, 11, 1)


def pending_review_task(r: QualityReview) -> ApprovalTask:
    return ApprovalTask.objects.get(
        request__object_id=r.pk,
        request__flow__document_type="quality.qualityreview",
        state=TaskState.PENDING,
    )


def _capa(w: Any, deadline: dt.date, *, title: str) -> Any:
    a = capa.open_capa(actor=w.qd, data=capa.CapaInput(title=title), now=local(2026, 11, 2))
    return capa.plan(
        actor=w.qd,
        capa=a,
        cause="原因",
        measures="措施",
        owner_department_id=w.tech.id,
        deadline=deadline.isoformat(),
        now=local(2026, 11, 2),
    )


def _old_part(w: Any, registered: dt.datetime, due: dt.date) -> Any:
    return old_parts.register(
        actor=w.coordinator,
        data=old_parts.OldPartInput(part_code="PSU-5V", due_date=due.isoformat()),
        now=registered,
    )


def _warning(w: Any, at: dt.datetime, component: str) -> QualityWarning:
    # arrangement: a warning as the nightly job leaves it (the job has its own tests)
    threshold = WarningThreshold.objects.create(  # archived: the defaults keep their slot
        window="month", min_count=3, note="测试", archived_at=at
    )
    return QualityWarning.objects.create(
        number=f"YJ-{component}",
        product_model=w.model,
        component_code=component,
        cause_class="manufacturing",
        window="month",
        period_start=at.date().replace(day=1),
        period_end=at.date().replace(day=28),
        fault_count=3,
        installed_units=2,
        threshold=threshold,
        threshold_text="≥3次",
        raised_at=at,
    )


def _november(w: Any) -> dict[str, Any]:
    """Records on both sides of November's boundaries (Asia/Shanghai)."""
    made: dict[str, Any] = {}
    # complaints
    c1 = register(w, equipment_id=w.equipment_a.id, now=local(2026, 11, 1, 0, 0, 0))
    complaints.reply(actor=w.agent, complaint=c1, text="已安排工程师", now=local(2026, 11, 1, 1))
    investigate(w, c1, "serious", now=local(2026, 11, 2))
    c2 = register(
        w,
        category="service_attitude",
        description="工程师态度恶劣",
        person_issue="rudeness",
        staff_member_id=w.engineer.id,
        now=local(2026, 11, 30, 23, 59, 59),
    )
    investigate(
        w,
        c2,
        "minor",
        responsible_department_id=w.sales.id,
        person_accountable=True,
        now=local(2026, 12, 1, 10),
    )
    register(w, description="十二月的投诉", now=local(2026, 12, 1, 0, 0, 0))
    register(w, description="十月的投诉", now=local(2026, 10, 31, 23, 59, 59))
    c5 = register(w, description="登记错误", now=local(2026, 11, 10))
    complaints.cancel(actor=w.agent, complaint=c5, reason="重复登记", now=local(2026, 11, 10, 10))
    made["c6"] = complaints.register(
        actor=w.dealer_user_a,
        data=complaints.ComplaintInput(
            category="quality_defect",
            description="电源批量故障",
            part_code="PSU-5V",
            quantity=10,
            defective_quantity=3,
        ),
        now=local(2026, 11, 15),
    )
    made.update(c1=c1, c2=c2)
    # CAPAs: overdue at the month's end = deadline passed, not submitted before the end
    made["capa_overdue"] = _capa(w, dt.date(2026, 11, 30), title="十一月底到期未完成")
    _capa(w, dt.date(2026, 12, 1), title="十二月到期")
    on_time = _capa(w, dt.date(2026, 11, 20), title="按期完成")
    capa.submit(actor=w.qd, capa=on_time, done_note="完成", now=local(2026, 11, 19))
    late = _capa(w, dt.date(2026, 11, 25), title="月后才完成")
    capa.submit(actor=w.qd, capa=late, done_note="完成", now=local(2026, 12, 2))
    made["capa_late"] = late
    # warnings: raised inside and just after the month
    made["warning"] = _warning(w, local(2026, 11, 30, 23, 59), "MOD-P3")
    _warning(w, local(2026, 12, 1, 0, 0), "PSU")
    # old parts due back in November (and one of October, one of December)
    store = Warehouse.objects.create(code="MAIN", name="售后总库", kind=WarehouseKind.MAIN)
    bin_ = Bin.objects.create(warehouse=store, zone="J", shelf="01", level="1")

    def receive(op: Any, at: dt.datetime) -> Any:
        return old_parts.receive(
            actor=w.warehouse, old_part=op, warehouse_id=store.pk, bin_id=bin_.pk, now=at
        )

    op1 = receive(_old_part(w, local(2026, 11, 5), dt.date(2026, 11, 20)), local(2026, 11, 19))
    old_parts.appraise(
        actor=w.qd,
        old_part=op1,
        data=old_parts.AppraisalInput(disposition="scrap", appraisal="烧毁"),
        now=local(2026, 11, 21),
    )
    receive(_old_part(w, local(2026, 11, 5), dt.date(2026, 11, 25)), local(2026, 11, 28))
    _old_part(w, local(2026, 11, 5), dt.date(2026, 11, 30))  # still out at the end
    op4 = _old_part(w, local(2026, 11, 5), dt.date(2026, 11, 26))
    old_parts.waive(actor=w.qd, old_part=op4, reason="客户留用", now=local(2026, 11, 27))
    _old_part(w, local(2026, 11, 5), dt.date(2026, 12, 3))  # due in December
    _old_part(w, local(2026, 10, 20), dt.date(2026, 10, 31))  # October's, still out
    late_back = _old_part(w, local(2026, 11, 5), dt.date(2026, 11, 10))
    receive(late_back, local(2026, 12, 1, 8))  # due in November, back in December
    return made


def test_the_figures_are_exactly_the_records_of_the_month(w: Any) -> None:
    made = _november(w)
    f = review_figures.figures(NOV)
    c = f["complaints"]
    assert (c["total"], c["cancelled"], c["closed"]) == (3, 1, 0)
    counts = lambda rows: {r["code"]: r["count"] for r in rows if r["count"]}  # noqa: E731
    assert counts(c["by_category"]) == {"quality_defect": 2, "service_attitude": 1}
    assert counts(c["by_severity"]) == {"serious": 1, "minor": 1, "": 1}
    assert counts(c["by_complainant"]) == {"consumer": 2, "dealer": 1}
    assert {(r["code"], r["count"]) for r in c["by_product"]} == {
        ("LED-P3", 1),
        ("PSU-5V", 1),
        ("", 1),
    }
    assert {(r["label"], r["count"]) for r in c["by_department"]} == {
        ("工艺技术部", 1),
        ("销售部", 1),
        ("未认定", 1),
    }
    # the dealer's complaint had no reply by its 24 h; c1 was answered in time, and c2's
    # 24 h ran past the month's end
    assert c["reply_late"] == 1
    assert c["person_complaints"] == [
        {
            "complaint": made["c2"].number,
            "person": str(w.engineer),
            "issue": "态度恶劣",
            "outcome": "已计入",
        }
    ]
    assert [a["number"] for a in f["overdue_capas"]] == [
        made["capa_late"].number,
        made["capa_overdue"].number,
    ]
    assert f["overdue_capas"][1]["due"] == "2026-11-30"
    assert [x["number"] for x in f["warnings"]] == [made["warning"].number]
    assert f["old_parts"] == {
        "due": 5,
        "back_on_time": 1,
        "back_late": 1,
        "waived": 1,
        "out_at_month_end": 2,  # due 30th, and the one back only on 1 December
        "overdue_at_month_end": 3,  # those two and October's
        "appraised": [
            {"code": "reusable", "label": "可再用", "count": 0},
            {"code": "scrap", "label": "报废", "count": 1},
            {"code": "supplier_claim", "label": "供应商索赔", "count": 0},
        ],
    }
    assert f["repeat_repairs"] == []
    # December's figures hold December's records only
    dec = review_figures.figures(dt.date(2026, 12, 1))
    assert dec["complaints"]["total"] == 1
    assert [x["component"] for x in dec["warnings"]] == ["PSU"]


def test_open_conclude_act_and_close_through_the_approval(w: Any) -> None:
    made = _november(w)
    at = local(2026, 12, 2, 9)
    with pytest.raises(PermissionDenied):
        reviews.open_review(actor=w.agent, month="2026-11", now=at)
    with pytest.raises(ValidationFailed) as exc:
        reviews.open_review(actor=w.qd, month="2026-12", now=at)
    assert exc.value.code == "month_not_over"
    with pytest.raises(ValidationFailed, match="YYYY-MM"):
        reviews.open_review(actor=w.qd, month="2026/11", now=at)
    assert not QualityReview.objects.exists()
    r = reviews.open_review(actor=w.qd, month="2026-11", now=at)
    assert (r.month, r.state, r.number[:2]) == (NOV, "open", "PS")
    with pytest.raises(Conflict) as dup:
        reviews.open_review(actor=w.coordinator, month="2026-11", now=at)
    assert dup.value.code == "review_exists"

    with pytest.raises(ValidationFailed, match="评审结论"):
        reviews.close_review(actor=w.qd, review=r, now=at)
    with pytest.raises(ValidationFailed):
        reviews.record_conclusions(actor=w.qd, review=r, conclusions="   ", now=at)
    with pytest.raises(ValidationFailed):
        reviews.record_conclusions(actor=w.qd, review=r, conclusions="长" * 4001, now=at)
    reviews.record_conclusions(
        actor=w.qd, review=r, conclusions="电源批次问题集中，服务态度投诉一件已计入考核", now=at
    )

    # an action: bad input writes nothing
    good = {
        "description": "更换电源供应商批次",
        "owner_id": w.tech_rep.id,
        "due_date": "2026-12-20",
    }
    bad: list[dict[str, Any]] = [
        {**good, "owner_id": None},
        {**good, "owner_id": w.dealer_user_a.id},  # not a company user
        {**good, "due_date": "2026-12-01"},  # before today
        {**good, "due_date": "2026-13-01"},
        {**good, "description": ""},
        {**good, "description": "长" * 501},
        {**good, "department_id": 999999},
    ]
    for values in bad:
        with pytest.raises((ValidationFailed, NotFound)):
            reviews.add_action(actor=w.qd, review=r, now=at, **values)
    assert not ReviewAction.objects.exists() and not Deadline.objects.filter(step="action").exists()
    with pytest.raises(PermissionDenied):
        reviews.add_action(actor=w.tech_rep, review=r, now=at, **good)
    act = reviews.add_action(actor=w.qd, review=r, department_id=w.tech.id, now=at, **good)
    assert act.number == f"{r.number}-01"
    dl = Deadline.objects.get(object_id=act.pk, step="action")
    assert (dl.owner_id, timezone.localtime(dl.due_at)) == (
        w.tech_rep.id,
        local(2026, 12, 20, 23, 59),
    )
    assert dl.rule == "quality.review_action"

    r = reviews.close_review(actor=w.coordinator, review=r, now=at)
    assert r.state == "in_approval"
    assert r.figures == review_figures.figures(NOV)
    frozen = r.figures["complaints"]["by_severity"]
    # a later investigation changes the live figures, not the closed review's
    investigate(w, made["c6"], "not_our_fault", responsible_department_id=None, now=at)
    assert review_figures.figures(NOV)["complaints"]["by_severity"] != frozen
    assert selectors.review_figures_of(r)["complaints"]["by_severity"] == frozen
    with pytest.raises(InvalidTransition):
        reviews.record_conclusions(actor=w.qd, review=r, conclusions="再改", now=at)
    with pytest.raises(InvalidTransition):
        reviews.add_action(actor=w.qd, review=r, now=at, **good)

    # returned by the quality centre director, closed again, approved
    engine.decide(
        actor=w.qcd, task=pending_review_task(r), decision="return", comment="补充", now=at
    )
    r.refresh_from_db()
    assert r.state == "returned"
    reviews.record_conclusions(actor=w.qd, review=r, conclusions="补充了改进措施", now=at)
    reviews.close_review(actor=w.qd, review=r, now=at)
    engine.decide(actor=w.qcd, task=pending_review_task(r), decision="approve", now=at)
    r.refresh_from_db()
    assert (r.state, r.closed_at) == ("closed", at)
    verbs = list(
        AuditEvent.objects.filter(object_id=str(r.pk), content_type__model="qualityreview")
        .order_by("id")
        .values_list("verb", flat=True)
    )
    assert verbs.count("close") == 2 and "approve" in verbs and "add_action" in verbs

    # the action is followed through after the review: overdue → escalated once; done by
    # its owner (another person needs a quality role)
    deadlines.process_due(now=local(2026, 12, 21, 9))
    deadlines.process_due(now=local(2026, 12, 22, 9))
    assert (
        Notification.objects.filter(key=f"deadline:{dl.pk}:escalate", recipient=w.qd).count() == 1
    )
    with pytest.raises(PermissionDenied):
        reviews.complete_action(actor=w.sales_rep, action=act, note="完成", now=at)
    with pytest.raises(ValidationFailed):
        reviews.complete_action(actor=w.tech_rep, action=act, note="", now=at)
    done = reviews.complete_action(
        actor=w.tech_rep, action=act, note="已更换供应商", now=local(2026, 12, 22, 10)
    )
    assert (done.state, done.done_by_id) == ("done", w.tech_rep.id)
    dl.refresh_from_db()
    assert dl.done_at == local(2026, 12, 22, 10)
    with pytest.raises(InvalidTransition):
        reviews.complete_action(actor=w.qd, action=act, note="再次", now=at)


def test_only_the_company_quality_roles_see_a_review(w: Any) -> None:
    r = reviews.open_review(actor=w.qd, month="2026-11", now=local(2026, 12, 2))
    for outsider in (w.dealer_user_a, w.customer_user_a, w.engineer, w.finance):
        assert not selectors.review_list(outsider).exists()
        with pytest.raises(NotFound):
            selectors.review_detail(outsider, r.pk)
        with pytest.raises(PermissionDenied):
            reviews.record_conclusions(
                actor=outsider, review=r, conclusions="x", now=local(2026, 12, 2)
            )
    for insider in (w.qd, w.qcd, w.coordinator, w.manager):
        assert selectors.review_detail(insider, r.pk) == r


def test_repeat_repairs_are_the_repeat_reports_filed_in_the_month(db: Any) -> None:
    from aftersales.quality.tests import warning_world as ww
    from aftersales.service.models import ServiceReport

    world = ww.build()
    first, second, third = (ww.fault(world) for _ in range(3))  # e1, the same fault thrice
    assert first.repeat_of is None
    assert second.repeat_of_id == first.ticket_id and third.repeat_of_id == second.ticket_id
    # dated afterwards: the scan reads filed_at only
    for report, at in (
        (first, local(2026, 11, 3)),
        (second, local(2026, 11, 30, 23, 59, 59)),
        (third, local(2026, 12, 1, 0, 0, 0)),
    ):
        ServiceReport.objects.filter(pk=report.pk).update(filed_at=at)
    assert review_figures.figures(NOV)["repeat_repairs"] == [
        {
            "ticket": second.ticket.number,
            "repeat_of": first.ticket.number,
            "serial_no": world["e1"].serial_no,
            "product_model": world["e1"].model.code,
            "filed_at": local(2026, 11, 30, 23, 59, 59).isoformat(),
        }
    ]
    dec = review_figures.figures(dt.date(2026, 12, 1))["repeat_repairs"]
    assert [x["ticket"] for x in dec] == [third.ticket.number]
