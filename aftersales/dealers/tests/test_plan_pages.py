"""The stocking-plan and rating pages under ``en`` show no Chinese outside user data (what the
every-role walk checks in Chromium, here per page and fast); the dealer's form posts."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone

from aftersales.dealers.models import StockingPlan, StockingPlanLine
from aftersales.dealers.services import stocking
from aftersales.web.tests.untranslated import stored_runs, untranslated

pytestmark = pytest.mark.django_db


def web(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    return c


def english(c: Client, path: str) -> list[str]:
    c.cookies["django_language"] = "en"
    resp = c.get(path)
    assert resp.status_code == 200, path
    html = re.sub(r"<(script|style)\b.*?</\1>", "", resp.content.decode(), flags=re.S)
    html = re.sub(r'<form [^>]*class="lang".*?</form>', "", html, flags=re.S)
    return untranslated(html, stored_runs())


def open_season(w):  # type: ignore[no-untyped-def]
    start = timezone.localdate() + dt.timedelta(days=60)
    return stocking.open_season(
        actor=w.coordinator,
        code="S1",
        name="春耕旺季",
        starts_on=start,
        ends_on=start + dt.timedelta(days=30),
    )


def test_dealer_fills_and_submits_on_the_page(w) -> None:  # type: ignore[no-untyped-def]
    s = open_season(w)
    plan = StockingPlan.objects.get(season=s, dealer=w.dealer_a)
    c = web(w.dealer_user_a)
    bad = {"kind": ["part", "part"], "code": ["PSU-5V", "DOOR-01"], "quantity": ["3", "1,000"]}
    c.post(f"/dealers/stocking/{plan.pk}/lines/", {**bad, "action": "submit"})
    assert not StockingPlanLine.objects.exists()
    plan.refresh_from_db()
    assert plan.state == "draft"
    good = {"kind": ["part", "product", "part"], "code": ["PSU-5V", w.model.code, ""]}
    good["quantity"] = ["3", "1", ""]
    resp = c.post(f"/dealers/stocking/{plan.pk}/lines/", {**good, "action": "submit"})
    assert resp.status_code == 302
    plan.refresh_from_db()
    assert plan.state == "submitted" and plan.lines.count() == 2
    coord = web(w.coordinator)
    coord.post(f"/dealers/stocking/{plan.pk}/review/", {"decision": "approve"})
    plan.refresh_from_db()
    assert plan.state == "approved"


def test_plan_pages_are_english(w) -> None:  # type: ignore[no-untyped-def]
    s = open_season(w)
    mine = StockingPlan.objects.get(season=s, dealer=w.dealer_a)
    stocking.save_lines(
        actor=w.dealer_user_a, plan_id=mine.pk, lines=[stocking.LineIn("part", "PSU-5V", "2")]
    )
    other = StockingPlan.objects.get(season=s, dealer=w.dealer_b)
    stocking.save_lines(
        actor=w.dealer_user_b, plan_id=other.pk, lines=[stocking.LineIn("part", "PSU-5V", "2")]
    )
    stocking.submit(actor=w.dealer_user_b, plan_id=other.pk)
    for user, paths in (
        (w.dealer_user_a, ["/dealers/stocking/", f"/dealers/stocking/{mine.pk}/"]),
        (w.coordinator, ["/dealers/stocking/", f"/dealers/stocking/{other.pk}/"]),
        (w.manager, ["/dealers/stocking/?late=1", f"/dealers/stocking/{mine.pk}/"]),
    ):
        c = web(user)
        for path in paths:
            assert english(c, path) == [], (user.username, path)


def test_rating_pages_are_english(w) -> None:  # type: ignore[no-untyped-def]
    from aftersales.dealers.models import DealerRating
    from aftersales.dealers.services import rating
    from aftersales.dealers.tests.test_rating import Q2, quarter

    quarter(w)
    boss = web(w.manager)
    assert english(boss, "/dealers/ratings/?start=2026-04-01") == []  # the trial, freezable
    rating.freeze_period(actor=w.manager, period_start=Q2)
    own = DealerRating.objects.get(dealer=w.dealer_a)
    for user, paths in (
        (w.manager, ["/dealers/ratings/", f"/dealers/ratings/{own.pk}/"]),
        (w.dealer_user_a, ["/dealers/ratings/", f"/dealers/ratings/{own.pk}/"]),
    ):
        c = web(user)
        for path in paths:
            assert english(c, path) == [], (user.username, path)
