"""Large files go through the ``imports.run`` job, run here by a real worker process, with
progress reaching the total; progress written inside the import transaction is visible."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from procrastinate.contrib.django.models import ProcrastinateJob

from aftersales import testing as t
from aftersales.imports import services
from aftersales.imports.models import ImportJob
from aftersales.imports.progress import Progress
from aftersales.installed_base.models import Equipment

from .helpers import headers, xlsx

pytestmark = pytest.mark.django_db(transaction=True)


def test_large_file_is_validated_and_imported_by_the_worker(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.IMPORT_INLINE_MAX_ROWS = 10
    monkeypatch.setenv("MEDIA_ROOT", str(settings.MEDIA_ROOT))  # the worker reads the file
    reg = t.region("EAST", "华东区")
    site = t.site(t.customer(reg, code="C001"), code="S001")
    t.product_model(code="LED-P3")
    user = t.user("coordinator")
    rows = [["LED-P3", f"BIG-{i:03d}", 1, "S001"] for i in range(40)]
    content = xlsx(["型号", "出厂编号", "数量", "项目编号"], rows)

    job = services.upload_import(actor=user, kind="equipment", file=ContentFile(content, "大.xlsx"))
    assert job.background and job.status == "pending"
    assert (
        ProcrastinateJob.objects.filter(task_name="imports.run", args__job_id=job.pk).count() == 1
    )

    t.run_workers(1)
    job.refresh_from_db()
    assert job.status == "validated", job.message
    assert (job.to_create, job.error_rows) == (40, 0)
    assert job.progress_done == job.progress_total == 40

    job = services.confirm_import(actor=user, job_id=job.pk)
    assert job.status == "importing" and not Equipment.objects.exists()
    t.run_workers(1)
    job.refresh_from_db()
    assert job.status == "done", job.message
    assert job.created_count == 40 and job.progress_done == job.progress_total == 40
    assert Equipment.objects.filter(site=site).count() == 40
    assert ProcrastinateJob.objects.filter(args__job_id=job.pk, status="succeeded").count() == 2


def test_upload_rolled_back_leaves_no_job() -> None:
    user = t.user("coordinator")
    content = xlsx(headers("customers"), [["C1", "甲", "", "", "EAST", "", "", "", ""]])

    class Boom(Exception):
        pass

    queued = ProcrastinateJob.objects.filter(task_name="imports.run").count()
    with pytest.raises(Boom), transaction.atomic():
        services.upload_import(
            actor=user, kind="customers", file=ContentFile(content, "a.xlsx"), background=True
        )
        raise Boom
    assert not ImportJob.objects.exists()
    assert ProcrastinateJob.objects.filter(task_name="imports.run").count() == queued


def test_progress_inside_a_transaction_is_seen_by_others() -> None:
    job = ImportJob.objects.create(kind="customers", user=t.user("coordinator"), status="importing")
    other = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        with transaction.atomic():
            progress = Progress(job.pk, 100)
            progress(40, force=True)
            with other.cursor() as cursor:
                cursor.execute(
                    "SELECT progress_done, progress_total FROM imports_importjob WHERE id = %s",
                    [job.pk],
                )
                assert cursor.fetchone() == (40, 100)
            progress.close()
    finally:
        other.close()
