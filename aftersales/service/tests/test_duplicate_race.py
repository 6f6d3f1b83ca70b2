"""Issue 8 #5: the duplicate guard holds under real concurrency. N clients, each in its own
thread with its own database connection, register a fault on the same equipment at once —
through the API, the agent's web form and the public QR page: exactly one ticket, every
other client gets the duplicate refusal."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from aftersales.accounts.services import issue_token
from aftersales.service.models import Ticket
from aftersales.service.tests import web_world as w

pytestmark = pytest.mark.django_db(transaction=True)

N = 8


@pytest.fixture
def world() -> dict[str, Any]:
    return w.build()


def _at_once(send: Callable[[], Any]) -> list[Any]:
    """``send`` from N threads released together; each thread's own connection is closed."""
    barrier = threading.Barrier(N)
    answers: list[Any] = []
    lock = threading.Lock()

    def run() -> None:
        try:
            barrier.wait(30)
            resp = send()
            with lock:
                answers.append(resp)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(N)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(120)
    assert len(answers) == N
    return answers


def test_concurrent_api_registrations_give_one_ticket(world: dict[str, Any]) -> None:
    _, key = issue_token(user=world["agent"])
    payload = {
        "description": "整屏不亮",
        "contact_name": "王经理",
        "contact_phone": "13700137000",
        "channel": "phone",
        "equipment_id": world["e1"].pk,
        "allow_duplicate": False,
    }

    def send() -> Any:
        return Client().post(
            "/api/v1/tickets",
            payload,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {key}",
        )

    answers = _at_once(send)
    codes = sorted(r.status_code for r in answers)
    assert codes == [201] + [409] * (N - 1), codes
    assert {r.json()["code"] for r in answers if r.status_code == 409} == {"duplicate_ticket"}
    assert Ticket.objects.filter(equipment=world["e1"]).count() == 1


def test_concurrent_web_form_registrations_give_one_ticket(world: dict[str, Any]) -> None:
    form = {
        "channel": "phone",
        "type": "repair",
        "severity": "normal",
        "equipment_id": world["e1"].pk,
        "site_id": world["s1"].pk,
        "customer_id": world["c1"].pk,
        "description": "整屏不亮",
        "contact_name": "王经理",
        "contact_phone": "13700137000",
    }
    agent = world["agent"]

    def send() -> Any:
        client = Client()
        client.force_login(agent)
        return client.post("/service/tickets/new/", form)

    answers = _at_once(send)
    codes = sorted(r.status_code for r in answers)
    assert codes == [302] + [409] * (N - 1), codes
    assert all(
        "该设备已有未关闭的报修单" in r.content.decode() for r in answers if r.status_code == 409
    )
    assert Ticket.objects.filter(equipment=world["e1"]).count() == 1


def test_concurrent_qr_reports_give_one_ticket(world: dict[str, Any]) -> None:
    url = f"/q/{world['e1'].qr_token}/"
    form = {"contact_name": "王经理", "phone": w.CUSTOMER_PHONE, "description": "屏幕不亮"}
    answers = _at_once(lambda: Client().post(url, form))
    codes = sorted(r.status_code for r in answers)
    assert codes == [200] + [409] * (N - 1), codes
    assert Ticket.objects.filter(equipment=world["e1"]).count() == 1
