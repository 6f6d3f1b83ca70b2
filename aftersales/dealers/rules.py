"""Pure rules of the dealer domain: no ORM, no clock (the caller passes ``today``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum


class CardState(StrEnum):
    WAITING = "waiting"  # not received yet, still within the deadline
    IN_TIME = "in_time"  # received within the deadline: the sale's warranty is recognised
    LATE = "late"  # received after the deadline, or not received by it: not recognised


CARD_STATE_LABELS = {
    CardState.WAITING: "待收卡",
    CardState.IN_TIME: "已认定",
    CardState.LATE: "不予认定",
}


@dataclass(frozen=True)
class CardRecognition:
    state: CardState
    deadline: dt.date
    reason: str

    @property
    def label(self) -> str:
        return CARD_STATE_LABELS[self.state]


def card_recognition(
    *, sale_date: dt.date, received: dt.date | None, deadline_days: int, today: dt.date
) -> CardRecognition:
    """Day ``deadline_days`` after the sale is still in time, the day after is late (SPEC §3.2:
    a dealer's card reaching the company more than 20 days after the sale is not recognised)."""
    deadline = sale_date + dt.timedelta(days=deadline_days)
    if received is None:
        if today > deadline:
            return CardRecognition(
                CardState.LATE,
                deadline,
                f"销售日期 {sale_date}，公司至 {deadline}（{deadline_days} 天内）未收到三包回执卡："
                "公司不予认定三包",
            )
        return CardRecognition(
            CardState.WAITING,
            deadline,
            f"待公司收卡，须于 {deadline} 前（销售后 {deadline_days} 天内）寄达",
        )
    days = (received - sale_date).days
    if days > deadline_days:
        return CardRecognition(
            CardState.LATE,
            deadline,
            f"三包回执卡于 {received} 收到，距销售日期 {sale_date} 已 {days} 天，"
            f"超过 {deadline_days} 天：公司不予认定三包",
        )
    return CardRecognition(
        CardState.IN_TIME,
        deadline,
        f"三包回执卡于 {received} 收到，距销售日期 {sale_date} {days} 天，在 {deadline_days} 天内",
    )
