"""Issue 9 #17 beyond the menus: every role opens, in English, the record pages and the forms
its menu pages link to (a ticket, a work order, a parts request, a complaint, a plan…, and each
list's 「new」 form) — the pages where computed texts, states, histories and messages live. A
page fails on an error status or on Chinese outside user data. Django's test client on the
demo data (the menu pages themselves are walked in Chromium by test_walk_every_role)."""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser

import pytest
from django.core.management import call_command
from django.test import Client

from aftersales.accounts.models import User
from aftersales.web.tests.test_walk_every_role import ROLE_LOGINS
from aftersales.web.tests.untranslated import stored_runs, untranslated

pytestmark = pytest.mark.django_db

RECORD = re.compile(r"^/[a-z-]+/(?:[a-z-]+/)*(\d+|new)/$")
PER_LIST = 2  # records opened per list page
SKIP = re.compile(r"^/(admin|api|media|static|logout|i18n)/|/(pdf|export|download)")


class _Texts(HTMLParser):
    """The texts a reader sees: text nodes and a few attributes, without scripts, the
    language menu (each language names itself) or the CSRF/hidden inputs."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self.links: list[str] = []
        self._skip = 0
        self._stack: list[bool] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        skip = tag in ("script", "style", "template", "noscript") or (
            tag == "form" and "lang" in (a.get("class") or "").split()
        )
        if tag not in ("input", "img", "br", "meta", "link", "hr", "source"):
            self._stack.append(skip)
            self._skip += skip
        if self._skip or skip:
            return
        for name in ("placeholder", "title", "aria-label", "alt"):
            if a.get(name):
                self.texts.append(a[name] or "")
        if tag == "a" and a.get("href"):
            self.links.append((a["href"] or "").split("?")[0].split("#")[0])

    def handle_endtag(self, tag: str) -> None:
        if tag not in ("input", "img", "br", "meta", "link", "hr", "source") and self._stack:
            self._skip -= self._stack.pop()

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.texts.append(data)


def _read(html: str) -> _Texts:
    parser = _Texts()
    parser.feed(html)
    return parser


def test_every_role_record_pages_and_forms_in_english() -> None:
    call_command("load_demo", size="small", stdout=io.StringIO())
    data = stored_runs()
    failures: dict[str, set[str]] = {}
    opened = 0
    for username in ROLE_LOGINS:
        client = Client()
        client.force_login(User.objects.get(username=username))
        client.cookies["django_language"] = "en"
        home = _read(client.get("/").content.decode())
        menu = [h for h in dict.fromkeys(home.links) if h.startswith("/") and not SKIP.search(h)]
        seen: set[str] = set()
        for path in menu:
            resp = client.get(path)
            if resp.status_code != 200 or "text/html" not in resp.get("Content-Type", ""):
                continue
            records = [
                h
                for h in dict.fromkeys(_read(resp.content.decode()).links)
                if RECORD.match(h) and not SKIP.search(h) and h not in seen
            ]
            for record in records[:PER_LIST] + [h for h in records if h.endswith("/new/")][:1]:
                seen.add(record)
                page = client.get(record)
                opened += 1
                where = f"{username} {record}"
                if page.status_code != 200:
                    failures.setdefault(f"status {page.status_code}", set()).add(where)
                    continue
                if "text/html" not in page.get("Content-Type", ""):
                    continue
                for text in _read(page.content.decode()).texts:
                    for run in untranslated(text, data):
                        failures.setdefault(run, set()).add(where)
    assert opened > 60, opened  # the crawl really reached the record pages
    report = [f"{run}: {sorted(where)[:3]}" for run, where in sorted(failures.items())]
    assert not failures, f"{len(failures)} Chinese texts on English record pages:\n" + "\n".join(
        report
    )
