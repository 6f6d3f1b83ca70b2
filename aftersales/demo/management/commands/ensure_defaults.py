"""``manage.py ensure_defaults``: the calendar and SLA defaults a fresh installation needs."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from aftersales.demo.defaults import ensure_defaults


class Command(BaseCommand):
    help = "补充默认配置：标准作息、今明两年节假日、默认SLA政策与7×24政策（只补缺，不覆盖修改）"

    def handle(self, *args: Any, **options: Any) -> None:
        report = ensure_defaults()
        if not report.changed:
            self.stdout.write("默认配置已完整。")
            return
        if report.calendar_years:
            years = "、".join(str(y) for y in report.calendar_years)
            self.stdout.write(f"工作日历：已载入 {years} 年节假日")
        if report.policies:
            self.stdout.write(f"SLA政策：新增 {'、'.join(report.policies)}")
        self.stdout.write(f"SLA时限：新增 {report.targets} 条")
