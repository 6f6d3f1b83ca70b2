"""Session and token authentication, login throttling, argon2 hashing."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client, override_settings

from aftersales import testing as t
from aftersales.accounts.models import LoginAttempt

pytestmark = pytest.mark.django_db


def test_api_requires_authentication() -> None:
    resp = Client().get("/api/v1/customers")
    assert resp.status_code == 401
    assert resp.json() == {"code": "unauthenticated", "message": "请先登录或提供有效的API令牌"}


def test_token_obtain_and_use() -> None:
    u = t.user("agent", username="zhang", password="S3cure-pass")
    c = Client()
    resp = c.post(
        "/api/v1/auth/token",
        {"username": "zhang", "password": "S3cure-pass"},
        content_type="application/json",
    )
    assert resp.status_code == 201
    key = resp.json()["token"]
    me = c.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert me.status_code == 200 and me.json()["id"] == u.id and me.json()["roles"] == ["agent"]
    assert c.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer wrong").status_code == 401


def test_wrong_password_is_refused_in_chinese() -> None:
    t.user("agent", username="li", password="S3cure-pass")
    resp = Client().post(
        "/api/v1/auth/token",
        {"username": "li", "password": "nope"},
        content_type="application/json",
    )
    assert resp.status_code == 401
    assert resp.json()["code"] == "login_failed" and resp.json()["message"] == "用户名或密码错误"


@override_settings(LOGIN_MAX_FAILURES=3)
def test_login_throttling_locks_even_the_right_password() -> None:
    t.user("agent", username="wang", password="S3cure-pass")
    c = Client()
    for _ in range(3):
        assert c.post("/login/", {"username": "wang", "password": "bad"}).status_code == 200
    resp = c.post("/login/", {"username": "wang", "password": "S3cure-pass"})
    assert "登录失败次数过多" in resp.content.decode()
    assert "_auth_user_id" not in c.session
    assert LoginAttempt.objects.filter(username="wang", success=False).count() == 4


def test_session_login_and_api_with_session() -> None:
    t.user("agent", username="zhao", password="S3cure-pass")
    c = Client()
    resp = c.post("/login/", {"username": "zhao", "password": "S3cure-pass"})
    assert resp.status_code == 302
    assert c.get("/api/v1/me").status_code == 200
    assert "客户" in c.get("/").content.decode()


def test_login_page_is_chinese() -> None:
    body = Client().get("/login/").content.decode()
    assert "售后服务管理系统" in body and "用户名" in body and "密码" in body


def test_passwords_are_hashed_with_argon2_outside_tests() -> None:
    assert settings.PRODUCTION_PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    with override_settings(PASSWORD_HASHERS=settings.PRODUCTION_PASSWORD_HASHERS):
        u = t.user("agent", password="S3cure-pass")
        assert u.password.startswith("argon2$")
        assert u.check_password("S3cure-pass")
