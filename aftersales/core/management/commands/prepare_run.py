"""Everything ``make run`` does before serving, in one process: migrate, collect static
files, load the demo data once, print the demo logins."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "迁移数据库、收集静态文件、首次加载演示数据并打印演示账号"

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        call_command("load_demo", if_empty=True)
        call_command("demo_logins")
