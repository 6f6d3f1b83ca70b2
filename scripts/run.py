"""``make run``: embedded database, migrations, demo data, web server and worker.

The web server and the worker are supervised (``aftersales.core.supervise``): one that dies is
restarted with a backoff, the others and the database keep running. Ctrl-C (or SIGTERM) stops
the web server, the worker and the database, in that order.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aftersales import embedded_db  # noqa: E402
from aftersales.core.supervise import Child, Supervisor  # noqa: E402
from aftersales.dburl import EMBEDDED_PGDATA  # noqa: E402

PY = sys.executable
HOST = os.environ.get("HOST", "127.0.0.1")
PORT = os.environ.get("PORT", "8000")


def manage(*args: str, env: dict[str, str]) -> None:
    subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, check=True)


def web_command() -> list[str]:
    return [
        PY,
        "-m",
        "gunicorn",
        "aftersales.wsgi",
        "--bind",
        f"{HOST}:{PORT}",
        "--workers",
        os.environ.get("WEB_WORKERS", "2"),
        "--threads",
        "8",
        "--worker-class",
        "gthread",
        "--timeout",
        "120",
        "--access-logfile",
        "-",
        "--log-level",
        "warning",
    ]


def main() -> int:
    t0 = time.monotonic()
    env = dict(os.environ)
    embedded = not env.get("DATABASE_URL")
    if embedded:
        env["DATABASE_URL"] = embedded_db.start(EMBEDDED_PGDATA)
        print(f"数据库已启动（内置 PostgreSQL，数据目录 {EMBEDDED_PGDATA}）", flush=True)
    supervisor = Supervisor(
        [
            Child("网页服务", web_command(), cwd=ROOT, env=env),
            Child(
                "后台任务进程",
                [PY, "manage.py", "procrastinate", "worker", "--concurrency", "4"],
                cwd=ROOT,
                env=env,
            ),
        ]
    )
    try:
        manage("prepare_run", env=env)
        supervisor.handle_signals()
        supervisor.start()
        print(
            f"\n服务已启动：http://{HOST}:{PORT}/  （API 文档：http://{HOST}:{PORT}/api/docs）"
            f"  启动用时 {time.monotonic() - t0:.1f} 秒。按 Ctrl-C 停止。",
            flush=True,
        )
        supervisor.run()  # a crashed child is restarted; returns on Ctrl-C / SIGTERM
        return 0
    finally:
        print("\n正在停止…", flush=True)
        supervisor.stop()
        if embedded:
            embedded_db.stop(EMBEDDED_PGDATA)
            print("数据库已停止。", flush=True)


if __name__ == "__main__":
    raise SystemExit(main())
