"""SPEC §6.3: the warning fires at the threshold and not one below, per month, quarter and
year window, by count and by rate per installed unit; never twice for one window (also with
two workers at once); the check list is exactly the other active equipment of the model;
converting it makes one inspection ticket per equipment, and a second run none more."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
from django.db import connection, transaction

from aftersales.core.errors import PermissionDenied
from aftersales.core.models import AuditEvent
from aftersales.notifications.models import Notification
from aftersales.quality import faults, rules
from aftersales.quality.models import ProactiveCheck, QualityWarning, WarningState
from aftersales.quality.services import warnings
from aftersales.quality.tests import warning_world as ww
from aftersales.service.models import Ticket

MAY20 = ww.local(2026, 5, 20)


@pytest.fixture
def w(db):  # type: ignore[no-untyped-def]
    return ww.build()


@pytest.mark.django_db
def test_fires_at_the_threshold_and_not_one_below(w) -> None:  # type: ignore[no-untyped-def]
    ww.thresholds(month=3)
    ww.fault(w, at=ww.local(2026, 5, 2))
    ww.fault(w, equipment="e2", at=ww.local(2026, 5, 9))
    assert warnings.scan(now=MAY20) == []
    ww.fault(w, at=ww.local(2026, 5, 19))
    [qw] = warnings.scan(now=MAY20)
    assert (qw.product_model, qw.component_code, qw.cause_class) == (
        w["model"],
        "MOD-P3",
        "manufacturing",
    )
    assert (qw.window, qw.period_start, qw.period_end) == (
        "month",
        dt.date(2026, 5, 1),
        dt.date(2026, 6, 1),
    )
    assert qw.fault_count == 3 and qw.faults.count() == 3 and qw.number.startswith("YJ")
    assert qw.installed_units == 3  # e1, e2, e3 (e4 archived); the P5 is another model
    assert Notification.objects.filter(key=f"qwarning:{qw.pk}:raised", recipient=w["qd"]).exists()
    events = AuditEvent.objects.filter(
        object_id=str(qw.pk), action="create", content_type__model="qualitywarning"
    )
    assert events.count() == 1
    # later runs (and a fourth fault) raise nothing more in the same window
    ww.fault(w, equipment="e2", at=ww.local(2026, 5, 19, 15))
    assert warnings.scan(now=MAY20) == [] and warnings.scan(now=MAY20) == []
    assert QualityWarning.objects.count() == 1


@pytest.mark.django_db
def test_month_quarter_and_year_windows_count_their_own_faults(w) -> None:  # type: ignore[no-untyped-def]
    ww.thresholds(month=3, quarter=4, year=5)
    for at in (ww.local(2026, 5, 3), ww.local(2026, 5, 10)):  # May: 2 (month: below)
        ww.fault(w, at=at)
    for at in (ww.local(2026, 4, 1, 0), ww.local(2026, 4, 30, 23)):  # Q2 = Apr–Jun: 4
        ww.fault(w, at=at)
    ww.fault(w, at=ww.local(2026, 2, 14))  # the year: 5
    ww.fault(w, at=ww.local(2025, 12, 31, 23))  # last year: in no window
    raised = {qw.window: qw for qw in warnings.scan(now=MAY20)}
    assert set(raised) == {"quarter", "year"}
    assert (raised["quarter"].period_start, raised["quarter"].fault_count) == (
        dt.date(2026, 4, 1),
        4,
    )
    assert (raised["year"].period_start, raised["year"].fault_count) == (dt.date(2026, 1, 1), 5)
    # a new month starts its own window: the third June fault raises June's warning
    for at in (ww.local(2026, 6, 1, 8), ww.local(2026, 6, 2), ww.local(2026, 6, 3)):
        ww.fault(w, at=at)
    june = warnings.scan(now=ww.local(2026, 6, 3, 18))
    assert [(qw.window, qw.period_start, qw.fault_count) for qw in june] == [
        ("month", dt.date(2026, 6, 1), 3)
    ]


@pytest.mark.django_db
def test_a_rate_threshold_is_faults_per_installed_unit(w) -> None:  # type: ignore[no-untyped-def]
    ww.thresholds(month=(None, "1.0"))  # as many faults as units in use (3)
    ww.fault(w, at=ww.local(2026, 5, 2))
    ww.fault(w, at=ww.local(2026, 5, 3))
    assert warnings.scan(now=MAY20) == []
    ww.fault(w, at=ww.local(2026, 5, 4))
    [qw] = warnings.scan(now=MAY20)
    assert (qw.fault_count, qw.installed_units) == (3, 3)


@pytest.mark.django_db
def test_a_category_threshold_overrides_the_default(w) -> None:  # type: ignore[no-untyped-def]
    from aftersales.quality.models import WarningThreshold

    ww.thresholds(month=2)
    WarningThreshold.objects.create(category=w["led"], window="month", min_count=4)
    for day in (2, 3, 4):
        ww.fault(w, at=ww.local(2026, 5, day))
    assert warnings.scan(now=MAY20) == []  # LED screens: 4, not the default 2
    ww.fault(w, at=ww.local(2026, 5, 5))
    assert len(warnings.scan(now=MAY20)) == 1


@pytest.mark.django_db
def test_the_check_list_is_the_other_active_equipment_and_converts_once(w) -> None:  # type: ignore[no-untyped-def]
    ww.thresholds(month=2)
    ww.fault(w, at=ww.local(2026, 5, 2))
    ww.fault(w, at=ww.local(2026, 5, 3))
    [qw] = warnings.scan(now=MAY20)
    # e1 had the faults, e4 is archived, e5 is another model
    assert list(warnings.check_list(qw)) == [w["e3"], w["e2"]] or set(warnings.check_list(qw)) == {
        w["e2"],
        w["e3"],
    }
    assert {e.pk for e in warnings.check_list(qw)} == {w["e2"].pk, w["e3"].pk}
    with pytest.raises(PermissionDenied):
        warnings.create_checks(actor=w["tech"], warning=qw)
    before = Ticket.objects.count()
    result = warnings.create_checks(actor=w["coordinator"], warning=qw, now=MAY20)
    assert {c.equipment_id for c in result.created} == {w["e2"].pk, w["e3"].pk}
    assert result.skipped == []
    new = Ticket.objects.filter(pk__in=[c.ticket_id for c in result.created])
    assert {(tk.type, tk.channel, tk.equipment_id) for tk in new} == {
        ("inspection", "inspection", w["e2"].pk),
        ("inspection", "inspection", w["e3"].pk),
    }
    assert Ticket.objects.count() == before + 2
    qw.refresh_from_db()
    assert qw.state == WarningState.CHECKING and qw.checks_created_by == w["coordinator"]
    again = warnings.create_checks(actor=w["coordinator"], warning=qw, now=MAY20)
    assert again.created == [] and Ticket.objects.count() == before + 2
    assert ProactiveCheck.objects.filter(warning=qw).count() == 2


@pytest.mark.django_db
def test_proactive_checks_are_not_counted_as_faults(w) -> None:  # type: ignore[no-untyped-def]
    from aftersales.service.models import ServiceReport
    from aftersales.service.tests import web_world

    ww.thresholds(month=2)
    ww.fault(w, at=ww.local(2026, 5, 2))
    ww.fault(w, at=ww.local(2026, 5, 3))
    [qw] = warnings.scan(now=MAY20)
    checks = warnings.create_checks(actor=w["coordinator"], warning=qw, now=MAY20)
    tk = next(c.ticket for c in checks.created if c.equipment_id == w["e2"].pk)
    report = web_world.filed_report(w, web_world.on_site(w, tk))
    ServiceReport.objects.filter(pk=report.pk).update(filed_at=ww.local(2026, 5, 21))
    found = faults.collect(dt.date(2026, 5, 1), dt.date(2026, 6, 1))
    assert len(found[(w["model"].pk, "MOD-P3", "manufacturing")]) == 2  # the check is not one


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_raise_one_warning() -> None:
    w = ww.build()
    ww.thresholds(month=2)
    ww.fault(w, at=ww.local(2026, 5, 2))
    ww.fault(w, at=ww.local(2026, 5, 3))
    first_raised = threading.Event()
    results: list[int] = []
    errors: list[BaseException] = []

    def first() -> None:
        try:
            with transaction.atomic():
                results.append(len(warnings.scan(now=MAY20)))
                first_raised.set()
                time.sleep(0.8)  # the second scan runs while this warning is uncommitted
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            first_raised.set()
            connection.close()

    def second() -> None:
        try:
            first_raised.wait(5)
            with transaction.atomic():
                results.append(len(warnings.scan(now=MAY20)))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(15)
    assert not errors
    assert sorted(results) == [0, 1]
    assert QualityWarning.objects.count() == 1


def test_windows_are_calendar_periods() -> None:
    assert rules.window("month", dt.date(2026, 12, 31)) == (
        dt.date(2026, 12, 1),
        dt.date(2027, 1, 1),
    )
    assert rules.window("quarter", dt.date(2026, 11, 5)) == (
        dt.date(2026, 10, 1),
        dt.date(2027, 1, 1),
    )
    assert rules.window("quarter", dt.date(2026, 3, 31)) == (
        dt.date(2026, 1, 1),
        dt.date(2026, 4, 1),
    )
    assert rules.window("quarter", dt.date(2026, 7, 1)) == (
        dt.date(2026, 7, 1),
        dt.date(2026, 10, 1),
    )
    assert rules.window("year", dt.date(2026, 2, 29 - 1)) == (
        dt.date(2026, 1, 1),
        dt.date(2027, 1, 1),
    )


def test_crossing_needs_every_criterion_that_is_set() -> None:
    from decimal import Decimal

    assert rules.crossed(3, 10, 3, None) and not rules.crossed(2, 10, 3, None)
    assert rules.crossed(5, 10, None, Decimal("0.5")) and not rules.crossed(
        4, 10, None, Decimal("0.5")
    )
    assert not rules.crossed(5, 10, 6, Decimal("0.5")) and rules.crossed(6, 10, 6, Decimal("0.5"))
    assert not rules.crossed(5, 0, None, Decimal("0.1"))  # no units: no rate
    assert not rules.crossed(100, 1, None, None)


@pytest.mark.django_db
def test_a_warning_drafts_one_capa(w) -> None:  # type: ignore[no-untyped-def]
    from aftersales.quality.models import CorrectiveAction

    ww.thresholds(month=2, quarter=2)
    ww.fault(w, at=ww.local(2026, 5, 2))
    ww.fault(w, at=ww.local(2026, 5, 3))
    raised = warnings.scan(now=MAY20)
    assert len(raised) == 2  # month and quarter: one CAPA each
    for qw in raised:
        [a] = CorrectiveAction.objects.filter(warning=qw)
        assert a.state == "draft" and a.source == "warning" and a.product_model == w["model"]
    warnings.scan(now=MAY20)
    assert CorrectiveAction.objects.count() == 2


@pytest.mark.django_db
def test_r_and_d_hears_of_a_warning_through_the_outbox(w) -> None:  # type: ignore[no-untyped-def]
    from aftersales import testing as t
    from aftersales.accounts.models import Department

    rd = Department.objects.get_or_create(code="RD", defaults={"name": "研发部"})[0]
    sales = Department.objects.get_or_create(code="SALES", defaults={"name": "销售部"})[0]
    engineer = t.user("agent", username="rd_engineer", department=rd)
    seller = t.user("agent", username="seller", department=sales)
    ww.thresholds(month=1)
    ww.fault(w, at=ww.local(2026, 5, 2))
    [qw] = warnings.scan(now=MAY20)
    told = Notification.objects.filter(key=f"qwarning:{qw.pk}:raised")
    assert told.filter(recipient=engineer).exists()
    assert told.filter(recipient=w["qd"]).exists()
    assert not told.filter(recipient=seller).exists()
    before = told.filter(recipient=engineer).count()
    assert warnings.scan(now=MAY20) == []  # the same window again: nobody is told twice
    assert told.filter(recipient=engineer).count() == before
