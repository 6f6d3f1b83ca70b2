"""9#16: ``make run``'s preparation says what it is doing before each slow step."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from aftersales.core.management.commands.prepare_run import pending_migrations


@pytest.mark.django_db
def test_prepare_run_prints_a_line_before_each_step(settings, tmp_path) -> None:
    settings.STATIC_ROOT = tmp_path / "static"
    out = StringIO()
    call_command("prepare_run", "--skip-demo", stdout=out)
    lines = out.getvalue().splitlines()
    assert pending_migrations() == 0
    assert lines[0] == "数据库结构已是最新。"
    assert lines[1] == "正在收集静态文件…"
    assert lines[2].startswith("  完成（") and lines[2].endswith("秒）")
    assert (tmp_path / "static" / "vendor" / "htmx.min.js").exists()
