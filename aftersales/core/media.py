"""Uploaded files, served in every mode through the record they belong to (issue 9 #1).

``/media/<path>`` finds the record whose file field holds ``path`` and answers only if the
requesting user may see that record (the apps' selectors); anyone else gets 404, as for a
missing file. The type comes from the stored name, which ``core.uploads`` generated from the
verified real type. With ``MEDIA_ACCEL_REDIRECT`` set (e.g. ``/protected-media/``) the body
is left to the front web server (``X-Accel-Redirect``, see docs/media.md).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Model, Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.views.decorators.http import require_GET

from aftersales.core import uploads
from aftersales.core.visibility import visible

Source = tuple[type[Model], str, Callable[[Any], QuerySet[Any]]]


def _sources() -> list[Source]:
    """Every model that stores an upload, with what a user may see of it."""
    from aftersales.charges.models import ExpenseClaim, ExpenseLine
    from aftersales.core.models import CompanySettings
    from aftersales.customers.models import SiteDocument
    from aftersales.imports.models import ImportJob
    from aftersales.imports.selectors import jobs_for
    from aftersales.knowledge.models import Attachment
    from aftersales.knowledge.selectors import CaseFilters, article_list, case_list
    from aftersales.service.models import ReportPhoto, ServiceReport

    def photos(user: Any) -> QuerySet[Any]:
        return ReportPhoto.objects.filter(report__in=visible(ServiceReport, user))

    def attachments(user: Any) -> QuerySet[Any]:
        return Attachment.objects.filter(
            Q(case__in=case_list(user, CaseFilters())) | Q(article__in=article_list(user))
        )

    def company(user: Any) -> QuerySet[Any]:
        return CompanySettings.objects.all()  # the letterhead logo: any signed-in user

    return [
        (CompanySettings, "logo", company),
        (ServiceReport, "signature", lambda user: visible(ServiceReport, user)),
        (ReportPhoto, "image", photos),
        (SiteDocument, "file", lambda user: visible(SiteDocument, user)),
        (Attachment, "file", attachments),
        (ImportJob, "file", jobs_for),
        (
            ExpenseLine,
            "receipt_image",
            lambda user: ExpenseLine.objects.filter(claim__in=visible(ExpenseClaim, user)),
        ),
    ]


def may_see(user: Any, name: str) -> bool:
    if not name or user is None or not user.is_authenticated:
        return False
    return any(rows(user).filter(**{field: name}).exists() for _model, field, rows in _sources())


def _headers(resp: HttpResponseBase, real: uploads.RealType, name: str) -> HttpResponseBase:
    resp["Content-Type"] = real.content_type
    resp["X-Content-Type-Options"] = "nosniff"
    disposition = "inline" if real.image else "attachment"
    resp["Content-Disposition"] = f'{disposition}; filename="{Path(name).name}"'
    resp["Cache-Control"] = "private, max-age=3600"
    return resp


@require_GET
def serve(request: HttpRequest, path: str) -> HttpResponseBase:
    real = uploads.type_of(path)
    if real is None or ".." in Path(path).parts or not may_see(request.user, path):
        raise Http404("文件不存在或无权查看")
    prefix = getattr(settings, "MEDIA_ACCEL_REDIRECT", "")
    if prefix:
        resp = HttpResponse()
        resp["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + path
        return _headers(resp, real, path)
    file = Path(settings.MEDIA_ROOT) / path
    if not file.is_file():
        raise Http404("文件不存在或无权查看")
    return _headers(FileResponse(file.open("rb")), real, path)
