"""Excel import benchmark: 10 000 equipment rows (plus the customers and sites they refer to),
dry run then import, then the same file edited (10 000 updates), then the export.

    .venv/bin/python scripts/with_db.py -- .venv/bin/python bench/imports_bench.py [ROWS]

Runs the same service functions the ``imports.run`` worker job runs (progress reporting on),
in-process, against the database in DATABASE_URL (its tables are created with ``migrate``).
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TIMINGS: list[tuple[str, float]] = []


@contextmanager
def timed(label: str) -> Iterator[None]:
    start = time.perf_counter()
    yield
    seconds = time.perf_counter() - start
    TIMINGS.append((label, seconds))
    print(f"{label:<44} {seconds:8.2f} s", flush=True)


def xlsx(headers: list[str], rows: list[list[Any]]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()  # like a file saved by Excel: the sheet's size is recorded
    ws = wb.active
    assert ws is not None
    ws.append(headers)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def run_import(kind: str, content: bytes, user: Any, label: str) -> Any:
    """Upload (stored only), dry run, confirm, import: the worker's steps, each timed."""
    from django.core.files.base import ContentFile

    from aftersales.imports import services

    job = services.upload_import(
        actor=user, kind=kind, file=ContentFile(content, f"{kind}.xlsx"), background=True
    )
    with timed(f"{label}: dry run ({kind})"):
        job = services.run_validation(job.pk, report=True)
    assert job.status == "validated" and job.error_rows == 0, (job.message, job.errors[:3])
    job = services.confirm_import(actor=user, job_id=job.pk)
    with timed(f"{label}: import ({kind})"):
        job = services.run_import(job.pk, report=True)
    assert job.status == "done", job.message
    print(f"    → {job.message}", flush=True)
    return job


def main(rows: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aftersales.settings")
    os.environ.setdefault("FAST_PASSWORD_HASHER", "1")
    media = tempfile.TemporaryDirectory(prefix="imports-bench-")
    os.environ["MEDIA_ROOT"] = media.name
    import django

    django.setup()
    from django.core.management import call_command

    with timed("migrate"):
        call_command("migrate", verbosity=0)

    from aftersales import testing as t
    from aftersales.imports.columns import SPECS
    from aftersales.imports.selectors import export_file
    from aftersales.installed_base.models import Equipment

    run = f"B{int(time.time()) % 100000}"
    regions = [t.region(f"{run}R{i}", f"片区{i}") for i in range(5)]
    dealers = [t.dealer(regions[i % 5], code=f"{run}D{i}") for i in range(10)]
    models_ = [t.product_model(code=f"{run}M{i}") for i in range(20)]
    user = t.user("coordinator", username=f"{run}-bench")
    n_customers, n_sites = max(1, rows // 20), max(1, rows // 5)
    print(f"rows: {rows} equipment, {n_sites} sites, {n_customers} customers", flush=True)

    customers = [
        [
            f"{run}C{i:05d}",
            f"测试客户{i}",
            "单位",
            "普通客户",
            regions[i % 5].code,
            dealers[i % 10].code if i % 3 else "",
            f"021-{i:06d}",
            f"上海市测试路{i}号",
            "",
        ]
        for i in range(n_customers)
    ]
    sites = [
        [
            f"{run}S{i:05d}",
            f"测试项目{i}",
            f"{run}C{i % n_customers:05d}",
            f"上海市工地{i}号",
            "",
            31.2 + i % 100 / 1000,
            121.4 + i % 100 / 1000,
            "是",
            None,
            "2024-03-01",
            "",
            "",
        ]
        for i in range(n_sites)
    ]
    with timed("generate equipment file"):
        equipment_rows = [
            [
                models_[i % 20].code,
                f"SN{i:08d}",
                1,
                f"{run}S{i % n_sites:05d}",
                "v1.0",
                "RS485",
                "2024-01-15",
                "2024-02-20",
                "2024-03-01",
                dealers[i % 10].code,
                "已回寄",
                f"K{i:08d}",
                "2024-03-10",
                "",
            ]
            for i in range(rows)
        ]
        equipment = xlsx(SPECS["equipment"].headers, equipment_rows)
    print(f"    equipment file: {len(equipment) / 1e6:.1f} MB", flush=True)

    run_import("customers", xlsx(SPECS["customers"].headers, customers), user, "setup")
    run_import("sites", xlsx(SPECS["sites"].headers, sites), user, "setup")
    start = time.perf_counter()
    run_import("equipment", equipment, user, f"{rows} new")
    create_total = time.perf_counter() - start
    assert Equipment.objects.filter(model__code__startswith=run).count() == rows

    for row in equipment_rows:
        row[4] = "v2.0"
    edited = xlsx(SPECS["equipment"].headers, equipment_rows)
    start = time.perf_counter()
    run_import("equipment", edited, user, f"{rows} updates")
    update_total = time.perf_counter() - start

    with timed("export equipment"):
        _, content = export_file("equipment", actor=user)
    print(f"    export: {len(content) / 1e6:.1f} MB", flush=True)
    print(f"\n{rows} rows new:     dry run + import {create_total:.1f} s")
    print(f"{rows} rows updated: dry run + import {update_total:.1f} s")
    media.cleanup()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
