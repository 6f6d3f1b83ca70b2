"""The customer's silence becomes deemed acceptance exactly once, with the job run twice by
two real worker processes at the same time."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from aftersales.core.models import AuditEvent
from aftersales.returns.models import ReturnRequest
from aftersales.returns.tasks import deem_silence
from aftersales.returns.tests.helpers import to_record_sent
from aftersales.testing import run_workers

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_workers_deem_a_silent_customer_once(w) -> None:  # type: ignore[no-untyped-def]
    sent = timezone.now() - dt.timedelta(days=2, minutes=5)
    ret = to_record_sent(w, sent=sent)
    waiting = to_record_sent(w, sent=timezone.now() - dt.timedelta(days=1))
    deem_silence.defer(timestamp=1)
    deem_silence.defer(timestamp=2)
    run_workers(2, queues="returns")
    ret.refresh_from_db()
    assert ret.state == "accepted" and ret.customer_response == "deemed"
    assert AuditEvent.objects.filter(object_id=str(ret.pk), verb="deem").count() == 1
    assert ReturnRequest.objects.get(pk=waiting.pk).state == "record_sent"
    # and once more, later: nothing new
    deem_silence.defer(timestamp=3)
    run_workers(1, queues="returns")
    assert AuditEvent.objects.filter(object_id=str(ret.pk), verb="deem").count() == 1
