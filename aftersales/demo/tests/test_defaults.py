"""The defaults a fresh installation needs: calendar and the SLA policies of SPEC §3.3."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from aftersales.bizcalendar.models import CalendarYear, WorkingPattern
from aftersales.core.models import AuditEvent
from aftersales.demo.defaults import ensure_defaults
from aftersales.sla.models import SlaPolicy, SlaRegionalTarget, SlaTarget

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 23)


def targets(code: str) -> dict[tuple[str, str], tuple[Decimal, str, bool]]:
    return {
        (t.severity, t.metric): (t.amount, t.unit, t.working_time)
        for t in SlaTarget.objects.filter(policy__code=code)
    }


def test_default_sla_policy_matches_the_spec() -> None:
    report = ensure_defaults(today=TODAY)
    assert report.policies == ["default", "7x24"]
    default = SlaPolicy.objects.get(code="default")
    assert default.is_default and default.pattern == WorkingPattern.objects.get(code="standard")
    t = targets("default")
    for sev in ("major", "urgent"):
        assert t[sev, "response"] == (Decimal(30), "minutes", False)
        assert t[sev, "on_site"] == (Decimal(120), "minutes", False)
        assert t[sev, "resolution"] == (Decimal(240), "minutes", False)
    assert t["normal", "response"] == (Decimal(60), "minutes", True)
    assert t["normal", "on_site"] == (Decimal(1), "working_days", True)
    assert t["normal", "resolution"] == (Decimal(1), "working_days", True)
    assert t["low", "response"] == (Decimal(1), "working_days", True)
    assert ("low", "on_site") not in t  # by appointment: no clock
    assert t["low", "resolution"] == (Decimal(5), "working_days", True)
    regional = dict(
        SlaRegionalTarget.objects.filter(policy=default).values_list("relation", "minutes")
    )
    assert regional == {"local": 120, "neighbour": 720, "other": 2880}
    assert not SlaRegionalTarget.objects.filter(working_time=True).exists()


def test_7x24_policy_runs_around_the_clock_for_every_severity() -> None:
    ensure_defaults(today=TODAY)
    policy = SlaPolicy.objects.get(code="7x24")
    assert not policy.is_default
    t = targets("7x24")
    assert {sev for sev, _ in t} == {"major", "urgent", "normal", "low"}
    assert all(unit == "minutes" and not working for _, unit, working in t.values())


def test_calendar_for_this_year_and_next() -> None:
    report = ensure_defaults(today=TODAY)
    assert report.calendar_years == [2026, 2027]
    assert set(CalendarYear.objects.values_list("year", flat=True)) == {2026, 2027}


def test_ensure_defaults_is_idempotent_and_keeps_admin_edits() -> None:
    ensure_defaults(today=TODAY)
    SlaTarget.objects.filter(policy__code="default", severity="major", metric="response").update(
        amount=Decimal(20)
    )
    audit_rows = AuditEvent.objects.count()
    report = ensure_defaults(today=TODAY)
    assert not report.changed
    assert AuditEvent.objects.count() == audit_rows
    assert targets("default")["major", "response"][0] == Decimal(20)
    SlaTarget.objects.filter(policy__code="default", severity="low").delete()
    assert ensure_defaults(today=TODAY).targets == 2


def test_ensure_defaults_command() -> None:
    out = io.StringIO()
    call_command("ensure_defaults", stdout=out)
    assert "SLA政策：新增 default、7x24" in out.getvalue()
    out = io.StringIO()
    call_command("ensure_defaults", stdout=out)
    assert out.getvalue().strip() == "默认配置已完整。"
