"""Keep a set of child processes running (``make run``: the web server and the worker).

A child that exits — crashed, killed, out of memory — is started again after a backoff that
doubles while it keeps failing quickly (``backoff`` → ``max_backoff``) and starts over once it
has run ``stable_after`` seconds. The other children are not touched. Everything stops only
when the supervisor is told to (``request_stop``: Ctrl-C or SIGTERM with ``handle_signals``):
SIGTERM to every child, and SIGKILL to those still running after ``grace`` seconds.
"""

from __future__ import annotations

import signal
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

from aftersales.core.said import Said


@dataclass
class Child:
    name: str
    argv: Sequence[str]
    cwd: Path | None = None
    env: dict[str, str] | None = None
    proc: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0
    restart_at: float | None = None
    quick_failures: int = 0
    restarts: int = 0

    def start(self) -> None:
        self.proc = subprocess.Popen(list(self.argv), cwd=self.cwd, env=self.env)
        self.started_at, self.restart_at = time.monotonic(), None


@dataclass
class Supervisor:
    children: list[Child]
    backoff: float = 1.0
    max_backoff: float = 30.0
    stable_after: float = 30.0
    grace: float = 20.0
    say: Callable[[str], None] = field(default=lambda text: print(text, flush=True))
    stopping: bool = False

    def start(self) -> None:
        for child in self.children:
            child.start()

    def delay(self, child: Child) -> float:
        return float(min(self.backoff * 2 ** max(0, child.quick_failures - 1), self.max_backoff))

    def poll(self) -> None:
        """Notice children that exited and start the ones whose backoff is over."""
        now = time.monotonic()
        for child in self.children:
            if child.restart_at is not None:
                if now >= child.restart_at and not self.stopping:
                    child.restarts += 1
                    child.start()
                continue
            assert child.proc is not None
            code = child.proc.poll()
            if code is None:
                continue
            ran = now - child.started_at
            child.quick_failures = child.quick_failures + 1 if ran < self.stable_after else 1
            wait = self.delay(child)
            child.restart_at = now + wait
            self.say(
                Said(
                    "%(name)s 已退出（退出码 %(code)s，运行 %(ran)s 秒），%(wait)s 秒后重启…",
                    name=child.name,
                    code=code,
                    ran=format(ran, ".0f"),
                    wait=format(wait, ".0f"),
                )
            )

    def request_stop(self) -> None:
        self.stopping = True

    def handle_signals(self) -> None:
        def handler(signum: int, frame: FrameType | None) -> None:
            self.request_stop()

        signal.signal(signal.SIGINT, handler)
        signal.signal(signal.SIGTERM, handler)

    def run(self, interval: float = 0.2) -> None:
        """Supervise until asked to stop, then stop every child."""
        try:
            while not self.stopping:
                self.poll()
                time.sleep(interval)
        finally:
            self.stop()

    def stop(self) -> None:
        self.stopping = True
        running = [c.proc for c in self.children if c.proc is not None and c.proc.poll() is None]
        for proc in running:
            proc.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + self.grace
        for proc in running:
            try:
                proc.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
