"""Files for the upload and media tests: a real PNG, a PNG+HTML polyglot, documents, and a
filed-in-progress report with a photo and a signature."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from aftersales.service.services import dispatch, reports
from aftersales.service.tests.test_flow_services import new_ticket
from aftersales.service.tests.test_web_technician import signature_png

HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"


def png_bytes(size: tuple[int, int] = (40, 30), color: str = "red") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="PNG")
    return out.getvalue()


def upload(name: str, data: bytes, content_type: str = "application/octet-stream") -> Any:
    return SimpleUploadedFile(name, data, content_type=content_type)


def polyglot() -> Any:
    """A valid PNG with an HTML page behind its end: browsers that sniff run the script."""
    return upload("polyglot.html", png_bytes() + HTML, "text/html")


def office(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("[Content_Types].xml", b"<Types/>")
        for name, body in members.items():
            zf.writestr(name, body)
    return out.getvalue()


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def report_in_progress(world: Any) -> Any:
    """A work order on site with a draft report (the technician may add photos)."""
    ticket = new_ticket(world)
    wo = dispatch.dispatch(actor=world.coordinator, ticket=ticket, technician_ids=[world.tech1.id])
    dispatch.accept(actor=world.tech1, work_order=wo)
    dispatch.check_in(actor=world.tech1, work_order=wo)
    dispatch.start_work(actor=world.tech1, ticket=ticket)
    reports.save(
        actor=world.tech1,
        work_order=wo,
        data=reports.ReportInput(phenomenon="左下角模组不亮", cause="电源损坏", actions="更换电源"),
    )
    return wo


def report_with_files(world: Any) -> Any:
    """The report of a visit with one photo and the customer's signature."""
    wo = report_in_progress(world)
    reports.add_photo(actor=world.tech1, work_order=wo, image=upload("a.png", png_bytes()))
    reports.sign(
        actor=world.tech1, work_order=wo, signature_png=signature_png(), signed_by="王经理"
    )
    wo.report.refresh_from_db()
    return wo.report
