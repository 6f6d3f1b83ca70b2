"""The e-mail backend of an installation without an SMTP server (``make run`` until
``EMAIL_HOST`` is set): each message is kept in the local mailbox (back office → 本地邮箱)
and announced with one line on the console once it is committed — nothing leaves the machine, nothing fails.

The row is written on the default database connection, i.e. inside the delivery's
transaction: a delivery rolled back by a crash leaves no mail behind.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Sequence

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage
from django.db import transaction

from aftersales.core.said import Said
from aftersales.notifications.models import LocalMail

BACKEND = "aftersales.notifications.mailbox.LocalMailboxBackend"


def _say(line: str) -> None:
    sys.stdout.write(line)
    sys.stdout.flush()


class LocalMailboxBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        for message in email_messages:
            to = ", ".join(message.recipients())
            LocalMail.objects.create(
                message_id=str(message.extra_headers.get("Message-ID", ""))[:255],
                to=to[:1000],
                subject=str(message.subject)[:500],
                body=str(message.body),
            )
            transaction.on_commit(
                functools.partial(
                    _say,
                    Said(
                        "[本地邮箱] %(to)s：%(subject)s（未配置 SMTP，未外发）\n",
                        to=to,
                        subject=message.subject,
                    ),
                )
            )
        return len(email_messages)
