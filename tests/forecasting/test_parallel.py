"""Forecast workers start cleanly whatever the parent's main script is."""

from __future__ import annotations

import multiprocessing
import sys
import time
import types

from forecasting.parallel import safe_workers


def test_workers_do_not_rerun_the_parents_main_script(tmp_path, monkeypatch):
    # In a process that has run a Streamlit page, __main__ is that page; a worker that re-ran it crashed.
    script = tmp_path / "page.py"
    script.write_text("raise SystemExit(3)\n")
    page = types.ModuleType("__main__")
    page.__file__ = str(script)
    page.__spec__ = None
    monkeypatch.setitem(sys.modules, "__main__", page)
    with safe_workers(2):
        worker = multiprocessing.Process(target=time.sleep, args=(0,))
        worker.start()
        worker.join(120)
    assert worker.exitcode == 0
    assert sys.modules["__main__"] is page
