"""Finding 8#16: logout only by POST, archive bodies must be JSON objects, and bidi control
characters are refused in identifiers and names (one validator, in the models' field checks)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from aftersales import testing as t
from aftersales.accounts.services import issue_token
from aftersales.core.models import AuditEvent
from aftersales.customers.models import Customer

pytestmark = pytest.mark.django_db


def bearer(user: Any) -> dict[str, str]:
    _, key = issue_token(user=user)
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_logout_is_post_only() -> None:
    user = t.user("agent", username="zhou")
    c = Client()
    c.force_login(user)
    assert c.get("/logout/").status_code == 405
    assert "_auth_user_id" in c.session  # a link or an <img src> cannot log anyone out
    assert c.post("/logout/").status_code == 302
    assert "_auth_user_id" not in c.session


@pytest.mark.parametrize("body", ["[]", '"x"', "5", "null", "[{}]"])
def test_archive_refuses_a_body_that_is_not_an_object(body: str) -> None:
    reg = t.region()
    cust = t.customer(reg)
    auth = bearer(t.user("coordinator"))
    resp = Client().post(
        f"/api/v1/customers/{cust.pk}/archive", body, content_type="application/json", **auth
    )
    assert resp.status_code == 422, resp.content
    assert resp.json()["code"]
    cust.refresh_from_db()
    assert cust.archived_at is None


def test_archive_with_an_object_still_works() -> None:
    cust = t.customer(t.region())
    auth = bearer(t.user("coordinator"))
    resp = Client().post(
        f"/api/v1/customers/{cust.pk}/archive",
        json.dumps({"reason": "重复客户"}),
        content_type="application/json",
        **auth,
    )
    assert resp.status_code == 200, resp.content
    cust.refresh_from_db()
    assert cust.archived_at is not None


@pytest.mark.parametrize("char", ["\u202e", "\u202a", "\u2066", "\u2069", "\u200e", "\u200f"])
def test_bidi_controls_are_refused_in_names_and_codes(char: str) -> None:
    reg = t.region()
    auth = bearer(t.user("coordinator"))
    c = Client()
    before = AuditEvent.objects.count()
    for field, value in (("name", f"客户{char}gpj.exe"), ("code", f"C{char}01")):
        data = {"code": "C-BIDI", "name": "正常客户", "region_id": reg.pk, field: value}
        resp = c.post("/api/v1/customers", data, content_type="application/json", **auth)
        assert resp.status_code == 422, resp.content
        body = resp.json()
        assert body["code"] and "文字方向控制字符" in body["message"], body
    assert not Customer.objects.filter(code="C-BIDI").exists()
    cust = t.customer(reg, name="原名")
    resp = c.patch(
        f"/api/v1/customers/{cust.pk}",
        {"name": f"改名{char}"},
        content_type="application/json",
        **auth,
    )
    assert resp.status_code == 422
    cust.refresh_from_db()
    assert cust.name == "原名" and AuditEvent.objects.count() == before


def test_bidi_controls_are_refused_in_user_names() -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="文字方向控制字符"):
        t.user("agent", username="evil", display_name="张\u202e三")
    ok = t.user("agent", display_name="张三")  # ordinary names are fine
    assert ok.display_name == "张三"
