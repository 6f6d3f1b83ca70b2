"""The demo quality loop, made through the services: old parts in every state (one overdue),
a warning fired on the model with its proactive-check tickets, complaints of every class and
stage, a CAPA awaiting verification; a second run adds nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from aftersales import testing as t
from aftersales.accounts.models import Department
from aftersales.demo.quality import load_quality
from aftersales.quality import selectors
from aftersales.quality.models import (
    Complaint,
    CorrectiveAction,
    OldPart,
    ProactiveCheck,
    QualityWarning,
)
from aftersales.service.tests import web_world

pytestmark = pytest.mark.django_db


def test_the_demo_quality_loop() -> None:
    w = web_world.build()
    Department.objects.get_or_create(code="PZB", defaults={"name": "品质办"})
    recent = timezone.localdate() - dt.timedelta(days=60)
    for i in range(6):
        t.equipment(w["s1"], w["e1"].model, serial_no=f"DEMO-{i}", acceptance_date=recent)
    users = {
        "agent": w["agent"],
        "coordinator": w["coordinator"],
        "quality_director": t.user("quality_director", username="qd_demo"),
        "warehouse": t.user("warehouse", username="keeper_demo"),
    }
    report = load_quality(users=users)
    states = set(OldPart.objects.values_list("state", flat=True))
    assert states == {
        "pending",
        "shipped",
        "received",
        "restocked",
        "scrapped",
        "supplier_claim",
        "waived",
    }
    overdue = selectors.old_part_list(w["coordinator"], selectors.OldPartFilters(overdue=True))
    assert overdue.count() == 1 and overdue.get().source == "return"
    [warning] = QualityWarning.objects.filter(product_model=w["e1"].model, window="month")
    assert ProactiveCheck.objects.filter(warning=warning).exists()
    assert {"registered", "closed", "in_approval", "investigated"} <= set(
        Complaint.objects.values_list("state", flat=True)
    )
    assert {"quality_defect", "service_attitude", "human_factors", "other"} == set(
        Complaint.objects.values_list("category", flat=True)
    )
    assert CorrectiveAction.objects.filter(state="verifying", complaint__isnull=False).count() == 1
    assert report.complaints == Complaint.objects.count() and report.old_parts == 8
    before = (OldPart.objects.count(), Complaint.objects.count())
    load_quality(users=users)
    assert (OldPart.objects.count(), Complaint.objects.count()) == before
