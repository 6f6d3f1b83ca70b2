"""Finding 8#6: the login throttle counts concurrent tries exactly, keys on user name *and*
client address (a third party cannot lock the owner out), and delays progressively."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.utils import timezone

from aftersales import testing as t
from aftersales.accounts import services
from aftersales.accounts.models import LoginAttempt, LoginThrottle

TOKEN = "/api/v1/auth/token"


def _try(username: str, password: str, ip: str) -> int:
    resp = Client(REMOTE_ADDR=ip).post(
        TOKEN, {"username": username, "password": password}, content_type="application/json"
    )
    return resp.status_code


@pytest.mark.django_db(transaction=True)
@override_settings(LOGIN_MAX_FAILURES=5)
def test_forty_concurrent_wrong_passwords_are_counted_exactly() -> None:
    t.user("admin", username="root", password="S3cure-pass")
    start = threading.Barrier(40)
    codes: list[int] = []

    def attack() -> None:
        try:
            start.wait()
            codes.append(_try("root", "guess", "10.0.0.66"))
        finally:
            connection.close()  # each thread had its own connection

    threads = [threading.Thread(target=attack) for _ in range(40)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert sorted(codes) == [401] * 5 + [429] * 35
    checked = LoginAttempt.objects.filter(username="root", throttled=False)
    assert checked.count() == 5 and not checked.filter(success=True).exists()
    assert LoginAttempt.objects.filter(username="root", throttled=True).count() == 35
    assert LoginThrottle.objects.get(username="root", ip="10.0.0.66").failures == 5


@pytest.mark.django_db
@override_settings(LOGIN_MAX_FAILURES=3)
def test_a_third_party_elsewhere_cannot_lock_the_owner_out() -> None:
    t.user("admin", username="root", password="S3cure-pass")
    for _ in range(20):
        assert _try("root", "guess", "203.0.113.9") in (401, 429)
    assert _try("root", "S3cure-pass", "203.0.113.9") == 429  # the attacker is slowed …
    assert _try("root", "S3cure-pass", "10.1.2.3") == 201  # … the owner is not
    web = Client(REMOTE_ADDR="10.1.2.3")
    assert web.post("/login/", {"username": "root", "password": "S3cure-pass"}).status_code == 302


@pytest.mark.django_db
@override_settings(LOGIN_MAX_FAILURES=2, LOGIN_DELAY_SECONDS=30, LOGIN_LOCK_MINUTES=15)
def test_the_delay_doubles_up_to_the_cap_and_success_clears_it() -> None:
    t.user("agent", username="wang", password="S3cure-pass")
    now = timezone.now()
    delays = []
    for _ in range(8):
        with pytest.raises(services.LoginFailed):
            services.login_check(
                username="wang", password="bad", ip="10.0.0.5", channel="api", now=now
            )
        row = LoginThrottle.objects.get(username="wang", ip="10.0.0.5")
        if row.blocked_until:
            delays.append(int((row.blocked_until - now).total_seconds()))
            with pytest.raises(services.LoginThrottled) as refused:
                services.login_check(
                    username="wang", password="S3cure-pass", ip="10.0.0.5", channel="api", now=now
                )
            assert "后再试" in refused.value.message
            now = row.blocked_until
    assert delays == [30, 60, 120, 240, 480, 900, 900]
    user = services.login_check(
        username="wang", password="S3cure-pass", ip="10.0.0.5", channel="api", now=now
    )
    assert user.username == "wang"
    assert not LoginThrottle.objects.filter(username="wang").exists()


@pytest.mark.django_db
@override_settings(LOGIN_MAX_FAILURES=2, LOGIN_LOCK_MINUTES=15)
def test_old_failures_are_forgotten_after_the_window() -> None:
    t.user("agent", username="li", password="S3cure-pass")
    then = timezone.now() - dt.timedelta(hours=1)
    with pytest.raises(services.LoginFailed):
        services.login_check(username="li", password="bad", ip="10.0.0.7", channel="web", now=then)
    with pytest.raises(services.LoginFailed):
        services.login_check(username="li", password="bad", ip="10.0.0.7", channel="web")
    row: Any = LoginThrottle.objects.get(username="li")
    assert row.failures == 1 and row.blocked_until is None
