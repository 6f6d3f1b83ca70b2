"""``manage.py load_demo [--size small|default|large|FACTOR] [--seed N] [--if-empty]``."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from aftersales.demo.data import DEMO_PASSWORD
from aftersales.demo.selectors import demo_loaded


class Command(BaseCommand):
    # ``make run`` calls this on every start: skip the system checks (they import every URL
    # module); ``migrate`` just before has run them.
    requires_system_checks: list[str] = []
    help = (
        "加载演示数据：片区、部门、人员与值班、经销商、客户、项目、设备、配件、保修与SLA政策。"
        "可重复执行，只补充缺少的数据。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--size",
            default="default",
            help="规模：small（约1/10，用于测试）、default（200客户/2000设备）、large（×10）或倍数",
        )
        parser.add_argument("--seed", type=int, default=2026, help="随机种子（相同种子数据相同）")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="数据库已有客户数据时什么也不做（make run 每次启动时调用）",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["if_empty"] and demo_loaded():
            self.stdout.write("数据库已有数据，跳过演示数据加载。")
            return
        from aftersales.demo.loader import load_demo  # not needed on the fast path above
        from aftersales.demo.plan import parse_size

        try:
            size = parse_size(options["size"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        started = time.perf_counter()
        report = load_demo(size=size, seed=options["seed"])
        elapsed = time.perf_counter() - started
        if report.defaults.calendar_years:
            years = "、".join(str(y) for y in report.defaults.calendar_years)
            self.stdout.write(f"工作日历：已载入 {years} 年节假日")
        if report.defaults.policies:
            self.stdout.write(f"SLA默认政策：{'、'.join(report.defaults.policies)}")
        for model, count in report.created.items():
            self.stdout.write(f"  {model._meta.verbose_name}：新增 {count}")
        if options["verbosity"] >= 2:
            for name, seconds in report.timings:
                self.stdout.write(f"  {name}：{seconds:.2f} 秒")
        if report.total:
            self.stdout.write(
                self.style.SUCCESS(
                    f"演示数据（规模 {size.label}）已加载：共 {report.total} 条，用时 {elapsed:.1f} 秒。"
                    f"演示账号密码 {DEMO_PASSWORD}，运行 manage.py demo_logins 查看账号。"
                )
            )
        else:
            self.stdout.write(f"演示数据已完整，无需新增（用时 {elapsed:.1f} 秒）。")
