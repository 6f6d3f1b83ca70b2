"""Finding 8#14: every OpenAPI component name belongs to exactly one schema class.

django-ninja names a component after its class and silently keeps the last of two classes of
the same name, so ``/api/v1/parts/requests`` was documented with the approvals' ``RequestOut``.
This test collects every schema class the operations use (inputs, responses and the classes
nested in their fields) and fails on any name shared by two classes."""

from __future__ import annotations

import typing
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel


def _models(annotation: Any, seen: set[type]) -> Iterator[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation in seen:
            return
        seen.add(annotation)
        yield annotation
        for field in annotation.model_fields.values():
            yield from _models(field.annotation, seen)
        return
    for arg in typing.get_args(annotation):
        yield from _models(arg, seen)


def schema_classes() -> list[type[BaseModel]]:
    from aftersales.api import api

    seen: set[type] = set()
    found: list[type[BaseModel]] = []
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for op in path_view.operations:
                for model in [*op.models, *op.response_models.values()]:
                    found.extend(_models(model, seen))
    return found


def test_component_names_are_unique() -> None:
    from aftersales.api import api

    components = set(api.get_openapi_schema()["components"]["schemas"])
    by_name: dict[str, set[str]] = defaultdict(set)
    for cls in schema_classes():
        by_name[cls.__name__].add(f"{cls.__module__}.{cls.__qualname__}")
    shared = {name: sorted(owners) for name, owners in by_name.items() if len(owners) > 1}
    assert shared == {}, f"OpenAPI component names used by more than one class: {shared}"
    documented = {name for name in by_name if name in components}
    assert {"PartsRequestOut", "ApprovalRequestOut", "PartsLineOut", "ReturnLineOut"} <= documented


def test_parts_requests_are_documented_with_the_parts_schema() -> None:
    from aftersales.api import api

    schema = api.get_openapi_schema()
    ok = schema["paths"]["/api/v1/parts/requests"]["get"]["responses"][200]
    page = ok["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    item = schema["components"]["schemas"][page]["properties"]["items"]["items"]["$ref"]
    assert item.rsplit("/", 1)[1] == "PartsRequestOut"
    props = schema["components"]["schemas"]["PartsRequestOut"]["properties"]
    assert "charge_type" in props or "reason" in props
