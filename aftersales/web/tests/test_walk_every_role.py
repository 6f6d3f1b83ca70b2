"""Issue 9 acceptance, in real headless Chromium on the demo data: every demo role logs in and
opens every page of its menu, on a desktop in English and on a phone in Chinese. A page fails
on any 4xx/5xx answer (the page or anything it loads), a broken image, a console error or an
uncaught script error; on the desktop in English, on Chinese outside user data (#17); on the
phone, on sideways overflow or a list page taller than PHONE_MAX_HEIGHT (#18)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command

from aftersales.demo.data import DEMO_PASSWORD
from aftersales.web.tests.untranslated import stored_runs, untranslated
from conftest import browser_login

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("browser")]

# one demo login per role (aftersales.accounts.roles), as `manage.py demo_logins` lists them
ROLE_LOGINS = (
    "agent",
    "coordinator",
    "team_leader",
    "technician1",
    "quality_director",
    "quality_centre_director",
    "warehouse",
    "finance",
    "dealer1",
    "customer1",
    "manager",
    "sales",
    "admin",
)
PHONE_WIDTH = 390
PHONE_MAX_HEIGHT = 6000  # px: a phone list page longer than ~7 screens is not usable

# what a page shows, one text per text node / attribute, without the language menu (which
# names each language in its own language: 简体中文 / English)
PAGE_TEXTS = """() => {
  const out = [];
  const skip = (el) => el.closest("script, style, template, noscript, form.lang");
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!skip(n.parentElement) && n.nodeValue.trim()) out.push(n.nodeValue);
  }
  for (const el of document.querySelectorAll("[placeholder], [title], [aria-label], img[alt]")) {
    if (skip(el)) continue;
    for (const a of ["placeholder", "title", "aria-label", "alt"]) {
      if (el.getAttribute(a)) out.push(el.getAttribute(a));
    }
  }
  out.push(document.title);
  return out;
}"""
MEASURE = """() => ({
  height: document.documentElement.scrollHeight,
  width: document.documentElement.scrollWidth,
  broken: Array.from(document.images)
    .filter((i) => i.complete && i.naturalWidth === 0)
    .map((i) => i.currentSrc || i.src),
})"""


def _watch(pg: Any, problems: list[str]) -> None:
    base = pg.base_url
    pg.on(
        "response",
        lambda r: (
            problems.append(f"HTTP {r.status} {r.url[len(base) :]}")
            if r.status >= 400 and r.url.startswith(base)
            else None
        ),
    )
    pg.on(
        "console",
        lambda m: problems.append(f"console: {m.text[:200]}") if m.type == "error" else None,
    )
    pg.on("pageerror", lambda e: problems.append(f"script error: {str(e)[:200]}"))


def test_every_role_every_menu_page_desktop_english_and_phone(open_page: Any) -> None:
    call_command("load_demo", size="small", stdout=io.StringIO())
    data = stored_runs()
    failures: list[str] = []
    opened = 0
    for username in ROLE_LOGINS:
        desktop, phone = open_page(timeout=60000), open_page(phone=True, timeout=60000)
        desktop.context.add_cookies(
            [{"name": "django_language", "value": "en", "url": desktop.base_url}]
        )
        problems: dict[str, list[str]] = {"desktop": [], "phone": []}
        for label, pg in (("desktop", desktop), ("phone", phone)):
            _watch(pg, problems[label])
            browser_login(pg, username, DEMO_PASSWORD)
        menu = [a.get_attribute("href") or "" for a in desktop.locator("nav.mainnav a").all()]
        pages = ["/", *(p for p in menu if p.startswith("/") and not p.startswith("/admin/"))]
        assert len(pages) >= 4, (username, pages)
        for path in dict.fromkeys(pages):
            for label, pg in (("desktop", desktop), ("phone", phone)):
                where = f"{username} {label} {path}"
                resp = pg.goto(pg.base_url + path)
                opened += 1
                if resp is None or resp.status != 200:
                    failures.append(f"{where}: status {resp.status if resp else None}")
                    continue
                seen = pg.evaluate(MEASURE)
                if seen["broken"]:
                    failures.append(f"{where}: broken images {seen['broken']}")
                if label == "desktop":
                    chinese = sorted(
                        {
                            run
                            for text in pg.evaluate(PAGE_TEXTS)
                            for run in untranslated(text, data)
                        }
                    )
                    if chinese:
                        failures.append(f"{where}: Chinese in English page {chinese}")
                else:
                    if seen["width"] > PHONE_WIDTH:
                        failures.append(
                            f"{where}: {seen['width']} px wide on a {PHONE_WIDTH} px phone"
                        )
                    if path != "/" and seen["height"] > PHONE_MAX_HEIGHT:
                        failures.append(f"{where}: {seen['height']} px tall (> {PHONE_MAX_HEIGHT})")
                for problem in problems[label]:
                    failures.append(f"{where}: {problem}")
                problems[label].clear()
        desktop.context.close()
        phone.context.close()
    assert opened >= 12 * 4 * 2  # every role's menu really was walked on both viewports
    assert not failures, "\n".join(failures)
