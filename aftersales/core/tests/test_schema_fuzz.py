"""Keep 8#8/8#9 found: schemathesis over the whole OpenAPI, in process (WSGI), on the real
PostgreSQL test database, as an administrator and as a dealer: no server error, no answer that
breaks the documented schema or status codes.

Bounded for ``make test`` (a few examples per operation, derandomized, no shrinking);
``make fuzz`` runs the same suite with ``FUZZ_EXAMPLES`` many more examples."""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from schemathesis.config import SchemathesisConfig

from aftersales import testing as t
from aftersales.accounts.services import issue_token

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "2"))
# the coverage phase sends every boundary case the schema defines (dozens per operation): too
# slow for ``make test``, part of the release run
COVERAGE = os.environ.get("FUZZ_COVERAGE", "") == "1"

# Schema-valid data can still break a business rule (an id that does not exist, a transition
# the record's state does not allow): the documented answer is 400/409/422 with a code.
CONFIG = SchemathesisConfig.from_dict(
    {
        "phases": {"coverage": {"enabled": COVERAGE}},
        "checks": {
            "positive_data_acceptance": {
                "expected-statuses": ["2xx", "400", "401", "403", "404", "409", "422", "429"]
            }
        },
    }
)
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application(), config=CONFIG)

FUZZ = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
    database=None,
)


def _bearer(user) -> dict[str, str]:  # type: ignore[no-untyped-def]
    _, key = issue_token(user=user)
    return {"Authorization": f"Bearer {key}"}


@pytest.fixture
def world(db):  # type: ignore[no-untyped-def]
    # the WSGI handler closes the connection after each request (Django's test Client does not):
    # keep the test's transaction open across the fuzzer's requests
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    reg = t.region()
    d = t.dealer(reg)
    c = t.customer(reg, d)
    s = t.site(c)
    t.equipment(s)
    yield {
        "admin": _bearer(t.user("admin", is_superuser=True, is_staff=True)),
        "dealer": _bearer(t.user("dealer", org=d)),
    }
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@FUZZ
def test_api_as_admin(case, world) -> None:  # type: ignore[no-untyped-def]
    case.call_and_validate(headers=world["admin"])


@schema.parametrize()
@FUZZ
def test_api_as_dealer(case, world) -> None:  # type: ignore[no-untyped-def]
    case.call_and_validate(headers=world["dealer"])
