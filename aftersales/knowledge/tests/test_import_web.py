"""The web import page (/kb/import/): the same code path as ``kb_import``
(``transfer.import_cases``) for the knowledge editors — 「检查」 previews and names each bad
line without writing, 「导入」 writes all lines or none, each case audited as the user's."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook

from aftersales.core.models import AuditEvent
from aftersales.knowledge.models import Case, ReviewState
from aftersales.knowledge.selectors import similar_cases
from aftersales.knowledge.tests.test_transfer import line

URL = "/kb/import/"


def client(user: object) -> Client:
    c = Client()
    c.force_login(user)  # type: ignore[arg-type]
    return c


def jsonl(*lines: str, name: str = "cases.jsonl") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, ("\n".join(lines) + "\n").encode("utf-8"))


def good_file() -> SimpleUploadedFile:
    return jsonl(
        line(external_id="W-1"),
        line(external_id="W-2", category="led", title="整屏黑屏", phenomenon="开机后整屏不亮"),
    )


def test_preview_writes_nothing_then_import_publishes_and_audits(kb) -> None:  # type: ignore[no-untyped-def]
    editor = client(kb.editor)
    page = editor.get(URL)
    assert page.status_code == 200
    assert 'enctype="multipart/form-data"' in page.content.decode()
    resp = editor.post(URL, {"file": good_file(), "action": "preview"})
    html = resp.content.decode()
    assert resp.status_code == 200
    assert 'data-testid="import-ok"' in html and "共 2 条" in html
    assert "整屏黑屏" in html  # the lines it would import are listed
    assert not Case.objects.exists()
    resp = editor.post(URL, {"file": good_file(), "action": "import", "publish": "1"})
    assert resp.status_code == 302
    follow = editor.get(URL).content.decode()
    assert "已导入2条案例（已发布）" in follow
    cases = Case.objects.filter(external_id__in=["W-1", "W-2"])
    assert {c.state for c in cases} == {ReviewState.PUBLISHED}
    assert {c.author_id for c in cases} == {kb.editor.pk}
    for c in cases:
        events = AuditEvent.objects.filter(object_id=str(c.pk), actor=kb.editor)
        assert events.filter(action="create").exists()
        assert events.filter(action="transition", to_state="published").exists()
    assert {s.case.external_id for s in similar_cases(kb.agent, "e4")} == {"W-1"}


def test_without_publish_the_cases_wait_as_drafts(kb) -> None:  # type: ignore[no-untyped-def]
    resp = client(kb.editor).post(URL, {"file": good_file(), "action": "import"})
    assert resp.status_code == 302
    assert {c.state for c in Case.objects.all()} == {ReviewState.DRAFT}
    assert Case.objects.count() == 2


def test_one_bad_line_imports_nothing_and_the_line_is_named(kb) -> None:  # type: ignore[no-untyped-def]
    bad = [
        line(external_id="B-1"),
        line(external_id="B-2", category="冰箱"),
        line(external_id="B-3", title="外机保护"),
    ]
    editor = client(kb.editor)
    for action in ("preview", "import"):
        resp = editor.post(URL, {"file": jsonl(*bad), "action": action, "publish": "1"})
        html = resp.content.decode()
        assert resp.status_code == 400, action
        assert 'data-line="2"' in html and "产品类别「冰箱」不存在" in html
        assert 'data-line="1"' not in html and 'data-line="3"' not in html
        assert not Case.objects.exists()
    assert "未导入任何案例" in html
    assert not AuditEvent.objects.filter(action="create", content_type__model="case").exists()


def test_excel_upload_names_the_bad_row(kb) -> None:  # type: ignore[no-untyped-def]
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["外部编号", "产品类别", "产品型号", "标题", "故障现象"])
    ws.append(["XL-1", "led", "", "整屏黑屏", "开机后整屏不亮"])
    ws.append(["XL-2", "led", "", "", "缺标题"])
    buf = io.BytesIO()
    wb.save(buf)
    upload = SimpleUploadedFile("cases.xlsx", buf.getvalue())
    resp = client(kb.editor).post(URL, {"file": upload, "action": "import"})
    html = resp.content.decode()
    assert resp.status_code == 400
    assert 'data-line="3"' in html and "缺少「标题」" in html
    assert not Case.objects.exists()
    junk = SimpleUploadedFile("cases.xlsx", b"not a workbook")
    resp = client(kb.editor).post(URL, {"file": junk, "action": "preview"})
    assert resp.status_code == 400 and "不是有效的 Excel" in resp.content.decode()


def test_only_the_knowledge_editors_may_import(kb) -> None:  # type: ignore[no-untyped-def]
    for user in (kb.agent, kb.technician, kb.dealer_user, kb.customer_user):
        c = client(user)
        assert c.get(URL).status_code == 404
        assert c.post(URL, {"file": good_file(), "action": "import"}).status_code == 404
    assert not Case.objects.exists()
    assert client(kb.admin).get(URL).status_code == 200
