"""A message in the user's language (issue 9 #17).

Services write their messages in Chinese. A message with values is a ``Said``: a ``str`` (the
Chinese text, so every caller, log and test sees the text it always saw) that also remembers
its template and values. ``say()`` gives any message in the active language: a ``Said`` by
translating its template and filling in the values, a plain message by its own msgid. The
catalogue is ``locale/en/LC_MESSAGES/django.po``; a message without an entry stays Chinese.

Where it is applied, once each: a ``DomainError`` says its message when raised (services run
in the requester's language), the message store says every message it is given, and
templates show computed texts through the ``|say`` filter.
"""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise
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


def say(message: Any) -> Any:
    """``message`` in the active language (anything else is given back unchanged)."""
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
