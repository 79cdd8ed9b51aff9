"""Queries every page shares: the company's settings and when each source was last landed."""

from __future__ import annotations

import pandas as pd

from dashboards.warehouse import query, table_exists


def company_setting(name: str, default: str) -> str:
    """A value of ``seeds.company_profile`` (``default`` when the seed or the setting is missing)."""
    if not table_exists("seeds", "company_profile"):
        return default
    found = query("select value from seeds.company_profile where setting = ?", (name,))
    return default if found.empty else str(found["value"].iloc[0])


def source_freshness() -> pd.DataFrame:
    """Per source: when a file with new data was last landed (UTC) and how many files it has."""
    if not table_exists("landing", "file_ledger"):
        return pd.DataFrame(columns=["source", "last_landed_at", "files"])
    return query(
        "select source, max(landed_at) filter (where status in ('loaded', 'replaced')) as last_landed_at, "
        "count(*) filter (where status in ('loaded', 'replaced', 'unchanged')) as files "
        "from landing.file_ledger group by source order by source"
    )
