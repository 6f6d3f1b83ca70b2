"""``manage.py kb_import FILE.jsonl|FILE.xlsx [--publish] [--user NAME] [--dry-run]``: a case
collection in, all or nothing (``knowledge.services.transfer``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from aftersales.core.errors import DomainError
from aftersales.core.said import Said
from aftersales.knowledge.services import transfer


class Command(BaseCommand):
    help = "导入故障案例（JSON lines 或 Excel；有一行出错则全部不导入）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="*.jsonl（每行一个对象）或 *.xlsx")
        parser.add_argument(
            "--publish", action="store_true", help="已审核过的案例集：导入后直接发布"
        )
        parser.add_argument("--user", help="以此用户名导入（作者、审核人）；默认为系统")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不写入")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(Said("文件不存在：%(path)s", path=path))
        actor = None
        if options.get("user"):
            actor = get_user_model().objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(Said("用户「%(user)s」不存在", user=options["user"]))
        try:
            if path.suffix.lower() == ".xlsx":
                with path.open("rb") as fh:
                    result = transfer.import_cases(
                        transfer.read_xlsx(fh),
                        actor=actor,
                        publish=options["publish"],
                        dry_run=options["dry_run"],
                    )
            else:
                with path.open(encoding="utf-8-sig") as text:
                    result = transfer.import_cases(
                        transfer.read_jsonl(text),
                        actor=actor,
                        publish=options["publish"],
                        dry_run=options["dry_run"],
                    )
        except transfer.ImportRefused as exc:
            for n, message in exc.problems:
                self.stderr.write(Said("第%(n)s行：%(message)s", n=n, message=message))
            raise CommandError(
                Said("导入失败：%(problems)s处错误，未导入任何案例", problems=len(exc.problems))
            ) from exc
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        except UnicodeDecodeError as exc:
            raise CommandError("文件不是 UTF-8 编码的文本") from exc
        if options["dry_run"]:
            self.stdout.write(
                Said("检查通过：%(lines)s条，未写入（--dry-run）", lines=result.lines)
            )
            return
        state = "已发布" if result.published else "草稿，待审核"
        self.stdout.write(
            Said("已导入%(created)s条案例（%(state)s）", created=len(result.created), state=state)
        )
