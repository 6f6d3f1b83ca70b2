"""The complaint pages: an agent registers through the form (and sees the Chinese error of
bad input, nothing written), a dealer gets 404 for another dealer's complaint, a customer's
page shows the customer-facing progress and never the internal investigation."""

from __future__ import annotations

import pytest
from django.test import Client

from aftersales.quality.models import Complaint
from aftersales.quality.tests.helpers import investigate, register

pytestmark = pytest.mark.django_db

SECRET = "内部原因：供应商来料不良"


def client(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    return c


def test_the_agent_registers_a_complaint_through_the_form(w) -> None:  # type: ignore[no-untyped-def]
    c = client(w.agent)
    assert c.get("/quality/complaints/new/").status_code == 200
    form = {
        "channel": "phone",
        "category": "quality_defect",
        "customer_id": w.cust_a.id,
        "description": "模组色差",
        "quantity": "2",
        "defective_quantity": "5",
    }
    resp = c.post("/quality/complaints/new/", form, follow=True)
    assert "不良数量（5）不能大于数量（2）" in resp.content.decode()
    assert Complaint.objects.count() == 0
    form["defective_quantity"] = "1"
    resp = c.post("/quality/complaints/new/", form, follow=True)
    made = Complaint.objects.get()
    assert resp.redirect_chain[-1][0] == f"/quality/complaints/{made.pk}/"
    page = resp.content.decode()
    assert made.number in page and "投诉已登记" in page and 'data-step="reply"' in page
    listing = c.get("/quality/complaints/").content.decode()
    assert made.number in listing
    export = c.get("/quality/complaints/export.xlsx")
    assert export.status_code == 200 and export.content[:2] == b"PK"


def test_a_dealer_gets_404_for_another_dealers_complaint(w) -> None:  # type: ignore[no-untyped-def]
    theirs = register(w, actor=w.dealer_user_b, customer_id=w.cust_b.id)
    mine = register(w, actor=w.dealer_user_a, customer_id=w.cust_a.id)
    c = client(w.dealer_user_a)
    assert c.get(f"/quality/complaints/{theirs.pk}/").status_code == 404
    assert (
        c.post(f"/quality/complaints/{theirs.pk}/act/cancel/", {"reason": "x"}).status_code == 404
    )
    assert c.get(f"/quality/complaints/{mine.pk}/").status_code == 200
    listing = c.get("/quality/complaints/").content.decode()
    assert mine.number in listing and theirs.number not in listing


def test_the_customer_page_never_shows_the_internal_investigation(w) -> None:  # type: ignore[no-untyped-def]
    made = register(w, staff_member_id=w.engineer.id, person_issue="late_personal")
    investigate(w, made, "minor", cause=SECRET, person_accountable=False)
    staff_page = client(w.coordinator).get(f"/quality/complaints/{made.pk}/").content.decode()
    assert SECRET in staff_page and "王工" in staff_page
    page = client(w.customer_user_a).get(f"/quality/complaints/{made.pk}/").content.decode()
    assert made.number in page and "已完成调查" in page
    for secret in (SECRET, "王工", "SMT-2", "B2026-11", "工艺技术部", "品质办主任"):
        assert secret not in page
    assert 'data-testid="internal"' not in page and 'data-testid="investigate-form"' not in page
