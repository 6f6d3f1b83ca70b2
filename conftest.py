"""Test setup shared by every app: real PostgreSQL (scripts/with_db.py), real services."""

from __future__ import annotations

import os

import pytest
from hypothesis import settings as hypothesis_settings

os.environ.setdefault("FAST_PASSWORD_HASHER", "1")

# Property tests check rules, not speed: on a shared 2-core CI machine one example can take
# 0.4 s, which hypothesis's default 200 ms deadline reports as a (flaky) failure.
hypothesis_settings.register_profile("aftersales", deadline=None)
hypothesis_settings.load_profile("aftersales")


@pytest.fixture
def api_client(client):  # type: ignore[no-untyped-def]
    return client


@pytest.fixture(autouse=True)
def _fresh_process_caches():  # type: ignore[no-untyped-def]
    """In-process caches (calendar, SLA policies, permissions) must not outlive a test's rows."""
    from aftersales.accounts import backends
    from aftersales.core import cache

    for drop in (
        backends.invalidate,
        cache.clear_all,
    ):
        drop()
    yield


@pytest.fixture(autouse=True)
def _chinese_by_default():  # type: ignore[no-untyped-def]
    """Every test starts in the product's language: a request of an English client activates
    English for its thread (LocaleMiddleware), and messages are said when raised, so without
    this a later test in the same worker would read English refusals."""
    from django.conf import settings as conf
    from django.utils import translation

    translation.activate(conf.LANGUAGE_CODE)
    yield
    translation.activate(conf.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    # argon2 is slow on purpose; tests that check it override this explicitly
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def browser():  # type: ignore[no-untyped-def]
    """Real headless Chromium (Debian's), driven by Playwright."""
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs a loop
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def open_page(browser, live_server):  # type: ignore[no-untyped-def]
    """A factory of fresh browser pages (own context each: cookies apart), desktop or
    phone-sized; every context is closed when the test ends, so no page keeps polling
    the live server after its data is gone."""
    made = []

    def make(phone: bool = False, timeout: int = 15000):  # type: ignore[no-untyped-def]
        opts: dict = {"locale": "zh-CN", "timezone_id": "Asia/Shanghai"}
        if phone:
            opts.update(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
        ctx = browser.new_context(**opts)
        made.append(ctx)
        pg = ctx.new_page()
        pg.set_default_timeout(timeout)
        pg.base_url = live_server.url
        return pg

    yield make
    for ctx in made:
        ctx.close()


@pytest.fixture
def page(open_page):  # type: ignore[no-untyped-def]
    return open_page()


@pytest.fixture
def phone_page(open_page):  # type: ignore[no-untyped-def]
    return open_page(phone=True)


def browser_login(pg, username: str, password: str = "Passw0rd!x") -> None:  # type: ignore[no-untyped-def]
    pg.goto(pg.base_url + "/login/")
    pg.fill("input[name=username]", username)
    pg.fill("input[name=password]", password)
    pg.click("button[type=submit]")
    pg.wait_for_url(lambda url: "/login/" not in url)
