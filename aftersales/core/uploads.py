"""Every uploaded file, in one place (issue 8 #11).

An upload is never trusted by its name or its declared type: images are decoded with Pillow,
documents are recognised from their content (magic bytes, the members of an Office zip). A
file that is none of the allowed real types is refused with a Chinese message and a machine
code, and nothing is written. What is accepted is stored under a generated name (uuid) with
the extension of its real type, so the stored name tells how to serve it (``type_of``).

The model fields ``VerifiedFileField`` / ``VerifiedImageField`` apply the rule on every path
that saves a file: services (``FieldFile.save``), model forms and the admin (field
validators).
"""

from __future__ import annotations

import contextlib
import uuid
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.fields.files import FieldFile, ImageFieldFile
from django.utils.functional import cached_property

from aftersales.core.errors import ValidationFailed
from aftersales.core.said import Said


@dataclass(frozen=True)
class RealType:
    code: str
    ext: str
    content_type: str
    label: str
    image: bool = False


TYPES: dict[str, RealType] = {
    t.code: t
    for t in (
        RealType("png", "png", "image/png", "PNG 图片", image=True),
        RealType("jpeg", "jpg", "image/jpeg", "JPEG 图片", image=True),
        RealType("gif", "gif", "image/gif", "GIF 图片", image=True),
        RealType("webp", "webp", "image/webp", "WebP 图片", image=True),
        RealType("pdf", "pdf", "application/pdf", "PDF 文档"),
        RealType(
            "xlsx",
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "Excel 工作簿（.xlsx）",
        ),
        RealType(
            "docx",
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "Word 文档（.docx）",
        ),
    )
}
IMAGES = frozenset({"png", "jpeg", "gif", "webp"})
DOCUMENTS = IMAGES | {"pdf", "xlsx", "docx"}
SPREADSHEETS = frozenset({"xlsx"})

_PILLOW_FORMATS = {"PNG": "png", "JPEG": "jpeg", "GIF": "gif", "WEBP": "webp"}
_OFFICE_MEMBERS = {"xlsx": "xl/workbook.xml", "docx": "word/document.xml"}
_BY_EXT = {t.ext: t for t in TYPES.values()}


def _refuse(allowed: Iterable[str], field: str | None) -> ValidationFailed:
    kinds = sorted(allowed)
    if set(kinds) <= IMAGES:
        return ValidationFailed(
            "文件不是有效的图片（支持 PNG、JPEG、GIF、WebP）", code="upload_not_image", field=field
        )
    labels = "、".join(TYPES[k].label for k in kinds)
    return ValidationFailed(
        Said("文件类型不受支持，只接受：%(labels)s", labels=labels),
        code="upload_type_refused",
        field=field,
    )


def _image_type(file: Any) -> str | None:
    from PIL import Image

    try:
        file.seek(0)
        with Image.open(file) as img:
            img.verify()
        file.seek(0)
        with Image.open(file) as img:  # verify() leaves the image unusable: open again
            fmt = img.format or ""
            img.load()
    except Exception:
        return None
    return _PILLOW_FORMATS.get(fmt)


def _document_type(file: Any) -> str | None:
    file.seek(0)
    head = file.read(8)
    if isinstance(head, str):
        return None
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        file.seek(0)
        try:
            with zipfile.ZipFile(file) as zf:
                names = set(zf.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        if "[Content_Types].xml" in names:
            for code, member in _OFFICE_MEMBERS.items():
                if member in names:
                    return code
    return None


def identify(file: Any, allowed: Iterable[str], *, field: str | None = None) -> RealType:
    """The real type of ``file`` (one of ``allowed``) or ``ValidationFailed``. The file is
    left at position 0."""
    allowed = frozenset(allowed)
    try:
        code = _document_type(file) if allowed - IMAGES else None
        if code is None and allowed & IMAGES:
            code = _image_type(file)
    finally:
        with contextlib.suppress(OSError, ValueError):
            file.seek(0)
    if code is None or code not in allowed:
        raise _refuse(allowed, field)
    return TYPES[code]


def generated_name(real: RealType) -> str:
    return f"{uuid.uuid4().hex}.{real.ext}"


def type_of(name: str) -> RealType | None:
    """How a stored file is served: its name carries the real type it was verified as."""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return _BY_EXT.get(ext)


def _save_verified(fieldfile: Any, name: str | None, content: Any, save: bool) -> None:
    field = fieldfile.field
    real = identify(content, field.kinds, field=field.name)
    super(type(fieldfile), fieldfile).save(generated_name(real), content, save)


class VerifiedFieldFile(FieldFile):
    def save(self, name: str | None, content: Any, save: bool = True) -> None:
        _save_verified(self, name, content, save)


class VerifiedImageFieldFile(ImageFieldFile):
    def save(self, name: str | None, content: Any, save: bool = True) -> None:
        _save_verified(self, name, content, save)


def _validate_content(field: Any) -> Any:
    def check(value: Any) -> None:
        if not value or getattr(value, "_committed", True):
            return
        try:
            identify(value.file, field.kinds, field=field.name)
        except ValidationFailed as exc:
            raise ValidationError(exc.message, code=exc.code) from exc

    return check


class _Verified:
    kinds: frozenset[str]
    base_path: str

    def _setup(self, kinds: Iterable[str]) -> None:
        self.kinds = frozenset(kinds)

    @cached_property
    def validators(self) -> list[Any]:
        return [*super().validators, _validate_content(self)]  # type: ignore[misc]

    def deconstruct(self) -> Any:
        name, _path, args, kwargs = super().deconstruct()  # type: ignore[misc]
        return name, self.base_path, args, kwargs  # migrations see the plain Django field


class VerifiedFileField(_Verified, models.FileField):
    """A ``FileField`` that stores only documents of the allowed real types."""

    attr_class = VerifiedFieldFile
    base_path = "django.db.models.FileField"

    def __init__(self, *args: Any, kinds: Iterable[str] = DOCUMENTS, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._setup(kinds)


class VerifiedImageField(_Verified, models.ImageField):
    """An ``ImageField`` whose files are decoded (Pillow) before they are stored."""

    attr_class = VerifiedImageFieldFile
    base_path = "django.db.models.ImageField"

    def __init__(self, *args: Any, kinds: Iterable[str] = IMAGES, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._setup(kinds)
