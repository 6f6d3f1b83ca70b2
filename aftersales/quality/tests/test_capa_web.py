"""The CAPA pages: the quality director opens one by hand, the coordinator plans it, the
owner submits it, the owner's verification is refused with its Chinese reason, another
person's closes it; a technician who is not the owner gets 404."""

from __future__ import annotations

import pytest
from django.test import Client

from aftersales import testing as t
from aftersales.approvals.testing import day
from aftersales.quality.models import CorrectiveAction

pytestmark = pytest.mark.django_db


def client(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    return c


def test_a_capa_through_the_pages(w) -> None:  # type: ignore[no-untyped-def]
    qd = client(w.qd)
    assert qd.get("/quality/capa/").status_code == 200
    qd.post("/quality/capa/new/", {"title": "重复维修：P3电源", "source": "repeat_repair"})
    a = CorrectiveAction.objects.get()
    assert a.source == "repeat_repair" and a.state == "draft"
    deadline = day(30).date().isoformat()
    client(w.coordinator).post(
        f"/quality/capa/{a.pk}/act/plan/",
        {
            "cause": "电源散热不足",
            "measures": "加装散热片",
            "owner_department_id": w.tech.id,
            "owner_id": w.tech_rep.id,
            "deadline": deadline,
        },
    )
    a.refresh_from_db()
    assert a.state == "open" and a.owner == w.tech_rep
    owner = client(w.tech_rep)
    page = owner.get(f"/quality/capa/{a.pk}/").content.decode()
    assert 'data-testid="submit-form"' in page
    owner.post(f"/quality/capa/{a.pk}/act/submit/", {"done_note": "已加装"})
    a.refresh_from_db()
    assert a.state == "verifying"
    w.tech_rep.groups.add(*w.qd.groups.all())
    resp = owner.post(f"/quality/capa/{a.pk}/act/verify_ok/", {"note": "有效"}, follow=True)
    assert "效果验证须由责任人和提交人以外的人员进行" in resp.content.decode()
    a.refresh_from_db()
    assert a.state == "verifying"
    resp = qd.post(f"/quality/capa/{a.pk}/act/verify_ok/", {"note": "一个月未复发"}, follow=True)
    a.refresh_from_db()
    assert a.state == "closed" and 'data-testid="verification"' in resp.content.decode()
    tech = t.user("technician", username="tech_x")
    assert client(tech).get(f"/quality/capa/{a.pk}/").status_code == 404
    assert client(w.dealer_user_a).get(f"/quality/capa/{a.pk}/").status_code == 404
