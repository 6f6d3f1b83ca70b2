"""Issue 9 #6: the public QR page's dead ends. The configured service hotline as a ``tel:``
link wherever 「请拨打服务热线」 is said; an open ticket shown by its customer-facing progress,
with 「这是新故障」 (a reason required, recorded on the new ticket); a signed tracking link
for the anonymous reporter; Chinese 404/403/500 pages in the product's layout."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.test import Client, override_settings
from django.urls import path

from aftersales.core.models import CompanySettings
from aftersales.service.models import Callback, Ticket
from aftersales.service.services import callbacks, dispatch, lifecycle, qr
from aftersales.service.tests import web_world as w
from aftersales.urls import urlpatterns as product_urls

pytestmark = pytest.mark.django_db

HOTLINE = "400-820-1234"


@pytest.fixture
def world() -> dict[str, Any]:
    world = w.build()
    CompanySettings.objects.create(hotline=HOTLINE)
    return world


def html(resp: Any) -> str:
    return resp.content.decode()


def _report(world: dict[str, Any], **extra: str) -> Any:
    form = {"contact_name": "王经理", "phone": w.CUSTOMER_PHONE, "description": "屏幕不亮"}
    return Client().post(f"/q/{world['e1'].qr_token}/", {**form, **extra})


def test_the_configured_hotline_is_a_tel_link_wherever_it_is_mentioned(
    world: dict[str, Any],
) -> None:
    url = f"/q/{world['e1'].qr_token}/"
    page = html(Client().get(url))
    assert f'href="tel:4008201234" data-testid="hotline">{HOTLINE}</a>' in page
    refused = Client().post(
        url, {"contact_name": "路人", "phone": "13911112222", "description": "坏了"}
    )
    assert refused.status_code == 403
    assert f"请拨打服务热线（{HOTLINE}）报修" in html(refused)
    # an administrator's edit changes every page at once
    row = CompanySettings.objects.get()
    row.hotline = "021-5000 8888"
    row.save()
    assert 'href="tel:02150008888"' in html(Client().get(url))
    # the survey answered by phone says "call the hotline": with the number
    t = w.ticket(world)
    wo = w.on_site(world, t)
    dispatch.start_work(actor=world["tech"], ticket=t)
    w.filed_report(world, wo)
    lifecycle.resolve(actor=world["tech"], ticket=t)
    cb = Callback.objects.get(ticket=t)
    callbacks.record_result(
        actor=world["agent"], callback=cb, attitude=5, quality=5, solved=True, score=5
    )
    survey = html(Client().get(f"/s/{cb.survey_token}/"))
    assert "请拨打服务热线" in survey and 'href="tel:02150008888"' in survey


def test_without_a_configured_hotline_no_empty_link_is_shown(world: dict[str, Any]) -> None:
    CompanySettings.objects.all().update(archived_at="2026-01-01T00:00+08:00")
    from aftersales.core import cache

    cache.clear_all()
    page = html(Client().get(f"/q/{world['e1'].qr_token}/"))
    assert "tel:" not in page and "请拨打服务热线报修" in page


def test_an_open_ticket_is_shown_by_its_progress_without_internal_data(
    world: dict[str, Any],
) -> None:
    first = w.ticket(world, description="内部描述：左下角黑屏")
    page = html(Client().get(f"/q/{world['e1'].qr_token}/"))
    assert 'data-testid="progress"' in page and first.number in page
    assert first.get_state_display() in page
    # no contact, description, owner or anything internal
    for secret in ("王经理", "13700137000", "内部描述", "客服小李"):
        assert secret not in page
    assert "这是新故障" in page and 'name="different_fault_reason"' in page


def test_a_different_fault_needs_a_reason_and_records_it(world: dict[str, Any]) -> None:
    first = w.ticket(world)
    # a plain report is not refused into a dead end: the progress is shown (409)
    plain = _report(world)
    assert plain.status_code == 409 and 'data-testid="progress"' in html(plain)
    # ticking "different fault" without a reason, or faking the agent's flag, creates nothing
    assert _report(world, different_fault="1").status_code == 422
    assert _report(world, different_fault="1", different_fault_reason="   ").status_code == 422
    assert _report(world, allow_duplicate="1").status_code == 409
    assert "请说明这是什么新故障" in html(_report(world, different_fault="1"))
    assert Ticket.objects.count() == 1
    done = _report(world, different_fault="1", different_fault_reason="右侧音箱没有声音")
    assert done.status_code == 200
    new = Ticket.objects.latest("id")
    assert new.pk != first.pk and new.duplicate_of == first
    assert new.different_fault_reason == "右侧音箱没有声音"
    agent = Client()
    agent.force_login(world["coordinator"])
    shown = html(agent.get(f"/service/tickets/{new.pk}/"))
    assert 'data-testid="different-fault-reason">右侧音箱没有声音<' in shown


def test_a_different_fault_through_the_public_api_needs_a_reason(world: dict[str, Any]) -> None:
    w.ticket(world)
    url = f"/api/v1/public/qr/{world['e1'].qr_token}/tickets"
    body = {"phone": w.CUSTOMER_PHONE, "contact_name": "王经理", "description": "没声音"}
    c = Client()
    refused = c.post(url, {**body, "different_fault": True}, content_type="application/json")
    assert refused.status_code == 422
    assert refused.json()["code"] == "different_fault_reason_required"
    ok = c.post(
        url,
        {**body, "different_fault": True, "different_fault_reason": "音箱无声"},
        content_type="application/json",
    )
    assert ok.status_code == 201
    assert Ticket.objects.get(pk=ok.json()["id"]).different_fault_reason == "音箱无声"


def test_the_reporter_gets_a_signed_tracking_link(world: dict[str, Any]) -> None:
    done = _report(world)
    ticket = Ticket.objects.get()
    page = html(done)
    token = qr.tracking_token(ticket)
    assert f"http://testserver/t/{token}/" in page and 'data-testid="track-link"' in page
    track = Client().get(f"/t/{token}/")
    assert track.status_code == 200
    body = html(track)
    assert ticket.number in body and ticket.get_state_display() in body
    assert "LED2025001" in body and HOTLINE in body
    for secret in ("王经理", w.CUSTOMER_PHONE, "屏幕不亮"):
        assert secret not in body
    # a guessed or altered token is a Chinese 404 in the product's layout
    for bad in (f"{token[:-1]}x", str(ticket.pk), "MQ:1abc:def"):
        resp = Client().get(f"/t/{bad}/")
        assert resp.status_code == 404
        assert "页面不存在" in html(resp) and 'data-testid="error-page"' in html(resp)
        assert ticket.number not in html(resp)


def _forbidden(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied("no")


def _boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("boom")


def _missing(request: HttpRequest) -> HttpResponse:
    raise Http404("No Ticket matches the given query.")


urlpatterns = [
    path("test-errors/403/", _forbidden),
    path("test-errors/500/", _boom),
    path("test-errors/404/", _missing),
    *product_urls,
]


@override_settings(DEBUG=False, ROOT_URLCONF=__name__)
def test_error_pages_are_chinese_in_the_product_layout(world: dict[str, Any]) -> None:
    client = Client(raise_request_exception=False)
    cases = {
        "/q/no-such-label/": (404, "页面不存在"),
        "/no/such/page/": (404, "页面不存在"),
        "/test-errors/404/": (404, "页面不存在"),
        "/test-errors/403/": (403, "无权访问"),
        "/test-errors/500/": (500, "系统出错了"),
    }
    for url, (status, heading) in cases.items():
        resp = client.get(url)
        page = html(resp)
        assert resp.status_code == status, url
        assert heading in page and f'data-status="{status}"' in page, url
        assert "售后服务管理系统" in page and "/static/css/app.css" in page, url  # the layout
        for english in ("Not Found", "Server Error", "Forbidden", "No Ticket matches"):
            assert english not in page, (url, english)
    assert 'href="tel:4008201234"' in html(client.get("/no/such/page/"))
    csrf = Client(enforce_csrf_checks=True).post(f"/q/{world['e1'].qr_token}/", {})
    assert csrf.status_code == 403 and "页面已过期" in html(csrf)
