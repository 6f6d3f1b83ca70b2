"""Issue 8 #11: every upload is verified from its content and stored under a generated name
with the extension of its real type (aftersales.core.uploads)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django import forms
from django.conf import settings

from aftersales.core import uploads
from aftersales.core.errors import ValidationFailed
from aftersales.customers.models import SiteDocument
from aftersales.imports.models import ImportJob
from aftersales.imports.services import upload_import
from aftersales.service.models import ReportPhoto
from aftersales.service.services import reports
from aftersales.service.tests.uploads_world import (
    HTML,
    PDF,
    office,
    png_bytes,
    polyglot,
    report_in_progress,
    report_with_files,
    upload,
)

UUID_NAME = re.compile(r"^[0-9a-f]{32}\.(png|jpg|gif|webp|pdf|xlsx|docx)$")


def _stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_a_polyglot_photo_is_stored_as_png_under_a_generated_name(world) -> None:  # type: ignore[no-untyped-def]
    wo = report_in_progress(world)
    photo = reports.add_photo(actor=world.tech1, work_order=wo, image=polyglot())
    base = photo.image.name.rsplit("/", 1)[-1]
    assert photo.image.name.startswith("report-photos/")
    assert UUID_NAME.match(base) and base.endswith(".png"), photo.image.name
    assert "polyglot" not in photo.image.name and ".html" not in photo.image.name


def test_html_named_as_an_image_is_refused_and_nothing_written(world) -> None:  # type: ignore[no-untyped-def]
    wo = report_in_progress(world)
    for bad in (upload("x.png", HTML, "image/png"), upload("x.jpg", b"\xff\xd8\xff" + HTML)):
        with pytest.raises(ValidationFailed) as exc:
            reports.add_photo(actor=world.tech1, work_order=wo, image=bad)
        assert exc.value.code == "upload_not_image" and "图片" in exc.value.message
    assert not ReportPhoto.objects.exists()
    assert _stored_files() == []


def test_the_signature_is_stored_under_a_generated_png_name(world) -> None:  # type: ignore[no-untyped-def]
    report = report_with_files(world)
    base = report.signature.name.rsplit("/", 1)[-1]
    assert report.signature.name.startswith("signatures/") and UUID_NAME.match(base)
    assert base.endswith(".png") and report.work_order.number not in base


class _DocForm(forms.ModelForm):  # what the admin's inline builds for a site document
    class Meta:
        model = SiteDocument
        fields = ["site", "kind", "title", "file"]


@pytest.mark.parametrize(
    ("name", "data", "ext"),
    [
        ("manual.exe", PDF, "pdf"),
        ("plan.bin", office({"xl/workbook.xml": b"<workbook/>"}), "xlsx"),
        ("notes.zip", office({"word/document.xml": b"<document/>"}), "docx"),
        ("photo.html", png_bytes(), "png"),
    ],
)
def test_site_documents_keep_their_real_type_not_their_name(world, name, data, ext) -> None:  # type: ignore[no-untyped-def]
    form = _DocForm(
        data={"site": world.site.pk, "kind": "other", "title": "资料"},
        files={"file": upload(name, data)},
    )
    assert form.is_valid(), form.errors
    doc = form.save()
    base = doc.file.name.rsplit("/", 1)[-1]
    assert UUID_NAME.match(base) and base.endswith(f".{ext}"), doc.file.name
    assert uploads.type_of(doc.file.name) == uploads.TYPES[ext if ext != "jpg" else "jpeg"]


@pytest.mark.parametrize(
    "data",
    [HTML, b"PK\x03\x04not a zip", office({"evil.html": HTML}), b"MZ\x90\x00binary"],
)
def test_site_documents_of_other_types_are_refused_with_a_chinese_message(world, data) -> None:  # type: ignore[no-untyped-def]
    form = _DocForm(
        data={"site": world.site.pk, "kind": "other", "title": "资料"},
        files={"file": upload("manual.pdf", data, "application/pdf")},
    )
    assert not form.is_valid()
    assert "文件类型不受支持" in form.errors["file"][0]
    assert form.errors.as_data()["file"][0].code == "upload_type_refused"
    assert not SiteDocument.objects.exists() and _stored_files() == []


def test_saving_a_document_outside_forms_is_verified_too(world) -> None:  # type: ignore[no-untyped-def]
    doc = SiteDocument(site=world.site, title="资料")
    with pytest.raises(ValidationFailed) as exc:
        doc.file.save("x.pdf", upload("x.pdf", HTML), save=True)
    assert exc.value.code == "upload_type_refused"
    assert not SiteDocument.objects.exists() and _stored_files() == []


def test_an_import_is_judged_by_its_content(world) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationFailed) as exc:
        upload_import(actor=world.coordinator, kind="equipment", file=upload("客户.xlsx", HTML))
    assert exc.value.code == "upload_type_refused" and ".xlsx" in exc.value.message
    assert not ImportJob.objects.exists() and _stored_files() == []
