"""Worker processes that are safe to start from a threaded program such as a Dagster run.

statsforecast (``n_jobs``) and the Prophet pool start worker processes with multiprocessing's default start
method, which on Linux before Python 3.14 is fork. Forking a process in which other threads run (Dagster's
executor and log watchers) copies the locks those threads hold at that instant, and a child that needs one
hangs forever: this happened in the pipeline. Inside ``safe_workers()`` the default is the fork server
instead: a clean single-threaded process that imports the forecasting stack once and forks workers from
there.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator
from contextlib import contextmanager

PRELOAD = ["statsforecast", "forecasting.models", "forecasting.prophet_model"]


@contextmanager
def safe_workers(n_jobs: int = 2) -> Iterator[None]:
    """Make the fork server the default start method for the duration (nothing to do for one job)."""
    if n_jobs == 1:
        yield
        return
    previous = multiprocessing.get_start_method(allow_none=True)
    multiprocessing.set_forkserver_preload(PRELOAD)
    multiprocessing.set_start_method("forkserver", force=True)
    try:
        yield
    finally:
        multiprocessing.set_start_method(previous, force=True)
