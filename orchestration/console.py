"""The console of ``omniops run``: one line per finished stage (a progress bar while dbt builds), and
everything Dagster, dbt and the libraries print in a log file under ``$OMNIOPS_HOME/logs`` instead.

``quiet_console`` points the process's standard output and error (the file descriptors too, so dbt's
own subprocess follows) at the log file and hands back a ``Console`` that still writes to the terminal.
``StageProgress`` receives the run's step events from its Dagster instance while the run goes on.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from core.settings import OmniopsPaths

BAR_WIDTH = 24
POLL_S = 0.5
TAIL_LINES = 25


def log_path(paths: OmniopsPaths, now: datetime | None = None) -> Path:
    """``$OMNIOPS_HOME/logs/run-<UTC time>.log``, one file per run."""
    now = now or datetime.now(UTC)
    return paths.home / "logs" / f"run-{now:%Y%m%d-%H%M%S}.log"


def tail(path: Path, lines: int = TAIL_LINES) -> list[str]:
    """The last ``lines`` lines of a log file (none when it does not exist)."""
    if not path.exists():
        return []
    return path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:]


def bar(done: int, total: int, width: int = BAR_WIDTH) -> str:
    """``[#########---------------]  38/105``: done of total as a bar of ``width`` characters."""
    total = max(total, 1)
    filled = min(width, round(width * done / total))
    return f"[{'#' * filled}{'-' * (width - filled)}] {done:>{len(str(total))}}/{total}"


@dataclass
class Console:
    """Writes to the terminal while the process's output goes to the log file. On a terminal a bar is
    redrawn in place; elsewhere (a pipe, CI) only whole lines are written."""

    stream: TextIO
    interactive: bool = False
    _open_bar: bool = False
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def echo(self, message: str) -> None:
        with self._lock:
            if self._open_bar:
                self.stream.write("\n")
                self._open_bar = False
            self.stream.write(f"[omniops] {message}\n")
            self.stream.flush()

    def bar(self, message: str) -> None:
        if not self.interactive:
            return
        with self._lock:
            self.stream.write(f"\r[omniops] {message}\033[K")
            self.stream.flush()
            self._open_bar = True


def _is_terminal_stdout(stream: TextIO) -> bool:
    try:
        return stream.fileno() == 1
    except (AttributeError, ValueError, io.UnsupportedOperation):
        return False


@contextlib.contextmanager
def quiet_console(log_file: Path) -> Iterator[Console]:
    """Standard output and error (Python's and the file descriptors 1 and 2) into ``log_file`` for the
    block; the ``Console`` it yields writes where standard output went before."""
    log_file.parent.mkdir(parents=True, exist_ok=True)
    sys.stdout.flush()
    sys.stderr.flush()
    terminal = _is_terminal_stdout(sys.stdout)
    saved = {fd: os.dup(fd) for fd in (1, 2)}
    out = os.fdopen(os.dup(saved[1]), "w", buffering=1, encoding="utf-8") if terminal else sys.stdout
    console = Console(out, interactive=terminal and out.isatty())
    previous = sys.stdout, sys.stderr
    with log_file.open("a", encoding="utf-8", buffering=1) as log:
        os.dup2(log.fileno(), 1)
        os.dup2(log.fileno(), 2)
        sys.stdout = sys.stderr = log
        try:
            yield console
        finally:
            log.flush()
            sys.stdout, sys.stderr = previous
            for fd, copy in saved.items():
                os.dup2(copy, fd)
                os.close(copy)
            if out is not previous[0]:
                out.flush()
                out.close()


class StageProgress(threading.Thread):
    """A line per finished stage, with its time, and a bar of the dbt models built while the dbt stage
    runs. The run's own Dagster instance hands each event to ``on_event`` as it stores it, rather than
    this thread polling the event log through a second instance (docs/testing.md); the thread only
    redraws the bar."""

    def __init__(self, run_id: str, console: Console, dbt_step: str, dbt_models: int) -> None:
        super().__init__(daemon=True, name="omniops-progress")
        self.run_id, self.console = run_id, console
        self.dbt_step, self.dbt_models = dbt_step, dbt_models
        self.finished: dict[str, tuple[str, float]] = {}
        self._step_started: dict[str, float] = {}
        self._built = 0
        self._halt = threading.Event()
        self._lock = threading.Lock()

    def listen(self, instance) -> None:
        """Receive the run's events from ``instance`` (the one the run executes in) as it stores them."""
        instance.add_event_listener(self.run_id, self.on_event)

    def on_event(self, entry) -> None:
        from dagster import DagsterEventType

        # Progress is a courtesy: a failure to show it never disturbs the run.
        with contextlib.suppress(Exception), self._lock:
            if entry.is_dagster_event:
                self._handle(entry, DagsterEventType)

    def stop(self) -> None:
        self._halt.set()
        self.join(timeout=10)

    def run(self) -> None:
        while not self._halt.wait(POLL_S):
            with contextlib.suppress(Exception), self._lock:
                self._draw_bar()

    def _handle(self, entry, kinds) -> None:
        event = entry.dagster_event
        step = event.step_key
        if event.event_type == kinds.STEP_START:
            self._step_started[step] = entry.timestamp
        elif event.event_type == kinds.ASSET_MATERIALIZATION and step == self.dbt_step:
            self._built += 1
        elif event.event_type in (kinds.STEP_SUCCESS, kinds.STEP_FAILURE):
            seconds = entry.timestamp - self._step_started.get(step, entry.timestamp)
            ok = event.event_type == kinds.STEP_SUCCESS
            self.finished[step] = ("ok" if ok else "FAILED", seconds)
            self.console.echo(f"  {'✓' if ok else '✗'} {step} ({seconds:.1f} s)")

    def _draw_bar(self) -> None:
        running = [s for s in self._step_started if s not in self.finished]
        if self.dbt_step in running and self.dbt_models:
            self.console.bar(f"  {self.dbt_step} {bar(self._built, self.dbt_models)} dbt models")
        elif running:
            since = time.time() - min(self._step_started[s] for s in running)
            self.console.bar(f"  running {', '.join(sorted(running))} ({since:.0f} s)")


def summary(
    seconds: float, step_seconds: dict[str, float], published: Path, log_file: Path, slowest: int = 3
) -> list[str]:
    """The lines ``omniops run`` ends with: time and stages, the slowest ones, where the full log is."""
    top = sorted(step_seconds.items(), key=lambda kv: -kv[1])[:slowest]
    return [
        f"done in {seconds:.0f} s: {len(step_seconds)} stages; published {published}",
        "slowest: " + ", ".join(f"{step} {s:.0f} s" for step, s in top),
        f"full log (Dagster, dbt): {log_file}",
    ]


def failure_lines(log_file: Path, lines: int = TAIL_LINES) -> list[str]:
    """The last lines of the log, indented, for the console after a failure."""
    return [f"last {lines} lines of {log_file}:", *(f"    {line}" for line in tail(log_file, lines))]
