"""The documents' steps are registered from one table (``api.STEPS``); each keeps its typed
body in OpenAPI (a $ref to its own input schema, required), its operation id and summary —
a fold that hid the payload behind ``dict``/``Any`` would fail here."""

from __future__ import annotations

from django.test import Client

from aftersales.quality import api


def test_every_step_keeps_its_typed_body_operation_id_and_summary(db) -> None:  # type: ignore[no-untyped-def]
    doc = Client().get("/api/openapi.json").json()
    paths = {p.removeprefix("/api/v1"): v for p, v in doc["paths"].items()}
    seen = set()
    for base, _load, _answer, response, steps in api.STEPS:
        for tail, body, name, summary, _call in steps:
            path = f"{base}/{tail}".replace("{int:pk}", "{pk}")
            op = paths[path]["post"]
            assert op["operationId"] == f"aftersales_quality_api_{name}"
            assert op["summary"] == summary
            ok = op["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
            assert ok.endswith(f"/{response.__name__}")
            if body is None:
                assert "requestBody" not in op
            else:
                content = op["requestBody"]["content"]["application/json"]["schema"]
                assert content["$ref"].endswith(f"/{body.__name__}"), (path, content)
                assert op["requestBody"]["required"] is True
                props = doc["components"]["schemas"][body.__name__]["properties"]
                assert props, body  # the schema's fields are published
            seen.add(op["operationId"])
    assert len(seen) == sum(len(s[4]) for s in api.STEPS) == 19
