"""Every create / update / archive of a business record leaves an audit row with before/after;
nothing business-relevant is hard-deleted."""

from __future__ import annotations

import pytest
from django.db.models import ProtectedError
from django.test import Client

from aftersales import testing as t
from aftersales.accounts.services import issue_token
from aftersales.core.audit import history
from aftersales.core.models import AuditEvent
from aftersales.customers.models import Customer

pytestmark = pytest.mark.django_db


def test_create_update_archive_are_audited_through_the_api() -> None:
    reg = t.region()
    agent = t.user("coordinator")
    _, key = issue_token(user=agent)
    h = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    c = Client()
    created = c.post(
        "/api/v1/customers",
        {"code": "A-1", "name": "上海华建", "region_id": reg.id, "tier": "normal"},
        content_type="application/json",
        **h,
    )
    assert created.status_code == 201, created.content
    cid = created.json()["id"]
    assert created.json()["name_initials"] == "shhj"
    upd = c.patch(
        f"/api/v1/customers/{cid}",
        {"tier": "key", "phone": "021-1234"},
        content_type="application/json",
        **h,
    )
    assert upd.status_code == 200 and upd.json()["tier"] == "key"
    arc = c.post(
        f"/api/v1/customers/{cid}/archive",
        {"reason": "客户注销"},
        content_type="application/json",
        **h,
    )
    assert arc.status_code == 200 and arc.json()["archived_at"]

    customer = Customer.objects.get(pk=cid)
    events = list(history(customer).order_by("at", "id"))
    assert [e.action for e in events] == ["create", "update", "archive"]
    create, update, archive = events
    assert create.actor == agent and create.after["name"] == "上海华建" and create.before is None
    assert update.before == {"tier": "normal", "phone": ""}
    assert update.after == {"tier": "key", "phone": "021-1234"}
    assert archive.reason == "客户注销" and archive.before == {"archived_at": None}

    # archived records leave the default list but are still there
    listed = c.get("/api/v1/customers", **h).json()["items"]
    assert cid not in [r["id"] for r in listed]
    with_archived = c.get("/api/v1/customers?include_archived=true", **h).json()["items"]
    assert cid in [r["id"] for r in with_archived]
    # and their history is served
    hist = c.get(f"/api/v1/customers/{cid}/history", **h).json()
    assert [e["action"] for e in hist] == ["archive", "update", "create"]


def test_archived_record_cannot_be_changed() -> None:
    reg = t.region()
    coord = t.user("coordinator")
    _, key = issue_token(user=coord)
    h = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    cust = t.customer(reg)
    c = Client()
    c.post(f"/api/v1/customers/{cust.id}/archive", {}, content_type="application/json", **h)
    resp = c.patch(
        f"/api/v1/customers/{cust.id}", {"phone": "1"}, content_type="application/json", **h
    )
    assert resp.status_code == 409 and "已归档" in resp.json()["message"]


def test_business_records_cannot_be_hard_deleted() -> None:
    cust = t.customer(t.region())
    with pytest.raises(ProtectedError):
        cust.delete()
    assert Customer.objects.filter(pk=cust.pk).exists()


def test_business_records_cannot_be_deleted_in_bulk() -> None:
    """QuerySet.delete() on a business model (through its manager, a filter or a related
    manager) is refused like Model.delete(), and deletes nothing."""
    cust = t.customer(t.region())
    site = t.site(cust)
    for qs in (
        Customer.objects.filter(pk=cust.pk),
        Customer.objects.all(),
        cust.sites.all(),
        Customer.objects.active(),
    ):
        with pytest.raises(ProtectedError) as err:
            qs.delete()
        assert "业务记录不可删除，请归档" in str(err.value)
    assert Customer.objects.filter(pk=cust.pk).exists()
    assert type(site).objects.filter(pk=site.pk).exists()
    # the manager itself offers no bulk delete
    assert not hasattr(Customer.objects, "delete")


def test_no_permission_means_nothing_written() -> None:
    reg = t.region()
    tech = t.user("technician")
    _, key = issue_token(user=tech)
    before = AuditEvent.objects.count()
    resp = Client().post(
        "/api/v1/customers",
        {"code": "B-1", "name": "x", "region_id": reg.id},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert resp.status_code == 403
    assert resp.json() == {"code": "permission_denied", "message": "无权新建客户"}
    assert not Customer.objects.filter(code="B-1").exists()
    assert AuditEvent.objects.count() == before


def test_bad_input_gets_chinese_error_and_changes_nothing() -> None:
    reg = t.region()
    _, key = issue_token(user=t.user("coordinator"))
    h = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    c = Client()
    missing = c.post(
        "/api/v1/customers",
        {"code": "C-1", "region_id": reg.id},
        content_type="application/json",
        **h,
    )
    assert missing.status_code == 422
    assert (
        missing.json()["code"] == "validation_failed" and "name: 必填" in missing.json()["message"]
    )
    t.customer(reg, code="DUP")
    dup = c.post(
        "/api/v1/customers",
        {"code": "DUP", "name": "重复", "region_id": reg.id},
        content_type="application/json",
        **h,
    )
    assert dup.status_code == 422 and dup.json()["field"] == "code"
    assert Customer.objects.filter(code="DUP").count() == 1
