"""Account services: throttled login, API tokens, user creation with roles."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import connection, transaction
from django.utils import timezone

from aftersales.accounts.models import ApiToken, LoginAttempt, LoginThrottle, User
from aftersales.accounts.roles import group_for
from aftersales.core import audit
from aftersales.core.errors import DomainError
from aftersales.core.said import Said


class LoginThrottled(DomainError):
    status = 429
    code = "login_throttled"


class LoginFailed(DomainError):
    status = 401
    code = "login_failed"


# One statement per try, so concurrent tries are counted exactly: the row of (user name,
# client address) is created or bumped under its row lock, and only while no delay is running.
# A try that finds a delay running is refused without checking the password (and not counted).
# Every counted try starts as a failure; a successful login deletes the row.
_CLAIM = """
INSERT INTO accounts_loginthrottle AS t (username, ip, failures, last_at, blocked_until)
VALUES (%(name)s, %(ip)s, 1, %(now)s,
        CASE WHEN 1 >= %(free)s THEN %(now)s + make_interval(secs => %(base)s) END)
ON CONFLICT (username, ip) DO UPDATE SET
    failures = CASE WHEN t.last_at < %(stale)s THEN 1 ELSE t.failures + 1 END,
    last_at = %(now)s,
    blocked_until = CASE
        WHEN (CASE WHEN t.last_at < %(stale)s THEN 1 ELSE t.failures + 1 END) >= %(free)s
        THEN %(now)s + make_interval(secs => LEAST(%(cap)s, %(base)s * power(2,
            (CASE WHEN t.last_at < %(stale)s THEN 1 ELSE t.failures + 1 END) - %(free)s)))
    END
WHERE t.blocked_until IS NULL OR t.blocked_until <= %(now)s
RETURNING t.failures
"""


def _claim_try(username: str, ip: str, now: dt.datetime) -> bool:
    """Count one try of ``username`` from ``ip``; False when a delay is still running."""
    params: dict[str, Any] = {
        "name": username,
        "ip": ip,
        "now": now,
        "stale": now - dt.timedelta(minutes=settings.LOGIN_LOCK_MINUTES),
        "free": settings.LOGIN_MAX_FAILURES,
        "base": settings.LOGIN_DELAY_SECONDS,
        "cap": settings.LOGIN_LOCK_MINUTES * 60,
    }
    with connection.cursor() as cursor:
        cursor.execute(_CLAIM, params)
        return cursor.fetchone() is not None


def _wait_message(username: str, ip: str, now: dt.datetime) -> str:
    until = (
        LoginThrottle.objects.filter(username=username, ip=ip)
        .values_list("blocked_until", flat=True)
        .first()
    )
    seconds = max(1, math.ceil((until - now).total_seconds())) if until else 1
    wait = (
        Said("%(seconds)s秒", seconds=seconds)
        if seconds < 120
        else Said("%(ceil)s分钟", ceil=math.ceil(seconds / 60))
    )
    return Said("登录失败次数过多，请%(wait)s后再试", wait=wait)


def login_check(
    *,
    username: str,
    password: str,
    ip: str | None,
    channel: str,
    request: Any = None,
    now: dt.datetime | None = None,
) -> User:
    """Authenticate with throttling per user name and client address: after
    ``LOGIN_MAX_FAILURES`` failures each further try from that address waits a doubling delay
    (``LOGIN_DELAY_SECONDS`` up to ``LOGIN_LOCK_MINUTES``), even with the right password; tries
    from other addresses are not affected. Every try is recorded."""
    now = now or timezone.now()
    username = (username or "").strip()[:150]
    address = (ip or "")[:45]
    if not _claim_try(username, address, now):
        LoginAttempt.objects.create(
            username=username, ip=ip, success=False, throttled=True, channel=channel, at=now
        )
        raise LoginThrottled(_wait_message(username, address, now))
    user = authenticate(request, username=username, password=password)
    ok = user is not None and isinstance(user, User)
    LoginAttempt.objects.create(username=username, ip=ip, success=ok, channel=channel, at=now)
    if not ok:
        raise LoginFailed("用户名或密码错误")
    LoginThrottle.objects.filter(username=username, ip=address).delete()
    assert isinstance(user, User)
    return user


@transaction.atomic
def issue_token(*, user: User, name: str = "api") -> tuple[ApiToken, str]:
    """Create a token; the clear key is returned once and never stored."""
    key = ApiToken.new_key()
    token = ApiToken.objects.create(
        user=user,
        name=name,
        key_hash=ApiToken.hash_key(key),
        prefix=key[3:11],
        expires_at=timezone.now() + dt.timedelta(days=settings.API_TOKEN_TTL_DAYS),
    )
    audit.record(
        user, actor=user, action="action", verb="issue_token", payload={"token": token.prefix}
    )
    return token, key


def user_for_token(key: str) -> User | None:
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=ApiToken.hash_key(key), revoked_at__isnull=True)
        .first()
    )
    if token is None or (token.expires_at and token.expires_at < now) or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


@transaction.atomic
def revoke_token(*, user: User, key: str) -> None:
    ApiToken.objects.filter(user=user, key_hash=ApiToken.hash_key(key)).update(
        revoked_at=timezone.now()
    )


@transaction.atomic
def create_user(
    *,
    actor: Any,
    username: str,
    password: str,
    roles: list[str],
    display_name: str = "",
    **fields: Any,
) -> User:
    user = User(username=username, display_name=display_name, **fields)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    for code in roles:
        user.groups.add(group_for(code))
    audit.record(
        user,
        actor=actor,
        action="create",
        after={"username": username, "roles": roles, "org_kind": user.org_kind},
    )
    return user
