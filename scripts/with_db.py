"""Run a command with DATABASE_URL set: the given one, or a throwaway embedded PostgreSQL.

python scripts/with_db.py -- pytest -q
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main(argv: list[str]) -> int:
    if "--" in argv:
        argv = argv[argv.index("--") + 1 :]
    if not argv:
        print("usage: with_db.py -- COMMAND ...", file=sys.stderr)
        return 2
    if os.environ.get("DATABASE_URL"):
        return subprocess.call(argv)
    from aftersales import embedded_db

    with embedded_db.throwaway(ROOT / "var" / "tmp") as url:
        env = {**os.environ, "DATABASE_URL": url}
        return subprocess.call(argv, env=env)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
