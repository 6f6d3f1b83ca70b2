"""``manage.py demo_logins``: the demo accounts, their shared password and roles."""

from __future__ import annotations

import unicodedata
from typing import Any

from django.core.management.base import BaseCommand

from aftersales.demo.data import DEMO_PASSWORD
from aftersales.demo.selectors import demo_logins


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def format_table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    """A plain-text table that lines up with Chinese (double-width) characters."""
    widths = [max(_width(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = [
        "  ".join(c + " " * (w - _width(c)) for c, w in zip(row, widths, strict=True)).rstrip()
        for row in [header, *rows]
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


class Command(BaseCommand):
    help = "列出演示账号（用户名、密码、角色）"
    requires_system_checks: list[str] = []

    def handle(self, *args: Any, **options: Any) -> None:
        rows = demo_logins()
        if not rows:
            self.stdout.write("没有使用演示密码的账号（未加载演示数据，或密码均已修改）。")
            return
        self.stdout.write(f"演示账号（共 {len(rows)} 个，密码均为 {DEMO_PASSWORD}）：")
        self.stdout.write(
            format_table(
                ("用户名", "密码", "角色", "姓名", "所属"),
                [(r.username, r.password, r.role, r.name, r.organisation) for r in rows],
            )
        )
