"""Account services: throttled login, API tokens, user creation with roles."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.utils import timezone

from aftersales.accounts.models import ApiToken, LoginAttempt, User
from aftersales.accounts.roles import group_for
from aftersales.core import audit
from aftersales.core.errors import DomainError


class LoginThrottled(DomainError):
    status = 429
    code = "login_throttled"


class LoginFailed(DomainError):
    status = 401
    code = "login_failed"


def _recent_failures(username: str, ip: str | None, now: dt.datetime) -> int:
    since = now - dt.timedelta(minutes=settings.LOGIN_LOCK_MINUTES)
    by_name = LoginAttempt.objects.filter(username=username, success=False, at__gte=since)
    return by_name.count()


def login_check(
    *, username: str, password: str, ip: str | None, channel: str, request: Any = None
) -> User:
    """Authenticate with throttling: after N failures in the window the account is locked for
    that window, even with the right password. Every try is recorded."""
    now = timezone.now()
    username = (username or "").strip()
    if _recent_failures(username, ip, now) >= settings.LOGIN_MAX_FAILURES:
        LoginAttempt.objects.create(username=username, ip=ip, success=False, channel=channel)
        raise LoginThrottled(f"登录失败次数过多，请{settings.LOGIN_LOCK_MINUTES}分钟后再试")
    user = authenticate(request, username=username, password=password)
    LoginAttempt.objects.create(username=username, ip=ip, success=user is not None, channel=channel)
    if user is None or not isinstance(user, User):
        raise LoginFailed("用户名或密码错误")
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
