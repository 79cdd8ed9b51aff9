"""The catalogue of raw tables: one module per source system declares its tables (format, columns,
types, landing and quality rules; the vocabulary is in ``declaration``), and this package collects them.

Landing (``landing.load``), the GX suites (``quality.suites``) and the dbt sources
(``landing.dbt_sources``) are derived from these declarations; the file formats are described in
``docs/data_sources.md``. Adding a source system is one new module here, listed in ``SYSTEMS``.
"""

from __future__ import annotations

from landing.sources import amazon, cs, erp, mes, shopify, social, stores, tmall, wms
from landing.sources.declaration import Column, SourceSystem, SourceTable

SYSTEMS: tuple[SourceSystem, ...] = (
    shopify.SYSTEM,
    amazon.SYSTEM,
    tmall.SYSTEM,
    social.SYSTEM,
    stores.SYSTEM,
    erp.SYSTEM,
    wms.SYSTEM,
    mes.SYSTEM,
    cs.SYSTEM,
)
SOURCE_TABLES: tuple[SourceTable, ...] = tuple(table for system in SYSTEMS for table in system.tables)


def source_systems() -> list[str]:
    """Source systems in catalogue order, each once."""
    return [system.name for system in SYSTEMS]


def tables_of(source: str) -> list[SourceTable]:
    return [t for t in SOURCE_TABLES if t.source == source]


__all__ = ["SOURCE_TABLES", "SYSTEMS", "Column", "SourceSystem", "SourceTable", "source_systems", "tables_of"]
