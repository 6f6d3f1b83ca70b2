"""The monthly pack (月度报表包): every panel of the month as a Chinese PDF (tables and SVG
charts, WeasyPrint through ``service.views.pdf.html_pdf``) and an Excel workbook, stored once
per month and e-mailed to the configured recipients through the outbox.

One pack per month, however many workers run the job at once: the row is unique per month and
taken ``FOR UPDATE``; a run finding it generated does nothing (unless regenerating on demand,
which replaces the files of the same row)."""

from __future__ import annotations

import datetime as dt
import time
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from aftersales.core import audit
from aftersales.reports.filters import ReportFilters, month_bounds
from aftersales.reports.models import MonthlyPack
from aftersales.reports.selectors import run_all

__all__ = ["ReportFilters", "generate", "pack_html", "previous_month", "recipients", "run_all"]
from aftersales.reports.services import summary, svg, workbook

RECIPIENT_ROLES = ("manager", "quality_centre_director")


def previous_month(today: dt.date) -> dt.date:
    return (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def pack_html(results: list[Any], f: ReportFilters) -> str:
    from aftersales.core.company import company

    return render_to_string(
        "reports/pack_pdf.html",
        {
            "f": f,
            "company": company(),
            "sections": [
                {
                    "r": r,
                    "svg": svg.render(r.chart),
                    "rows": [[workbook.display(v) for v in row] for row in r.table.rows],
                }
                for r in results
            ],
            "generated_at": timezone.localtime(),
        },
    )


def recipients() -> list[Any]:
    from aftersales.approvals.documents import users_with_roles
    from aftersales.notifications.services import Recipient
    from aftersales.reports.models import PackRecipient

    people: list[Any] = [u for u in users_with_roles(RECIPIENT_ROLES) if not u.region_id]
    known = {(u.email or "").lower() for u in people}
    for row in PackRecipient.objects.active().order_by("email"):
        if row.email.lower() not in known:
            known.add(row.email.lower())
            people.append(Recipient(name=row.name or row.email, email=row.email))
    return people


def generate(month: dt.date, *, actor: Any = None, force: bool = False) -> MonthlyPack:
    """The pack of ``month`` (any day of it): built, or the stored one when already built and
    ``force`` is not set."""
    from aftersales.service.views.pdf import html_pdf

    first, last = month_bounds(month)
    existing = MonthlyPack.objects.filter(month=first, generated_at__isnull=False).first()
    if existing is not None and not force:
        return existing
    started = time.perf_counter()
    if force or not summary.month_built_after_close(first):
        summary.build(first, last)  # the month's facts as the rows stand now
    # (otherwise the nightly rebuild after the month's end already made them final)
    with transaction.atomic():
        pack, _created = MonthlyPack.objects.get_or_create(month=first)
        pack = MonthlyPack.objects.select_for_update().get(pk=pack.pk)
        if pack.generated_at is not None and not force:
            return pack  # another worker finished it while this one waited
        f = ReportFilters(start=first, end=last)
        with translation.override(settings.LANGUAGE_CODE):
            results = run_all(f)
            pdf = html_pdf(pack_html(results, f))
            xlsx = workbook.build(results, f)
        for field in (pack.pdf, pack.workbook):
            if field.name:
                field.delete(save=False)
        pack.pdf.save(f"pack-{first:%Y-%m}.pdf", ContentFile(pdf), save=False)
        pack.workbook.save(f"pack-{first:%Y-%m}.xlsx", ContentFile(xlsx), save=False)
        now = timezone.now()
        regenerated = pack.generated_at is not None
        pack.generated_at = now
        pack.generated_by = actor if getattr(actor, "pk", None) else None
        pack.seconds = Decimal(f"{time.perf_counter() - started:.2f}")
        pack.emailed_to = _send(pack, stamp=int(now.timestamp()) if regenerated else 0)
        pack.save()
        audit.record(
            pack,
            actor=actor,
            action="action",
            verb="pack_regenerated" if regenerated else "pack_generated",
            payload={"month": f"{first:%Y-%m}", "emailed_to": pack.emailed_to},
        )
    return pack


def _send(pack: MonthlyPack, *, stamp: int) -> int:
    from django.urls import reverse

    from aftersales.notifications.services import notify

    people = recipients()
    if not people:
        return 0
    month = f"{pack.month:%Y-%m}"
    key = f"reports:pack:{month}" + (f":{stamp}" if stamp else "")
    notify(
        key=key,
        recipients=people,
        subject=_("%(month)s 售后月度报表") % {"month": month},
        body=_("%(month)s 售后服务月度报表（PDF 与 Excel）已生成，请登录系统查看或下载。")
        % {"month": month},
        link=reverse("reports:packs"),
        channels=["email", "in_app"],
    )
    return len(people)
