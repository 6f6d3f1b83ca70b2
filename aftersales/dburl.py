"""Where the database is: ``DATABASE_URL`` or the embedded server under ``var/``.

Kept free of Django so that the launcher scripts can use it before settings load.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("AFTERSALES_VAR_DIR", BASE_DIR / "var"))
EMBEDDED_PGDATA = VAR_DIR / "pgdata"
DEFAULT_DB_NAME = "aftersales"


def embedded_url(pgdata: Path = EMBEDDED_PGDATA, name: str = DEFAULT_DB_NAME) -> str:
    """The URL of the embedded server: it listens only on a Unix socket in its data folder."""
    return f"postgresql://postgres@/{name}?host={pgdata}"


def database_url() -> str:
    return os.environ.get("DATABASE_URL") or embedded_url()


def django_database(url: str) -> dict[str, object]:
    """Turn a ``postgresql://`` URL (host may be a socket folder in ``?host=``) into settings."""
    parts = urlparse(url)
    if parts.scheme not in {"postgres", "postgresql"}:
        raise ValueError(f"DATABASE_URL must be a PostgreSQL URL, got {parts.scheme!r}")
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    host = query.pop("host", None) or (unquote(parts.hostname) if parts.hostname else "")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parts.path.lstrip("/")) or DEFAULT_DB_NAME,
        "USER": unquote(parts.username or "postgres"),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": host,
        "PORT": str(parts.port or ""),
        "OPTIONS": query,
        "CONN_MAX_AGE": int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        "CONN_HEALTH_CHECKS": True,
        "ATOMIC_REQUESTS": False,
        "TEST": {"NAME": "test_" + (unquote(parts.path.lstrip("/")) or DEFAULT_DB_NAME)},
    }
