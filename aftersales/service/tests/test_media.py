"""Issue 9 #1: uploaded files are served in every mode, only to users who may see the record."""

from __future__ import annotations

import pytest
from django.test import Client

from aftersales import testing as t
from aftersales.service.tests.uploads_world import report_with_files

pytestmark = pytest.mark.django_db


def _get(user, url):  # type: ignore[no-untyped-def]
    c = Client()
    if user is not None:
        c.force_login(user)
    return c.get(url)


@pytest.fixture
def files(world, settings):  # type: ignore[no-untyped-def]
    settings.DEBUG = False
    report = report_with_files(world)
    return report, report.photos.get().image.url, report.signature.url


def test_the_customer_sees_his_reports_photo_and_signature(world, files) -> None:  # type: ignore[no-untyped-def]
    customer_user = t.user(None, org=world.customer)
    for url in files[1:]:
        resp = _get(customer_user, url)
        assert resp.status_code == 200, url
        assert resp["Content-Type"] == "image/png"
        assert resp["X-Content-Type-Options"] == "nosniff"
        assert resp["Content-Disposition"].startswith("inline")
        assert resp["Cache-Control"].startswith("private")
        assert b"".join(resp.streaming_content).startswith(b"\x89PNG")  # type: ignore[attr-defined]
    assert _get(world.tech1, files[1]).status_code == 200  # the report's technician


def test_another_organisation_and_anonymous_get_404(world, files) -> None:  # type: ignore[no-untyped-def]
    other = t.customer(world.region, None, name="别的客户")
    stranger = t.user(None, org=other)
    dealer = t.user(None, org=t.dealer(world.region))  # a dealer not serving this customer
    for user in (stranger, dealer, world.tech2, None):
        for url in files[1:]:
            assert _get(user, url).status_code == 404, (user, url)


def test_no_path_outside_the_records_is_served(world, files) -> None:  # type: ignore[no-untyped-def]
    assert _get(world.manager, "/media/../settings.py").status_code == 404
    assert _get(world.manager, "/media/report-photos/nothere.png").status_code == 404


def test_accel_redirect_leaves_the_body_to_nginx(world, files, settings) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ACCEL_REDIRECT = "/protected-media/"
    resp = _get(world.manager, files[2])
    assert resp.status_code == 200 and resp.content == b""
    assert resp["X-Accel-Redirect"] == "/protected-media/" + files[0].signature.name
    assert resp["Content-Type"] == "image/png" and resp["X-Content-Type-Options"] == "nosniff"
