"""The receipt (收据) and the credit note (红字收据) as a Chinese PDF — WeasyPrint with the Noto
CJK fonts through the one PDF path of the system (``service.views.pdf.html_pdf``). A receipt
is a Chinese document whatever the reader's interface language."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation

from aftersales.charges.models import Receipt
from aftersales.charges.rules import rmb_upper
from aftersales.core.company import company

RELATED = (
    "payment__ticket__customer",
    "payment__quote",
    "payment__received_by",
    "issued_by",
    "reverses",
)


def receipt_html(receipt: Receipt) -> str:
    p = receipt.payment
    with translation.override("zh-hans"):
        return render_to_string(
            "charges/pdf/receipt.html",
            {
                "r": receipt,
                "p": p,
                "t": p.ticket,
                "upper": rmb_upper(receipt.amount),
                "method": p.get_method_display(),
                "lines": list(p.quote.lines.all()),
                "company": company(),
            },
        )


def receipt_pdf(receipt: Receipt) -> bytes:
    from aftersales.service.views.pdf import html_pdf

    return html_pdf(receipt_html(receipt))
