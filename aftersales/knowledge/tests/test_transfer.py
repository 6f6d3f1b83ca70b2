"""kb_import / kb_export: JSON lines and Excel, errors per line in Chinese, all or nothing,
drafts unless ``--publish``; an export reads back in."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from aftersales.core.models import AuditEvent
from aftersales.knowledge.models import Case, ReviewState
from aftersales.knowledge.selectors import similar_cases


def line(**kw: object) -> str:
    base = {
        "external_id": "X-1",
        "category": "hvac",
        "model": "",
        "title": "多联机外机报E4",
        "phenomenon": "线控器显示E4，内外机通讯中断",
        "cause": "通讯线接反",
        "solution": "按图纸重新接通讯线",
    }
    return json.dumps(base | kw, ensure_ascii=False)


def write(tmp_path: Path, *lines: str) -> str:
    p = tmp_path / "cases.jsonl"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(p)


def test_one_bad_line_imports_nothing_and_names_the_line(kb, tmp_path):  # type: ignore[no-untyped-def]
    path = write(
        tmp_path,
        line(external_id="A-1"),
        line(external_id="A-2", category="冰箱"),
        "{not json",
        line(external_id="A-1", title="重复编号"),
        line(external_id="A-5", phenomenon=""),
    )
    err = io.StringIO()
    with pytest.raises(CommandError, match="未导入任何案例"):
        call_command("kb_import", path, stderr=err)
    text = err.getvalue()
    assert "第2行：产品类别「冰箱」不存在" in text
    assert "第3行：不是有效的 JSON" in text
    assert "第4行：外部编号「A-1」与第1行重复" in text
    assert "第5行：缺少「故障现象」" in text
    assert not [x for x in text.splitlines() if x.startswith("第1行")]
    assert not Case.objects.exists()


def test_imported_cases_wait_as_drafts_unless_published(kb, tmp_path):  # type: ignore[no-untyped-def]
    path = write(
        tmp_path,
        line(external_id="B-1", model="CL-HP-65"),
        line(external_id="B-2", title="冷水机组低压保护", phenomenon="开机后低压报警停机"),
    )
    out = io.StringIO()
    call_command("kb_import", path, stdout=out)
    assert "已导入2条案例（草稿，待审核）" in out.getvalue()
    drafts = Case.objects.order_by("external_id")
    assert [c.state for c in drafts] == [ReviewState.DRAFT] * 2
    assert drafts[0].product_model == kb.models["CL-HP-65"]
    assert not similar_cases(kb.agent, "E4")  # drafts are not suggested
    # the same lines again: refused, the ids exist
    with pytest.raises(CommandError):
        call_command("kb_import", path, stderr=io.StringIO())
    path2 = write(tmp_path, line(external_id="C-1"), line(external_id="C-2", category="中央空调"))
    call_command("kb_import", path2, "--publish", "--user", kb.editor.username, stdout=out)
    published = Case.objects.filter(external_id__startswith="C-")
    assert {c.state for c in published} == {ReviewState.PUBLISHED}
    assert {c.reviewed_by_id for c in published} == {kb.editor.pk}
    assert AuditEvent.objects.filter(
        object_id=str(published[0].pk), action="transition", to_state="published"
    ).exists()
    assert {s.case.external_id for s in similar_cases(kb.agent, "e4")} == {"C-1", "C-2"}


def test_a_model_of_another_category_is_refused(kb, tmp_path):  # type: ignore[no-untyped-def]
    path = write(tmp_path, line(category="led", model="CL-HP-65"))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("kb_import", path, stderr=err)
    assert "第1行：型号「CL-HP-65」不属于类别" in err.getvalue()


def test_excel_import_and_export_round_trip(kb, tmp_path):  # type: ignore[no-untyped-def]
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["外部编号", "产品类别", "产品型号", "标题", "故障现象", "故障原因", "解决方法"])
    ws.append(["XL-1", "led", "", "整屏黑屏", "开机后整屏不亮", "开关电源损坏", "更换电源"])
    ws.append(["XL-2", "security", None, "录像机离线", "NVR掉线", "网线松动", "重新压接"])
    src = tmp_path / "cases.xlsx"
    wb.save(src)
    call_command("kb_import", str(src), "--publish", stdout=io.StringIO())
    assert Case.objects.get(external_id="XL-1").solution == "更换电源"
    # a stored text that looks like a formula stays text through the export
    Case.objects.filter(external_id="XL-1").update(solution="=更换电源")
    out_x = tmp_path / "out.xlsx"
    out_j = tmp_path / "out.jsonl"
    call_command("kb_export", str(out_x), stdout=io.StringIO())
    call_command("kb_export", str(out_j), stdout=io.StringIO())
    rows = [json.loads(x) for x in out_j.read_text(encoding="utf-8").splitlines()]
    assert {r["external_id"] for r in rows} == {"XL-1", "XL-2"}
    # the export reads back in (as new ids) with the same texts
    for r in rows:
        r["external_id"] = "copy-" + r["external_id"]
    write(tmp_path, *(json.dumps(r, ensure_ascii=False) for r in rows))
    call_command("kb_import", str(tmp_path / "cases.jsonl"), stdout=io.StringIO())
    assert Case.objects.get(external_id="copy-XL-1").solution == "=更换电源"
    Case.objects.filter(external_id__startswith="copy-").update(external_id="")
    wb2 = tmp_path / "again.xlsx"
    wb2.write_bytes(out_x.read_bytes())
    from openpyxl import load_workbook

    sheet = load_workbook(wb2).worksheets[0]
    assert sheet.cell(row=1, column=1).value == "外部编号"
    sheet.cell(row=2, column=1).value = "again-1"
    sheet.cell(row=3, column=1).value = "again-2"
    sheet.parent.save(wb2)
    call_command("kb_import", str(wb2), stdout=io.StringIO())
    assert Case.objects.get(external_id="again-1").solution == "=更换电源"


def test_excel_without_required_columns_is_refused(kb, tmp_path):  # type: ignore[no-untyped-def]
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["标题"])
    ws.append(["x"])
    src = tmp_path / "bad.xlsx"
    wb.save(src)
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("kb_import", str(src), stderr=err)
    assert "第1行：表头缺少列：产品类别、故障现象" in err.getvalue()
