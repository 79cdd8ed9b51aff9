"""Worker processes that are safe to start from a threaded program such as a Dagster run.

statsforecast (``n_jobs``) and the Prophet pool start worker processes with multiprocessing's default start
method, which on Linux before Python 3.14 is fork. Forking a process in which other threads run (Dagster's
executor and log watchers) copies the locks those threads hold at that instant, and a child that needs one
hangs forever: this happened in the pipeline. Inside ``safe_workers()`` the default is the fork server
instead: a clean single-threaded process that imports the forecasting stack once and forks workers from
there.

With a fork server, multiprocessing's resource tracker follows the pools' semaphores, and at exit it
warns about semaphores that the pools had already released ("leaked semaphore objects", "No such file").
They are not leaks; the tracker inherits this process's warning options when it starts, which can be
early (dbt starts it), so importing this module, and ``orchestration.pipeline`` before it runs dbt,
silence that one warning category of that one module.
"""

from __future__ import annotations

import multiprocessing
import sys
import types
from collections.abc import Iterator
from contextlib import contextmanager

TRACKER_WARNINGS = "ignore::UserWarning:multiprocessing.resource_tracker"
PRELOAD = ["statsforecast", "prophet", "cmdstanpy", "forecasting.models", "forecasting.prophet_model"]


def silence_tracker_warnings() -> None:
    """Before the resource tracker starts (dbt starts it too, for its spawn-context locks)."""
    if TRACKER_WARNINGS not in sys.warnoptions:
        sys.warnoptions.append(TRACKER_WARNINGS)


silence_tracker_warnings()


@contextmanager
def safe_workers(n_jobs: int = 2) -> Iterator[None]:
    """Make the fork server the default start method for the duration (nothing to do for one job)."""
    if n_jobs == 1:
        yield
        return
    previous = multiprocessing.get_start_method(allow_none=True)
    multiprocessing.set_forkserver_preload(PRELOAD)
    multiprocessing.set_start_method("forkserver", force=True)
    # A worker re-runs the parent's main script before it starts (multiprocessing's spawn preparation).
    # The workers only run forecasting functions, and the main script can be anything: in a process that
    # has run a Streamlit page (AppTest), __main__ *is* that page, and every worker ran it and crashed.
    main = sys.modules.get("__main__")
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        if main is not None:
            sys.modules["__main__"] = main
        multiprocessing.set_start_method(previous, force=True)
