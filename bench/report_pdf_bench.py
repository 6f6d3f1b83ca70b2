"""Service report PDF (issue 9 #20): how long the first report PDF of a web worker takes,
without and with the warm-up the worker now does at start (aftersales.wsgi), and the
steady state after it — target: the first PDF a user asks for under 2 s.

Each measurement of a "first PDF" runs in a fresh Python process (Django set up, nothing
else imported yet), as a freshly started gunicorn worker is. The report is a complete one:
letterhead with logo, parts, the customer's signature and two phone photos.

Run: ``.venv/bin/python scripts/with_db.py -- .venv/bin/python bench/report_pdf_bench.py``
"""

from __future__ import annotations

import argparse
import base64
import io
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aftersales.settings")


def _png(width: int, height: int, colour: tuple[int, int, int]) -> bytes:
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(img)
    for i in range(0, width, 7):
        draw.line([(i, 0), (width - i, height)], fill=colour, width=3)
    out = io.BytesIO()
    img.save(out, "PNG")
    return out.getvalue()


def _photo() -> bytes:
    """A 12-megapixel-ish phone photo (noise does not compress: the worst case)."""
    from PIL import Image

    img = Image.effect_noise((2000, 1500), 60).convert("RGB")
    out = io.BytesIO()
    img.save(out, "JPEG", quality=85)
    return out.getvalue()


def build_report() -> int:
    import django

    django.setup()
    from django.core.files.base import ContentFile
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from aftersales.core.models import CompanySettings
    from aftersales.service.models import ReportPhoto
    from aftersales.service.services import reports
    from aftersales.service.tests import web_world as w

    world = w.build()
    settings_row = CompanySettings(company_name="华光显示科技有限公司", hotline="400-820-1234")
    settings_row.logo.save("logo.png", ContentFile(_png(360, 120, (200, 30, 30))), save=False)
    settings_row.save()
    wo = w.on_site(world, w.ticket(world))
    reports.save(
        actor=world["tech"],
        work_order=wo,
        data=reports.ReportInput(
            phenomenon="左下角模组黑屏，约四分之一画面无显示",
            environment="室内，温度正常",
            cause="模组驱动芯片损坏",
            cause_class="manufacturing",
            fault_category="模组故障",
            component_code="MOD-P3",
            responsibility="product",
            actions="更换P3模组一块，全屏测试正常，客户现场确认",
            minutes_spent=45,
            customer_opinion="处理及时，满意",
            quick_rating=5,
            parts=[("MOD-P3", 1, True), ("PWR-200", 1, False)],
        ),
    )
    reports.sign(
        actor=world["tech"],
        work_order=wo,
        signature_png="data:image/png;base64,"
        + base64.b64encode(_png(600, 200, (20, 20, 20))).decode(),
        signed_by="王经理",
    )
    report = reports.submit(actor=world["tech"], work_order=wo)
    for caption in ("故障模组", "更换后"):
        photo = ReportPhoto(report=report, caption=caption)
        photo.image.save("photo.jpg", ContentFile(_photo()), save=True)
    return int(report.pk)


def first_pdf(report_id: int, warm: bool) -> dict[str, float]:
    """In this (fresh) process: optionally warm up, then time the first PDF and 10 more."""
    import django

    django.setup()
    from aftersales.service.models import ServiceReport
    from aftersales.service.views import pdf

    result: dict[str, float] = {}
    if warm:
        cpu = time.process_time()
        result["warm_up"] = pdf.warm_up()
        result["warm_up_cpu"] = time.process_time() - cpu
    report = ServiceReport.objects.select_related(*pdf.REPORT_RELATED).get(pk=report_id)
    started, cpu = time.perf_counter(), time.process_time()
    data = pdf.render_pdf(report)
    result["first"] = time.perf_counter() - started
    result["first_cpu"] = time.process_time() - cpu
    result["bytes"] = len(data)
    steady, steady_cpu = [], []
    for _ in range(10):
        report = ServiceReport.objects.select_related(*pdf.REPORT_RELATED).get(pk=report_id)
        started, cpu = time.perf_counter(), time.process_time()
        pdf.render_pdf(report)
        steady.append(time.perf_counter() - started)
        steady_cpu.append(time.process_time() - cpu)
    result["p50"] = statistics.median(steady)
    result["p50_cpu"] = statistics.median(steady_cpu)
    result["max"] = max(steady)
    return result


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--warm", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--runs", type=int, default=3, help="fresh processes per variant")
    parser.add_argument("--quick", action="store_true", help="one process per variant")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(first_pdf(args.child, args.warm)))
        return 0
    report_id = build_report()
    runs = 1 if args.quick else args.runs
    rows: dict[str, list[dict[str, float]]] = {"cold": [], "warm": []}
    for _ in range(runs):
        for variant in ("cold", "warm"):
            cmd = [sys.executable, __file__, "--child", str(report_id)]
            out = subprocess.run(
                [*cmd, "--warm"] if variant == "warm" else cmd,
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            rows[variant].append(json.loads(out.strip().splitlines()[-1]))

    def med(variant: str, key: str) -> str:
        values = [r[key] for r in rows[variant]]
        return f"{statistics.median(values):.2f} s (max {max(values):.2f})"

    kib = rows["warm"][0]["bytes"] / 1024
    print(f"report PDF, {runs} fresh process(es) per variant, {kib:.0f} KiB; wall clock | CPU")
    print(f"  first PDF without warm-up: {med('cold', 'first')} | {med('cold', 'first_cpu')}")
    print(f"  warm-up at worker start:   {med('warm', 'warm_up')} | {med('warm', 'warm_up_cpu')}")
    print(f"  first PDF after warm-up:   {med('warm', 'first')} | {med('warm', 'first_cpu')}")
    print(f"  later PDFs (p50 of 10):    {med('warm', 'p50')} | {med('warm', 'p50_cpu')}")
    met = max(r["first"] for r in rows["warm"]) < 2.0
    print(f"  target first PDF < 2 s (wall clock): {'met' if met else 'NOT met'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
