"""A message in the user's language (issue 9 #17).

Services write their messages in Chinese. A message with values is a ``Said``: a ``str`` (the
Chinese text, so every caller, log and test sees the text it always saw) that also remembers
its template and values. ``say()`` gives any message in the active language: a ``Said`` by
translating its template and filling in the values, a plain message by its own msgid. The
catalogue is ``locale/en/LC_MESSAGES/django.po``; a message without an entry stays Chinese.

Where it is applied, once each: a ``DomainError`` says its message when raised (services run
in the requester's language), the message store says every message it is given, and every
computed text a template shows is said as it is rendered (``install_template_saying``; the
``|say`` filter does the same inside an expression).
"""

from __future__ import annotations

import re
from typing import Any

from django.utils.functional import Promise
from django.utils.safestring import SafeData
from django.utils.translation import gettext


class Said(str):
    """``Said("库存不足：%(part)s", part=code)`` — the Chinese text, with its template kept."""

    template: str
    params: dict[str, Any]

    def __new__(cls, template: str, **params: Any) -> Said:
        self = super().__new__(cls, template % params if params else template)
        self.template = template
        self.params = params
        return self

    def __reduce__(self) -> Any:  # pickles as the class it is
        return (_rebuild, (self.template, self.params))


def _rebuild(template: str, params: dict[str, Any]) -> Said:
    return Said(template, **params)


def stored(text: Any) -> dict[str, Any]:
    """A text to keep in a JSON column (a warranty decision's reasons): the Chinese ``text``
    and, for a ``Said``, its template and values, so a page can say it later in its reader's
    language (``say`` of the row)."""
    row: dict[str, Any] = {"text": str(text)}
    if isinstance(text, Said):
        row["said"] = _kept(text)
    return row


def _kept(said: Said) -> dict[str, Any]:
    def value(v: Any) -> Any:
        if isinstance(v, Said):
            return _kept(v)
        return v if isinstance(v, (int, float)) else str(v)

    return {"t": said.template, "p": {k: value(v) for k, v in said.params.items()}}


def _rebuilt(kept: dict[str, Any]) -> Said:
    params = {
        k: _rebuilt(v) if isinstance(v, dict) and isinstance(v.get("t"), str) else v
        for k, v in dict(kept.get("p") or {}).items()
    }
    return Said(kept["t"], **params)


def say(message: Any) -> Any:
    """``message`` in the active language (anything else is given back unchanged); a row kept
    by ``stored`` is said from its template."""
    if isinstance(message, dict) and "text" in message:
        kept = message.get("said")
        if isinstance(kept, dict) and isinstance(kept.get("t"), str):
            return say(_rebuilt(kept))
        return say(message["text"])
    if isinstance(message, Said):
        # the values are said too: a Said, a lazy name, a fixed text such as a state's label;
        # a user's text comes back as typed (it is no msgid)
        params = {
            k: say(v) if isinstance(v, (str, Promise)) else v for k, v in message.params.items()
        }
        translated = gettext(message.template)
        try:
            return translated % params if params else translated
        except (KeyError, ValueError, TypeError):  # a translation with a wrong placeholder
            return str(message)
    if isinstance(message, Promise):
        return str(message)
    if isinstance(message, str) and message:
        return gettext(message)
    return message


_HAN = re.compile(r"[\u3400-\u9fff]")


def install_template_saying() -> None:
    """Every computed text a template shows (``{{ reason }}``, ``{{ step.label }}``) is said in
    the reader's language: the variable node's last step, ``render_value_in_context``, says a
    plain (not already safe) string holding Chinese before escaping it. A user's text has no
    msgid and comes back as typed; a text marked safe (rendered HTML) is left alone."""
    from django.template import base, defaulttags
    from django.templatetags import i18n

    original = base.render_value_in_context
    if getattr(original, "says", False):
        return

    def render_value_in_context(value: Any, context: Any) -> Any:
        kind = type(value)  # not isinstance: a lazy object (the CSRF token) passes for a str
        if issubclass(kind, str) and not issubclass(kind, SafeData) and _HAN.search(value):
            value = say(value)
        return original(value, context)

    render_value_in_context.says = True  # type: ignore[attr-defined]
    for module in (base, defaulttags, i18n):  # each imported the function by name
        module.render_value_in_context = render_value_in_context  # type: ignore[attr-defined]
