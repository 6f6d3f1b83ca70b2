"""Every message a user can be shown has its English text (issue 9 #17).

What the code says to a user — a domain error's message, a confirmation given to the message
store, a ``Said`` template, a field's or a model's name — is its own msgid (``core.said``,
``core.i18n``). A walk of the app code finds each such text and asks the catalogue for it under
``en``: a new message without English, or a translation that drops or renames a placeholder,
fails here, in every app present and future."""

from __future__ import annotations

import ast
import pickle
import re
from pathlib import Path

from django.apps import apps
from django.utils import translation

from aftersales.core.errors import NotFound, ValidationFailed
from aftersales.core.said import Said, say
from aftersales.installed_base.models import Equipment

HAN = re.compile(r"[\u3400-\u9fff]")
APP = Path(__file__).resolve().parents[2]
ERRORS = {
    "DomainError",
    "ValidationFailed",
    "NotFound",
    "PermissionDenied",
    "Conflict",
    "InvalidTransition",
    "TooManyRequests",
    "LoginThrottled",
    "LoginFailed",
}
MESSAGES = {"success", "error", "info", "warning"}
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _name(call: ast.Call) -> str:
    f = call.func
    return f.id if isinstance(f, ast.Name) else (f.attr if isinstance(f, ast.Attribute) else "")


def _said_texts() -> dict[str, str]:
    """msgid → where, for every text the code says to a user."""
    found: dict[str, str] = {}
    for path in sorted(APP.rglob("*.py")):
        rel = str(path.relative_to(APP))
        if any(part in rel for part in ("tests/", "migrations/", "demo/", "testing/")):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = _name(node)
            first = node.args[0] if name != "messages" else None
            if name in MESSAGES and isinstance(node.func, ast.Attribute):
                base = node.func.value
                if isinstance(base, ast.Name) and base.id == "messages" and len(node.args) > 1:
                    first = node.args[1]
                else:
                    continue
            elif name not in ERRORS and name != "Said":
                continue
            if (
                isinstance(first, ast.Constant)
                and isinstance(first.value, str)
                and HAN.search(first.value)
            ):
                found.setdefault(first.value, f"{rel}:{node.lineno}")
    return found


def test_every_message_in_the_code_has_english() -> None:
    texts = _said_texts()
    assert len(texts) > 900  # the walk really read every app's errors and templates
    missing, broken = [], []
    with translation.override("en"):
        for text, where in sorted(texts.items(), key=lambda t: t[1]):
            english = translation.gettext(text)
            if english == text:
                missing.append(f"{where} {text}")
            elif set(PLACEHOLDER.findall(english)) != set(PLACEHOLDER.findall(text)):
                broken.append(f"{where} {text} → {english}")
    assert not broken, "translations with other placeholders:\n" + "\n".join(broken)
    assert not missing, f"{len(missing)} messages without English:\n" + "\n".join(missing)


def test_every_field_and_model_name_has_english() -> None:
    names: set[str] = set()
    for model in apps.get_models():
        if not model.__module__.startswith("aftersales."):
            continue
        for lazy in [
            model._meta.verbose_name,
            *(getattr(f, "verbose_name", None) for f in model._meta.concrete_fields),
        ]:
            text = getattr(lazy, "_args", [lazy])[0]
            if isinstance(text, str) and HAN.search(text):
                names.add(text)
    assert len(names) > 500
    with translation.override("en"):
        missing = sorted(n for n in names if translation.gettext(n) == n)
    assert not missing, f"{len(missing)} field/model names without English: {missing}"


def test_said_is_the_chinese_text_and_says_itself_in_english() -> None:
    name = Equipment._meta.verbose_name  # a lazy name among the values is said too
    said = Said("%(verbose_name)s已归档，不能修改", verbose_name=name)
    assert said == "设备已归档，不能修改"  # callers, logs and stored texts see the Chinese
    assert pickle.loads(pickle.dumps(said)).template == said.template
    with translation.override("en"):
        assert say(said) == "Equipment is archived and cannot be changed."
        assert say("记录不存在或无权查看") == "The record does not exist or you may not see it"
        assert say("不是消息的用户文字") == "不是消息的用户文字"  # data stays as typed
    assert say(said) == said


def test_a_domain_error_speaks_the_language_it_is_raised_in() -> None:
    with translation.override("en"):
        english = NotFound()
        with_values = ValidationFailed(Said("%(verbose_name)s不存在", verbose_name="P-100"))
    assert english.as_dict()["message"] == "The record does not exist or you may not see it"
    assert with_values.message == "P-100 does not exist."
    assert NotFound().message == "记录不存在或无权查看"
