"""Every text input carries a length that fits its column (issue 8 §9, issue 9 §2): each
string in every API request body documents a ``maxLength``; each input schema's limit is
at most its model column's; each Django form's text field has a ``max_length`` within its
column."""

from __future__ import annotations

import contextlib
from typing import Any

import pytest
from django import forms
from django.test import Client

from aftersales.core import limits
from aftersales.core.schemas import In, InFilter, column_of, declared_max_length


def _subclasses(cls: type) -> list[type]:
    out = []
    for sub in cls.__subclasses__():
        out += [sub, *_subclasses(sub)]
    return out


def _strings(schema: dict[str, Any], components: dict[str, Any], path: str, seen: set[str]):  # type: ignore[no-untyped-def]
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        if name in seen:
            return
        seen.add(name)
        yield from _strings(components[name], components, name, seen)
        return
    for key in ("anyOf", "oneOf", "allOf"):
        subs = schema.get(key, [])
        decimal = any(sub.get("type") in ("number", "integer") for sub in subs)
        for sub in subs:
            if decimal and sub.get("type") == "string":
                continue  # a decimal also accepted as text: its digits are the limit
            yield from _strings(sub, components, path, seen)
    if (
        schema.get("type") == "string"
        and schema.get("format")
        not in (
            "date",
            "date-time",
            "time",
            "binary",
            "uuid",
        )
        and "enum" not in schema
        and "pattern" not in schema  # a decimal written as text
    ):
        yield path, schema
    for name, prop in schema.get("properties", {}).items():
        yield from _strings(prop, components, f"{path}.{name}", seen)
    if "items" in schema:
        yield from _strings(schema["items"], components, f"{path}[]", seen)


@pytest.mark.django_db
def test_every_request_body_string_documents_a_max_length() -> None:
    doc = Client().get("/api/openapi.json").json()
    components = doc["components"]["schemas"]
    missing = []
    for url, operations in doc["paths"].items():
        for method, op in operations.items():
            body = op.get("requestBody", {}).get("content", {})
            for media in body.values():
                for where, schema in _strings(media["schema"], components, "body", set()):
                    if "maxLength" not in schema:
                        missing.append(f"{method.upper()} {url} {where}")
    assert not missing, "\n".join(missing)


def test_input_schema_limits_fit_their_columns() -> None:
    import aftersales.api  # noqa: F401  (every router's schemas)

    classes = _subclasses(In) + _subclasses(InFilter)
    assert len(classes) > 50
    too_long, unbounded = [], []
    for cls in classes:
        model = getattr(cls, "columns_of", None)
        for name, field in cls.model_fields.items():
            if field.annotation not in (str, str | None):
                continue
            declared = declared_max_length(field.metadata)
            if declared is None:
                unbounded.append(f"{cls.__module__}.{cls.__name__}.{name}")
                continue
            column = column_of(model, field.alias or name)
            if column is not None and declared > column:
                too_long.append(f"{cls.__name__}.{name}: {declared} > {column}")
    assert not unbounded, unbounded
    assert not too_long, too_long


def test_the_input_schemas_name_their_columns() -> None:
    """The CRUD and document inputs say which model they write, so their limits are the
    columns' (a rename or a new column is followed automatically)."""
    from aftersales.customers.api import CustomerIn
    from aftersales.customers.models import Customer
    from aftersales.service.api_schemas import TicketIn

    assert CustomerIn.columns_of is Customer
    address = TicketIn.model_fields["address"]
    assert declared_max_length(address.metadata) == Customer._meta.get_field("address").max_length
    notes = CustomerIn.model_fields["notes"]
    assert declared_max_length(notes.metadata) == limits.FREE_TEXT_MAX


def test_every_django_form_text_field_fits_its_column() -> None:
    import django.apps

    for config in django.apps.apps.get_app_configs():
        if config.name.startswith("aftersales."):
            for module in ("forms", "admin", "views"):
                with contextlib.suppress(ImportError):
                    __import__(f"{config.name}.{module}")
    problems = []
    for cls in _subclasses(forms.BaseForm):
        if not cls.__module__.startswith("aftersales."):
            continue
        model = getattr(getattr(cls, "_meta", None), "model", None)
        try:
            fields = cls.base_fields
        except AttributeError:
            continue
        for name, field in fields.items():
            if not isinstance(field, forms.CharField) or isinstance(field, forms.ChoiceField):
                continue
            column = limits.column_limit(model, name) if model else None
            if field.max_length is None and column is None:
                problems.append(f"{cls.__name__}.{name}: no max_length")
            elif column is not None and (field.max_length or 10**9) > column:
                problems.append(f"{cls.__name__}.{name}: {field.max_length} > {column}")
    assert not problems, problems
