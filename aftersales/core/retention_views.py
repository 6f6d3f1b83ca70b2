"""The administrator's export of records past retention (``core.retention``)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone

from aftersales.accounts.roles import role_codes_of
from aftersales.core import retention
from aftersales.core.exports import xlsx
from aftersales.core.said import Said


@login_required
def retention_export(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not (getattr(user, "is_superuser", False) or "admin" in role_codes_of(user)):
        raise Http404("无权访问此页面")
    today = timezone.localdate()
    return xlsx(
        Said("保存期满记录-%(today)s.xlsx", today=format(today, "%Y%m%d")),
        "保存期满记录",
        retention.HEADER,
        retention.rows(),
    )
