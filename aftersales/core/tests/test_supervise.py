"""``make run``'s supervision with real child processes (issue 8 #7): a child that dies is
started again with a growing backoff while its neighbour keeps running; SIGTERM to the
supervisor stops every child, and it only stops then."""

from __future__ import annotations

import itertools
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from aftersales.core.supervise import Child, Supervisor

ROOT = Path(__file__).resolve().parents[3]


def record_pid(path: Path, then: str) -> list[str]:
    """A child that appends its pid to ``path`` and then runs ``then`` (Python code)."""
    code = f"import os, time\nopen({str(path)!r}, 'a').write(f'{{os.getpid()}}\\n')\n{then}"
    return [sys.executable, "-c", code]


def pids(path: Path) -> list[int]:
    return [int(line) for line in path.read_text().split()] if path.exists() else []


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/stat")
    return not (status.exists() and status.read_text().split()[2] == "Z")


def wait_for(check, timeout: float = 15) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "condition not reached in time"
        time.sleep(0.05)


def test_a_child_that_dies_is_restarted_with_backoff_and_its_neighbour_keeps_running(
    tmp_path: Path,
) -> None:
    crash, steady = tmp_path / "crash.pids", tmp_path / "steady.pids"
    said: list[str] = []
    sup = Supervisor(
        [
            Child("worker", record_pid(crash, "raise SystemExit(3)")),
            Child("web", record_pid(steady, "time.sleep(60)")),
        ],
        backoff=0.2,
        max_backoff=0.8,
        stable_after=30,
        grace=5,
        say=said.append,
    )
    sup.start()
    starts: list[float] = []
    try:
        deadline = time.monotonic() + 20
        while len(pids(crash)) < 5 and time.monotonic() < deadline:
            before = len(pids(crash))
            sup.poll()
            time.sleep(0.02)
            if len(pids(crash)) > before:
                starts.append(time.monotonic())
        assert len(set(pids(crash))) >= 5  # started again and again, a new process each time
        assert len(pids(steady)) == 1 and alive(pids(steady)[0])  # never touched
        assert sup.children[0].restarts >= 4
        assert "worker 已退出（退出码 3" in said[0] and "后重启" in said[0]
        gaps = [b - a for a, b in itertools.pairwise(starts)]
        # backoff doubles (0.2, 0.4, 0.8) and is capped at 0.8
        assert gaps[0] < gaps[-1] and 0.7 <= gaps[-1] < 2.5
    finally:
        sup.stop()
    assert not alive(pids(steady)[0])


DRIVER = """
import sys
sys.path.insert(0, {root!r})
from aftersales.core.supervise import Child, Supervisor
children = [Child(f"c{{i}}", [sys.executable, "-c", {child!r}.format(i=i)]) for i in range(2)]
sup = Supervisor(children, backoff=0.1, grace={grace})
sup.handle_signals()
sup.start()
sup.run(interval=0.05)
"""


def start_driver(tmp_path: Path, child: str, grace: float = 5) -> subprocess.Popen[bytes]:
    script = tmp_path / "driver.py"
    script.write_text(textwrap.dedent(DRIVER).format(root=str(ROOT), child=child, grace=grace))
    return subprocess.Popen([sys.executable, str(script)])


def test_sigterm_to_the_supervisor_stops_every_child(tmp_path: Path) -> None:
    child = f"import os, time\nopen({str(tmp_path)!r} + '/c{{i}}', 'w').write(str(os.getpid()))\ntime.sleep(60)"
    driver = start_driver(tmp_path, child)
    files = [tmp_path / "c0", tmp_path / "c1"]
    wait_for(lambda: all(f.exists() and f.read_text() for f in files))
    children = [int(f.read_text()) for f in files]
    time.sleep(0.5)
    assert driver.poll() is None and all(alive(pid) for pid in children)
    driver.send_signal(signal.SIGTERM)
    assert driver.wait(timeout=10) == 0
    assert not any(alive(pid) for pid in children)


def test_a_child_that_ignores_sigterm_is_killed_after_the_grace_period(tmp_path: Path) -> None:
    child = (
        "import os, signal, time\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
        f"open({str(tmp_path)!r} + '/c{{i}}', 'w').write(str(os.getpid()))\ntime.sleep(60)"
    )
    driver = start_driver(tmp_path, child, grace=1)
    files = [tmp_path / "c0", tmp_path / "c1"]
    wait_for(lambda: all(f.exists() and f.read_text() for f in files))
    children = [int(f.read_text()) for f in files]
    started = time.monotonic()
    driver.send_signal(signal.SIGTERM)
    assert driver.wait(timeout=10) == 0
    assert 0.9 <= time.monotonic() - started < 8
    assert not any(alive(pid) for pid in children)
