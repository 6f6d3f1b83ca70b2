"""10: a year whose holidays are only rule-based (the official 国务院办公厅 notice not yet in
the library) warns the administrator on every page until he has checked and confirmed it in
the back office; the confirmation and every back-office edit of a year are audited."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from aftersales import testing as t
from aftersales.bizcalendar import services
from aftersales.bizcalendar.models import CalendarYear
from aftersales.bizcalendar.selectors import years_to_confirm
from aftersales.core.errors import PermissionDenied
from aftersales.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _unconfirmed_next_year() -> int:
    """Next year as the seeding leaves a year without an official schedule."""
    year = timezone.localdate().year + 1
    CalendarYear.objects.update_or_create(
        year=year, defaults={"official": False, "confirmed_at": None, "note": "按规则推算"}
    )
    CalendarYear.objects.update_or_create(
        year=year - 1, defaults={"official": True, "note": "含官方安排"}
    )
    return year


def _admin_client(user):  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_the_administrator_is_warned_confirms_and_the_warning_goes() -> None:
    year = _unconfirmed_next_year()
    admin = t.user("admin", is_staff=True)
    client = _admin_client(admin)
    home = client.get(reverse("web:home")).content.decode()
    assert 'data-testid="calendar-warning"' in home and f"{year}年" in home
    changelist = reverse("admin:bizcalendar_calendaryear_changelist")
    page = client.get(changelist).content.decode()
    assert f"{year}年的节假日与调休按规则推算" in page
    pk = CalendarYear.objects.get(year=year).pk
    resp = client.post(
        changelist, {"action": "confirm_selected", "_selected_action": [str(pk)]}, follow=True
    )
    assert resp.status_code == 200
    row = CalendarYear.objects.get(year=year)
    assert row.confirmed_by == admin and row.confirmed_at is not None
    event = AuditEvent.objects.get(object_id=str(pk), verb="confirm_calendar_year")
    assert event.actor == admin
    assert years_to_confirm() == []
    assert 'data-testid="calendar-warning"' not in client.get(reverse("web:home")).content.decode()


def test_people_who_do_not_keep_the_calendar_see_no_warning_and_cannot_confirm() -> None:
    year = _unconfirmed_next_year()
    agent = t.user("agent")
    home = _admin_client(agent).get(reverse("web:home")).content.decode()
    assert 'data-testid="calendar-warning"' not in home
    with pytest.raises(PermissionDenied):
        services.confirm_year(actor=agent, year=year)
    assert years_to_confirm()  # still pending: nobody confirmed it


def test_a_back_office_edit_of_a_year_is_audited_and_years_are_never_deleted() -> None:
    year = _unconfirmed_next_year()
    admin = t.user("admin", is_staff=True)
    client = _admin_client(admin)
    row = CalendarYear.objects.get(year=year)
    url = reverse("admin:bizcalendar_calendaryear_change", args=[row.pk])
    resp = client.post(url, {"year": year, "official": "on", "note": "官方通知已发布并录入"})
    assert resp.status_code == 302, resp.content.decode()[:500]
    event = AuditEvent.objects.get(object_id=str(row.pk), verb="admin_update")
    assert event.before == {"official": False, "note": "按规则推算"}
    assert event.after == {"official": True, "note": "官方通知已发布并录入"}
    delete = reverse("admin:bizcalendar_calendaryear_delete", args=[row.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert CalendarYear.objects.filter(pk=row.pk).exists()
