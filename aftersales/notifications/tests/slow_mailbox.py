"""The local mailbox, slowed down (test only): each message is recorded, then the delivery
waits ``SLOW_MAILBOX_SECONDS`` before it commits — a burst lasts long enough to be killed in
the middle, and most kills land after a message was handed over but before it was marked
sent."""

from __future__ import annotations

import os
import time
from collections.abc import Sequence

from django.core.mail.message import EmailMessage

from aftersales.notifications.mailbox import LocalMailboxBackend


class SlowMailboxBackend(LocalMailboxBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        count = super().send_messages(email_messages)
        time.sleep(float(os.environ.get("SLOW_MAILBOX_SECONDS", "0.2")))
        return count
