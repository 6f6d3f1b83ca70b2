"""SPEC §6.2 with a controlled clock: a serious complaint and a quality warning draft one
CAPA each; planning starts its deadline; it cannot close without a verification by someone
other than the owner and the submitter; a failed verification re-opens it with a new
deadline; a rectification report needs its product model."""

from __future__ import annotations

import pytest

from aftersales.approvals.services import deadlines
from aftersales.approvals.testing import day
from aftersales.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from aftersales.quality.models import CapaVerification, CorrectiveAction
from aftersales.quality.services import capa
from aftersales.quality.tests.helpers import investigate, register

pytestmark = pytest.mark.django_db


def planned(w, *, owner=None):  # type: ignore[no-untyped-def]
    c = capa.open_capa(actor=w.qd, data=capa.CapaInput(title="电源批次虚焊的纠正措施"), now=day(0))
    return capa.plan(
        actor=w.coordinator,
        capa=c,
        cause="回流焊温度曲线偏低",
        measures="调整温度曲线，首件检验",
        owner_department_id=w.tech.id,
        owner_id=(owner or w.tech_rep).id,
        deadline=day(10).date(),
        now=day(0),
    )


def test_a_serious_complaint_drafts_one_capa(w) -> None:  # type: ignore[no-untyped-def]
    c = register(w, equipment_id=w.equipment_a.id)
    investigate(w, c, "serious")
    investigate(w, c, "serious", now=day(0.6))  # recorded again: still one
    [a] = CorrectiveAction.objects.filter(complaint=c)
    assert a.state == "draft" and a.source == "complaint" and a.number.startswith("CA")
    assert a.owner_department == w.tech and a.product_model == w.model
    minor = register(w)
    investigate(w, minor, "minor")
    assert not CorrectiveAction.objects.filter(complaint=minor).exists()


def test_planning_starts_the_deadline_and_closing_needs_another_persons_verification(w) -> None:  # type: ignore[no-untyped-def]
    a = planned(w)
    [d] = deadlines.of(a)
    assert d.step == "implement" and d.due_at.date() == day(10).date() and d.done_at is None
    with pytest.raises(InvalidTransition):  # not submitted yet: cannot be verified
        capa.verify(actor=w.qd, capa=a, effective=True, note="有效", now=day(1))
    capa.submit(actor=w.tech_rep, capa=a, done_note="已调整并验证三批", now=day(5))  # the owner
    a.refresh_from_db()
    assert a.state == "verifying" and deadlines.of(a)[0].done_at == day(5)
    w.tech_rep.groups.add(*w.qd.groups.all())  # even as quality director, the owner may not
    with pytest.raises(PermissionDenied, match="责任人和提交人以外"):
        capa.verify(actor=w.tech_rep, capa=a, effective=True, note="有效", now=day(6))
    with pytest.raises(PermissionDenied):  # a coordinator is no verifier
        capa.verify(actor=w.coordinator, capa=a, effective=True, note="有效", now=day(6))
    a.refresh_from_db()
    assert a.state == "verifying" and not CapaVerification.objects.exists()
    capa.verify(actor=w.qd, capa=a, effective=True, note="三个月未再发生", now=day(40))
    a.refresh_from_db()
    assert a.state == "closed" and a.closed_at == day(40)
    assert CapaVerification.objects.get(capa=a).verified_by == w.qd


def test_a_failed_verification_reopens_with_a_new_deadline(w) -> None:  # type: ignore[no-untyped-def]
    a = planned(w)
    capa.submit(actor=w.coordinator, capa=a, done_note="已调整", now=day(5))
    with pytest.raises(ValidationFailed, match="新完成期限"):
        capa.verify(actor=w.qd, capa=a, effective=False, note="仍有发生", now=day(6))
    with pytest.raises(ValidationFailed, match="不能早于今天"):
        capa.verify(
            actor=w.qd,
            capa=a,
            effective=False,
            note="仍有发生",
            new_deadline="2026-11-01",
            now=day(6),
        )
    capa.verify(
        actor=w.qd,
        capa=a,
        effective=False,
        note="仍有发生",
        new_deadline=day(20).date(),
        now=day(6),
    )
    a.refresh_from_db()
    assert (a.state, a.deadline, a.reopen_count) == ("open", day(20).date(), 1)
    [d] = deadlines.of(a)
    assert d.due_at.date() == day(20).date() and d.done_at is None
    # the coordinator submitted last time; now the owner does, and the coordinator... is no verifier
    capa.submit(actor=w.tech_rep, capa=a, done_note="更换供应商", now=day(15))
    capa.verify(actor=w.qcd, capa=a, effective=True, note="有效", now=day(30))
    a.refresh_from_db()
    assert a.state == "closed" and a.verifications.count() == 2


def test_bad_input_writes_nothing(w) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationFailed, match="整改报告须选择"):
        capa.open_capa(actor=w.qd, data=capa.CapaInput(title="P3屏整改", kind="rectification"))
    with pytest.raises(PermissionDenied):
        capa.open_capa(actor=w.agent, data=capa.CapaInput(title="x"))
    assert not CorrectiveAction.objects.exists()
    a = capa.open_capa(
        actor=w.qd,
        data=capa.CapaInput(title="P3屏整改", kind="rectification", product_model_id=w.model.id),
    )
    with pytest.raises(ValidationFailed, match="请选择责任部门"):
        capa.plan(
            actor=w.qd,
            capa=a,
            cause="c",
            measures="m",
            owner_department_id=None,
            deadline="2027-01-01",
        )
    a.refresh_from_db()
    assert a.state == "draft" and deadlines.of(a) == []
