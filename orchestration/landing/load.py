"""Load the files of one source table into ``raw.<source>__<table>``, unchanged in meaning.

Every column is kept as text under its original header; lineage columns say where each row came from:
``_source_file`` (path below the landing folder), ``_record_number`` (1-based record in that file),
``_file_sha256`` and ``_loaded_at`` (UTC). Parsing, typing and time zones are staging's job in dbt.

A table is rebuilt from all of its files on every load, so a load is idempotent. Files in another
encoding than UTF-8 (Chinese marketplace exports in GBK) are transcoded to a temporary UTF-8 copy,
since DuckDB reads UTF-8 natively and its encodings extension would need a download.
"""

from __future__ import annotations

import codecs
import hashlib
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from orchestration.landing.sources import SourceTable

RAW_SCHEMA = "raw"


class LandingError(RuntimeError):
    """A source file could not be landed; the message names the file and the reason."""


@dataclass
class TableLoad:
    """What one raw table load did: files read and rows landed per file."""

    raw_table: str
    rows_by_file: dict[str, int] = field(default_factory=dict)

    @property
    def files(self) -> int:
        return len(self.rows_by_file)

    @property
    def rows(self) -> int:
        return sum(self.rows_by_file.values())


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def find_files(landing_dir: Path, spec: SourceTable) -> list[Path]:
    """The files of a source table, in name order (exports are named by period, so oldest first)."""
    return sorted(p for p in (landing_dir / spec.source).glob(spec.pattern) if p.is_file())


@contextmanager
def _utf8_copy(path: Path, encoding: str, workdir: Path) -> Iterator[Path]:
    if encoding.replace("-", "").lower() in ("utf8", "utf8sig"):
        yield path
        return
    target = workdir / (path.name + ".utf8")
    try:
        with path.open("rb") as src, target.open("w", encoding="utf-8", newline="") as dst:
            reader = codecs.getreader(encoding)(src, errors="strict")
            shutil.copyfileobj(reader, dst, 1 << 20)
    except UnicodeDecodeError as exc:
        raise LandingError(f"{path}: not valid {encoding} text ({exc.reason} at byte {exc.start})") from exc
    yield target
    target.unlink(missing_ok=True)


def _sql_str(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _reader_sql(spec: SourceTable, path: Path) -> str:
    if spec.file_format == "jsonl":
        # The whole record stays one JSON value, so keys a channel adds later are never lost.
        return (
            f"select to_json(json) as record from read_json({_sql_str(str(path))}, "
            "format='newline_delimited', records=false)"
        )
    return (
        f"select * from read_csv({_sql_str(str(path))}, header=true, all_varchar=true, "
        f"delim={_sql_str(spec.delimiter)}, quote={_sql_str(spec.quote)}, "
        f"escape={_sql_str(spec.quote)}, normalize_names=false, auto_detect=true)"
    )


def load_table(conn: duckdb.DuckDBPyConnection, landing_dir: Path, spec: SourceTable) -> TableLoad:
    """(Re)build ``raw.<source>__<table>`` from every file matching the spec."""
    files = find_files(landing_dir, spec)
    if not files:
        raise LandingError(
            f"no files for {spec.raw_table}: expected {landing_dir / spec.source / spec.pattern}"
        )
    loaded_at = datetime.now(UTC).replace(tzinfo=None)
    result = TableLoad(spec.raw_table)
    staging = f"{RAW_SCHEMA}._loading_{spec.raw_table}"
    conn.execute(f"create schema if not exists {RAW_SCHEMA}")
    conn.execute(f"drop table if exists {staging}")
    with tempfile.TemporaryDirectory(prefix="omniops-landing-") as tmp:
        for path in files:
            relative = str(path.relative_to(landing_dir))
            with _utf8_copy(path, spec.encoding, Path(tmp)) as readable:
                select = (
                    f"select src.*, {_sql_str(relative)} as _source_file, "
                    f"cast(row_number() over () as bigint) as _record_number, "
                    f"{_sql_str(file_sha256(path))} as _file_sha256, "
                    f"timestamp '{loaded_at.isoformat(sep=' ')}' as _loaded_at "
                    f"from ({_reader_sql(spec, readable)}) as src"
                )
                try:
                    if result.files == 0:
                        conn.execute(f"create table {staging} as {select}")
                    else:
                        conn.execute(f"insert into {staging} by name {select}")
                except duckdb.Error as exc:
                    conn.execute(f"drop table if exists {staging}")
                    first_line = str(exc).strip().splitlines()[0]
                    raise LandingError(f"{path}: cannot be read as {spec.file_format}: {first_line}") from exc
            rows = conn.execute(
                f"select count(*) from {staging} where _source_file = ?", [relative]
            ).fetchone()[0]
            result.rows_by_file[relative] = rows
    conn.execute(f"create or replace table {RAW_SCHEMA}.{spec.raw_table} as select * from {staging}")
    conn.execute(f"drop table {staging}")
    return result
