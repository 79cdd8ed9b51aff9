"""Fixtures of the dashboard tests."""

from __future__ import annotations

import pytest

from tests.dashboards.loopkit import Loops, make_loops


@pytest.fixture()
def loops(built_instance, tmp_path, monkeypatch) -> Loops:
    """The loops' pages on the built warehouse with a fresh operational store (``loopkit``)."""
    made = make_loops(built_instance.home, tmp_path, monkeypatch)
    yield made
    made.store.engine.dispose()
