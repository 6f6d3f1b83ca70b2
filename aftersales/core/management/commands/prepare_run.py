"""Everything ``make run`` does before serving, in one process: migrate, collect static
files, load the demo data once, print the demo logins — with a progress line before each
step that takes a while, so a first run does not sit silent for a minute (9#16)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from aftersales.core.said import Said


def pending_migrations() -> int:
    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


class Command(BaseCommand):
    help = "迁移数据库、收集静态文件、首次加载演示数据并打印演示账号"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--skip-demo", action="store_true", help="不加载演示数据")

    @contextmanager
    def _step(self, text: str) -> Iterator[None]:
        self.stdout.write(f"{text}…")
        self.stdout.flush()
        started = time.perf_counter()
        yield
        self.stdout.write(
            Said("  完成（%(v1)s 秒）", v1=format(time.perf_counter() - started, ".1f"))
        )

    def handle(self, *args: Any, **options: Any) -> None:
        pending = pending_migrations()
        if pending:
            with self._step(
                Said("正在迁移数据库：%(pending)s 个迁移待执行（首次约需 20 秒）", pending=pending)
            ):
                call_command("migrate", interactive=False, verbosity=0)
        else:
            self.stdout.write("数据库结构已是最新。")
        with self._step("正在收集静态文件"):
            call_command("collectstatic", interactive=False, verbosity=0)
        if options["skip_demo"]:
            return
        from aftersales.demo.selectors import demo_loaded

        if demo_loaded():
            self.stdout.write("数据库已有数据，跳过演示数据加载。")
        else:
            with self._step("正在加载演示数据（首次约需 1 分钟）"):
                call_command("load_demo", stdout=self.stdout)
        call_command("demo_logins", stdout=self.stdout)
