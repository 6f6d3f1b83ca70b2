"""What customers are told at each step."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from aftersales.notifications.wording import CustomerStep, customer_key, customer_message

SH = ZoneInfo("Asia/Shanghai")


def test_every_step_has_chinese_wording_with_the_ticket_number() -> None:
    for step in CustomerStep:
        subject, body = customer_message(step, ticket_no="BX20261123-0001")
        assert "BX20261123-0001" in subject and "BX20261123-0001" in body


def test_appointment_and_on_the_way_name_the_time_in_shanghai() -> None:
    at = dt.datetime(2026, 11, 23, 6, 30, tzinfo=dt.UTC)  # 14:30 in Shanghai
    _, body = customer_message("appointment", ticket_no="BX-1", at=at, technician="李工")
    assert body.startswith("工程师李工将于 11月23日 14:30 上门服务")
    _, body = customer_message(
        CustomerStep.ON_THE_WAY,
        ticket_no="BX-1",
        at=at.astimezone(SH),
        technician="李工",
        technician_phone="13800000002",
    )
    assert "工程师李工（电话 13800000002）已出发前往现场，预计 11月23日 14:30 到达" in body


def test_keys_are_one_per_ticket_and_step() -> None:
    assert customer_key(42, CustomerStep.SURVEY) == "ticket:42:customer:survey"
    with pytest.raises(ValueError):
        customer_key(42, "teleported")
