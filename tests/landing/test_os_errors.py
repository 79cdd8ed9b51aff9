"""An OS error during landing reaches the run's summary line: a warehouse that cannot be opened is
named with the operating system's reason, not Dagster's "Exceeded max_retries of 3"."""

from __future__ import annotations

from dagster import DagsterEventType, materialize

from core.settings import OmniopsPaths
from orchestration.assets.landing import build_landing_asset
from orchestration.pipeline import failure_text
from orchestration.resources import WarehouseResource
from tests.landing.test_broken_files import SHOPIFY_HEADER, lines, shopify_row


def test_a_warehouse_that_cannot_be_opened_names_the_os_error_after_the_retries(tmp_path):
    paths = OmniopsPaths(tmp_path)
    (paths.landing / "shopify").mkdir(parents=True)
    (paths.landing / "shopify" / "orders_export_2026-03.csv").write_text(lines(SHOPIFY_HEADER, shopify_row()))
    paths.build_db.mkdir(parents=True)  # the warehouse file cannot be written: a folder stands there

    result = materialize(
        [build_landing_asset("shopify")],
        resources={"warehouse": WarehouseResource(home=str(tmp_path))},
        raise_on_error=False,
    )

    (failure,) = [e for e in result.all_events if e.event_type == DagsterEventType.STEP_FAILURE]
    text = failure_text(failure.step_failure_data.error)
    assert "Is a directory" in text and str(paths.build_db.name) in text
    assert text.endswith("(after 3 retries)") and not text.startswith("Exceeded")
