"""10 / ADR 0008: the parts analysis chooses from the one list of causes
(``warranty.rules.CauseClass``), and the one set ``QUALITY_CAUSES`` makes a cause free —
a warranty cause such as 安装 is free here too, 电源电压不稳 is charged."""

from __future__ import annotations

from decimal import Decimal

import pytest

from aftersales.core.errors import ValidationFailed
from aftersales.parts.services import requests
from aftersales.parts.tests.helpers import file_request

pytestmark = pytest.mark.django_db


def test_the_analysis_reads_the_one_list(w) -> None:  # type: ignore[no-untyped-def]
    free = requests.analyse(actor=w.agent, request=file_request(w), cause="installation")
    assert (free.charge_type, free.amount, free.get_cause_display()) == ("free", None, "安装")
    charged = requests.analyse(
        actor=w.agent, request=file_request(w), cause="unstable_voltage", amount="80.00"
    )
    assert (charged.charge_type, charged.amount) == ("charged", Decimal("80.00"))
    with pytest.raises(ValidationFailed, match="补件原因分析结论"):
        requests.analyse(actor=w.agent, request=file_request(w), cause="bad_luck")
