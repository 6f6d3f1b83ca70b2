"""``manage.py kb_export FILE.jsonl|FILE.xlsx [--all]``: the published cases (or every
state but retired) in the columns ``kb_import`` reads back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from aftersales.core.said import Said
from aftersales.knowledge.models import ReviewState
from aftersales.knowledge.services import transfer


class Command(BaseCommand):
    help = "导出故障案例（JSON lines 或 Excel，列与 kb_import 相同）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--all", action="store_true", help="含草稿和已审核（不含已停用）")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        states: tuple[str, ...] = (ReviewState.PUBLISHED,)
        if options["all"]:
            states = (ReviewState.DRAFT, ReviewState.REVIEWED, ReviewState.PUBLISHED)
        qs = transfer.export_queryset(states)
        if path.suffix.lower() == ".xlsx":
            path.write_bytes(transfer.export_xlsx(qs))
            n = qs.count()
        else:
            with path.open("w", encoding="utf-8") as out:
                n = transfer.export_jsonl(qs, out)
        self.stdout.write(Said("已导出%(n)s条案例：%(path)s", n=n, path=path))
