"""Land the files of one source table into ``raw.<source>__<table>``, file by file, losing nothing.

Every column is kept as text under its original header; lineage columns say where each row came from:
``_source_file`` (path below the landing folder), ``_record_number`` (1-based record in that file, counting
rejected records too), ``_file_sha256`` and ``_loaded_at`` (UTC). Parsing, typing and time zones are
staging's job in dbt.

Landing is incremental by file, and every file event is a row of ``landing.file_ledger``:

- ``loaded``: a file not seen before; its rows are appended.
- ``replaced``: a known path with a new checksum (a corrected re-export); its old rows (and old
  quarantined rows) are deleted first.
- ``held``: a known path whose new copy would lose rows or orders (a truncated re-delivery); it is
  moved to ``<source>/_held/`` and the landed rows are kept. A delivery named with the ``.correction``
  infix (``orders_export_2026-03.correction.csv``) stands for the plain name and replaces it anyway.
- ``unchanged``: checksums already loaded; nothing is read, the raw table is untouched. One row per run
  and table (``file_path`` is the table's pattern), not one per file.
- ``rejected``: the file is unusable as a whole (or a symbolic link out of the landing folder); it is
  moved to ``<source>/_rejected/`` with a ``.reason.txt`` beside it, and the raw table keeps whatever it
  had. A file the OS will not let us read is rejected but left in place, to be tried again.
- ``ignored``: a file in a source's folder that no table's pattern takes; moved to ``_rejected/``.

``.gz`` exports and ``.zip`` archives of one export are decompressed in chunks to a temporary file and
land like the plain file. Every refused, held or ignored file and every quarantined row is a line of
the run's summary (``landing.report``).

A crash (a kill, a power cut) at any point loses no file and lands none twice. A file's raw rows,
quarantined rows and ledger row are one DuckDB transaction: a crash before its commit leaves nothing of
the file, and the next run lands it whole. A rejected file is recorded first and moved second, so a
crash in between leaves a file the ledger already knows as rejected (same path and checksum): the next
run finishes the move and records nothing again. The same file sent again after it was moved (a copy
is already aside) is recorded again.

A file that disappears from the landing folder keeps its rows: exports are archives, and a folder
cleaned up by hand must not erase history. Running twice on the same files changes nothing.

Which problems reject a whole file, which only a line: a file is rejected when none of its rows can be
trusted as rows of this table: empty, binary (a NUL byte) or not text (no encoding below), a
required column missing (a wrong delimiter shows up this way) or a column named twice. Anything else is
decided line by line: DuckDB's own structural rejects (wrong number of fields, an unterminated quote,
such as the cut last line of a truncated file) and rows failing the table's validation rules
(``landing/sources/``) go to ``landing.quarantine`` with their physical line number (header = line 1); every
other row lands. So for every file rows_read = rows_loaded + rows_rejected (a check of the ledger).

Encodings: UTF-16 or UTF-32 with a BOM, UTF-8 (a BOM is stripped), else GB18030 (a superset of GBK,
what Chinese marketplaces export without saying so). A file in any of them but plain UTF-8 is
transcoded to a temporary UTF-8 copy, since DuckDB reads UTF-8
natively and its encodings extension would need a download.
"""

from __future__ import annotations

import contextlib
import csv
import gzip
import hashlib
import io
import json
import os
import shutil
import tempfile
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from fnmatch import fnmatchcase
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from core.failpoints import failpoint
from landing.sources import Column, SourceTable

RAW_SCHEMA = "raw"
LANDING_SCHEMA = "landing"
LEDGER_TABLE = f"{LANDING_SCHEMA}.file_ledger"
QUARANTINE_TABLE = f"{LANDING_SCHEMA}.quarantine"
REJECTED_FOLDER = "_rejected"
HELD_FOLDER = "_held"
CURRENT_STATUSES = ("loaded", "replaced")
# Files that leave the landing folder, and where to: the reason is written beside each.
MOVED_TO = {"rejected": REJECTED_FOLDER, "ignored": REJECTED_FOLDER, "held": HELD_FOLDER}
# The run lands everything else but says so (one line per file) and `omniops run` exits 2.
TROUBLE_STATUSES = ("rejected", "held", "ignored")
CORRECTION_INFIX = ".correction"
COMPRESSED = (".gz", ".zip")

_LEDGER_DDL = f"""
create table if not exists {LEDGER_TABLE} (
    file_path varchar not null,
    source varchar not null,
    raw_table varchar not null,
    size_bytes bigint,
    sha256 varchar,
    rows_read bigint not null,
    rows_loaded bigint not null,
    rows_rejected bigint not null,
    status varchar not null,
    error_text varchar,
    notes varchar,
    overlapping_orders bigint,
    landed_at timestamp not null,
    run_id varchar not null,
    check (rows_read = rows_loaded + rows_rejected)
)
"""

_QUARANTINE_DDL = f"""
create table if not exists {QUARANTINE_TABLE} (
    file_path varchar not null,
    source varchar not null,
    raw_table varchar not null,
    file_sha256 varchar not null,
    line_number bigint,
    raw_text varchar,
    reason varchar not null,
    landed_at timestamp not null,
    run_id varchar not null
)
"""


class LandingError(RuntimeError):
    """A table cannot be landed at all; the message names the table or file and the reason."""


class FileRejected(Exception):
    """The file is unusable as a whole; the message is the reason (without the file name)."""


@dataclass
class FileEvent:
    """One row of the file ledger."""

    file_path: str
    status: str
    size_bytes: int
    sha256: str | None
    rows_read: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    error_text: str | None = None
    notes: str | None = None
    overlapping_orders: int | None = None
    move: bool = True  # a refused file is moved aside (not one that could not be read: tried again)


@dataclass
class TableLoad:
    """What one landing of a raw table did, file by file."""

    raw_table: str
    events: list[FileEvent] = field(default_factory=list)

    @property
    def rows_by_file(self) -> dict[str, int]:
        """Rows landed in this load, per file read (unchanged and rejected files not included)."""
        return {e.file_path: e.rows_loaded for e in self.events if e.status in CURRENT_STATUSES}

    @property
    def files(self) -> int:
        return len(self.rows_by_file)

    @property
    def rows(self) -> int:
        return sum(self.rows_by_file.values())

    @property
    def rejected(self) -> list[FileEvent]:
        return [e for e in self.events if e.status == "rejected"]


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def canonical_name(name: str) -> str:
    """The name a delivery stands for: ``orders_export_2026-03.correction.csv`` corrects
    ``orders_export_2026-03.csv`` (the ``.correction`` infix marks a shrinking re-delivery as wanted)."""
    return name.replace(CORRECTION_INFIX + ".", ".", 1)


def _zip_members(path: Path) -> list[str] | None:
    """The files inside a zip archive (folders and macOS resource forks left out); None if not a zip."""
    try:
        with zipfile.ZipFile(path) as archive:
            return [
                m.filename
                for m in archive.infolist()
                if not m.is_dir() and not m.filename.startswith("__MACOSX/")
            ]
    except (zipfile.BadZipFile, OSError):
        return None


def matches(path: Path, spec: SourceTable) -> bool:
    """Whether a delivery is a file of the table: its (canonical) name matches the pattern, or does
    once ``.gz``/``.zip`` is taken off, or it is a zip holding one file whose name matches."""
    name = canonical_name(path.name)
    if fnmatchcase(name, spec.pattern):
        return True
    for suffix in COMPRESSED:
        if name.endswith(suffix) and fnmatchcase(name.removesuffix(suffix), spec.pattern):
            return True
    if name.endswith(".zip") and not path.is_symlink():
        members = _zip_members(path)
        return members is not None and len(members) == 1 and fnmatchcase(Path(members[0]).name, spec.pattern)
    return False


def _deliveries(folder: Path) -> list[Path]:
    """The files delivered to a source's folder: hidden and ``_``-prefixed names (``_rejected/``,
    ``_held/``, the demo's ``_manifest.json``) are not deliveries; a symbolic link is, wherever it points."""
    if not folder.is_dir():
        return []
    return [
        p for p in folder.iterdir() if not p.name.startswith((".", "_")) and (p.is_symlink() or p.is_file())
    ]


def find_files(landing_dir: Path, spec: SourceTable) -> list[Path]:
    """The files of a source table in arrival order: modification time, then name. Landing them in this
    order (each with a later ``_loaded_at``) lets a corrected re-export win over the export it corrects,
    and a rebuild from the same folder land them in the same order as the days they arrived.
    ``_rejected/`` and ``_held/`` are subfolders: a file moved there is never picked up again."""
    files = [p for p in _deliveries(landing_dir / spec.source) if matches(p, spec)]
    return sorted(files, key=lambda p: (p.lstat().st_mtime_ns, p.name))


def unknown_files(landing_dir: Path, source: str, specs: list[SourceTable]) -> list[Path]:
    """The files in a source's folder that no table of the source claims, in name order."""
    return sorted(p for p in _deliveries(landing_dir / source) if not any(matches(p, spec) for spec in specs))


def _outside(path: Path, landing_dir: Path) -> bool:
    """A symbolic link whose target lies outside the landing folder (or nowhere)."""
    if not path.is_symlink():
        return False
    try:
        target = path.resolve()
    except (OSError, RuntimeError):  # a loop of links
        return True
    return not (target.is_file() and target.is_relative_to(landing_dir.resolve()))


def delivery_sha256(path: Path, landing_dir: Path) -> str:
    """The file's checksum; for a link out of the landing folder, of the link itself (never followed)."""
    if _outside(path, landing_dir):
        return hashlib.sha256(b"symlink:" + os.readlink(path).encode()).hexdigest()
    return file_sha256(path)


def _unpacked(path: Path, workdir: Path) -> Path:
    """The file to read: the delivery itself, or a ``.gz``/``.zip`` export decompressed into ``workdir``
    in chunks (never whole in memory)."""
    name = canonical_name(path.name)
    try:
        if name.endswith(".gz"):
            target = workdir / Path(name.removesuffix(".gz")).name
            with gzip.open(path, "rb") as source, target.open("wb") as out:
                shutil.copyfileobj(source, out, 1 << 20)
            return target
        if name.endswith(".zip"):
            members = _zip_members(path)
            if members is None:
                raise FileRejected("not a valid zip archive")
            if len(members) != 1:
                raise FileRejected(f"the zip archive holds {len(members)} files: expected one export")
            target = workdir / Path(members[0]).name
            with (
                zipfile.ZipFile(path) as archive,
                archive.open(members[0]) as source,
                target.open("wb") as out,
            ):
                shutil.copyfileobj(source, out, 1 << 20)
            return target
    except (gzip.BadGzipFile, zipfile.BadZipFile, EOFError, zlib.error) as exc:
        raise FileRejected(f"cannot decompress it: {exc or type(exc).__name__}") from exc
    return path


def ensure_landing_tables(conn: duckdb.DuckDBPyConnection) -> None:
    _sql(conn, f"create schema if not exists {RAW_SCHEMA}")
    _sql(conn, f"create schema if not exists {LANDING_SCHEMA}")
    _sql(conn, _LEDGER_DDL)
    _sql(conn, _QUARANTINE_DDL)


def _sql(conn: duckdb.DuckDBPyConnection, query: str, params: list | None = None) -> list[tuple]:
    """Run a statement and fetch everything: DuckDB refuses new work while a result is unfinished."""
    return conn.execute(query, params or []).fetchall()


def _sql_str(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _table_exists(conn: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    return bool(
        _sql(
            conn,
            "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
            [schema, table],
        )[0][0]
    )


def _columns(conn: duckdb.DuckDBPyConnection, schema: str, table: str) -> list[str]:
    rows = _sql(
        conn,
        "select column_name from information_schema.columns where table_schema = ? and table_name = ? "
        "order by ordinal_position",
        [schema, table],
    )
    return [name for (name,) in rows]


# --- reading: bytes → text → records -------------------------------------------------------------


UTF8_BOM = b"\xef\xbb\xbf"


# Longest first: the UTF-32 LE mark begins with the UTF-16 LE one.
UNICODE_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)


def decode_text(data: bytes) -> tuple[str, str]:
    """The file's text and its encoding: UTF-16 or UTF-32 with a byte-order mark (as Excel's "Unicode
    text" writes), strict UTF-8 (a BOM is stripped: ``utf-8-sig``), else strict GB18030; anything else
    is rejected."""
    for bom, encoding in UNICODE_BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as exc:
                name = encoding[:6].upper()
                raise FileRejected(
                    f"{name} with a broken byte at offset {exc.start}: convert to UTF-8"
                ) from exc
            if not text.strip():
                raise FileRejected("empty file")
            return text, encoding
    if not data.removeprefix(UTF8_BOM).strip():
        raise FileRejected("empty file")
    if b"\x00" in data:
        head = data[:4096]
        if head.count(b"\x00") * 3 >= len(head):  # every other (or 3 of 4) byte NUL: wide text
            raise FileRejected("looks like UTF-16 or UTF-32 without a byte-order mark: convert to UTF-8")
        raise FileRejected("binary file (NUL byte), not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            return data.decode("gb18030"), "gb18030"
        except UnicodeDecodeError as exc:
            raise FileRejected(
                f"not text: neither UTF-8 nor GB18030 (byte 0x{data[exc.start]:02x} at offset {exc.start})"
            ) from exc
    if text.startswith("\ufeff"):
        return text[1:], "utf-8-sig"
    return text, "utf-8"


@dataclass
class _Records:
    """The physical line span of every data record: ``first[i]``/``last[i]`` are the lines (header = 1)
    of record ``i + 1`` (1-based, counting rejected records too)."""

    first: np.ndarray
    last: np.ndarray

    def __len__(self) -> int:
        return len(self.first)

    @property
    def number(self) -> np.ndarray:
        return np.arange(1, len(self.first) + 1, dtype=np.int64)


def _csv_records(text: str, spec: SourceTable) -> tuple[list[str], _Records]:
    """Header and the physical line span of every data record, as Python's csv reads them; used for
    line numbers and the text of quarantined rows (DuckDB counts records, not physical lines)."""
    reader = _csv_reader(text, spec)
    header: list[str] | None = None
    first: list[int] = []
    last: list[int] = []
    previous = 0
    total_lines = _physical_lines(text)
    try:
        for row in reader:
            start, previous = previous + 1, reader.line_num
            if not row:
                continue
            if header is None:
                header = row
            else:
                first.append(start)
                last.append(previous)
    except csv.Error:
        # An unterminated quote runs to the end of the file: one (broken) record.
        first.append(previous + 1)
        last.append(total_lines)
    return header or [], _Records(np.array(first, dtype=np.int64), np.array(last, dtype=np.int64))


def _csv_reader(text: str, spec: SourceTable):
    quoting = {"quotechar": spec.quote} if spec.quote else {"quoting": csv.QUOTE_NONE}
    return csv.reader(io.StringIO(text, newline=""), delimiter=spec.delimiter, **quoting)


def _csv_header(text: str, spec: SourceTable) -> list[str]:
    """The first non-empty record, as Python's csv reads it."""
    try:
        for row in _csv_reader(text, spec):
            if row:
                return row
    except csv.Error:
        pass
    return []


def _physical_lines(text: str) -> int:
    return text.count("\n") + (0 if text.endswith("\n") else 1)


def _check_header(header: list[str], spec: SourceTable) -> None:
    seen: set[str] = set()
    for name in header:
        if name in seen:
            raise FileRejected(f"column '{name}' appears twice in the header")
        seen.add(name)
    missing = [c for c in spec.landing.required if c not in seen]
    if missing:
        names = ", ".join(f"'{c}'" for c in missing)
        reason = f"missing required column{'s' if len(missing) > 1 else ''} {names}"
        if len(header) == 1:
            reason += f" (the header has one column when split on {spec.delimiter!r}: wrong delimiter?)"
        raise FileRejected(reason)


# --- validation ------------------------------------------------------------------------------------


def _value_sql(spec: SourceTable, column: str) -> str:
    if spec.file_format == "jsonl":
        return f"json_extract_string(record, {_sql_str('$.' + json.dumps(column))})"
    return _ident(column)


def _label(column: str) -> str:
    return _sql_str(f"column {column!r}: '")


def _empty_check(v: str, column: str) -> str:
    return f"case when nullif(trim({v}), '') is null then {_sql_str(f'column {column!r} is empty')} end"


def _whole_number_check(v: str, column: Column) -> str:
    label, number, minimum = _label(column.name), f"try_cast(trim({v}) as bigint)", column.kind.minimum
    cases = [f"when {number} is null then {label} || {v} || ''' is not a whole number'"]
    if minimum is not None:
        cases.append(f"when {number} < {minimum} then {label} || {v} || ''' is below {minimum}'")
    return f"case when nullif(trim({v}), '') is null then null {' '.join(cases)} end"


def _number_check(v: str, column: str) -> str:
    return (
        f"case when nullif(trim({v}), '') is not null and try_cast(trim({v}) as double) is null "
        f"then {_label(column)} || {v} || ''' is not a number' end"
    )


def _time_check(v: str, column: Column, limit: str) -> str:
    """Parses in one of the column's formats and, unless it may lie ahead, is not after ``limit``."""
    formats, label = column.kind.format.strptime, _label(column.name)
    with_zone = any("%z" in f for f in formats)

    def parse(f: str) -> str:
        parsed = f"try_strptime(trim({v}), {_sql_str(f)})"
        # a literal trailing Z is UTC: one type (timestamptz) for coalesce, not the session's zone
        return f"timezone('UTC', {parsed})" if with_zone and f.endswith("Z") and "%z" not in f else parsed

    parsed = "coalesce(" + ", ".join(parse(f) for f in formats) + ")"
    bound = f"timestamptz '{limit}+00'" if with_zone else f"timestamp '{limit}'"
    not_parsed = _sql_str(f"' does not parse as {' or '.join(formats)}")
    cases = [f"when {parsed} is null then {label} || {v} || {not_parsed}"]
    if not column.kind.may_be_future:
        cases.append(f"when {parsed} > {bound} then {label} || {v} || ''' is in the future'")
    return f"case when nullif(trim({v}), '') is null then null {' '.join(cases)} end"


def _reason_sql(spec: SourceTable, present: set[str] | None, now: datetime) -> str:
    """One SQL expression per row: the reasons it fails validation joined by '; ', or NULL. A check on
    a column the file lacks is left out (``present``; None for JSON lines: any key may be there)."""
    rules = spec.landing
    limit = (now + timedelta(days=1)).replace(tzinfo=None).isoformat(sep=" ", timespec="seconds")

    def has(column: str) -> bool:
        return present is None or column in present

    checks = [
        *(_empty_check(_value_sql(spec, c), c) for c in rules.not_null if has(c)),
        *(_whole_number_check(_value_sql(spec, c.name), c) for c in rules.whole_numbers if has(c.name)),
        *(_number_check(_value_sql(spec, c), c) for c in rules.numbers if has(c)),
        *(_time_check(_value_sql(spec, c.name), c, limit) for c in rules.timestamps if has(c.name)),
    ]
    if not checks:
        return "cast(null as varchar)"
    return f"nullif(concat_ws('; ', {', '.join(checks)}), '')"


# --- one file --------------------------------------------------------------------------------------


@dataclass
class _Quarantined:
    line_number: int | None
    raw_text: str
    reason: str


class _FileLoader:
    """Reads one file into the temp table ``_omniops_file``: ``_k`` (row order), the file's columns,
    ``_record_number``, ``_first``/``_last`` (physical lines) and ``_reason`` (NULL = the row lands);
    structural rejects and failed rows are collected in ``quarantined``."""

    def __init__(self, conn: duckdb.DuckDBPyConnection, spec: SourceTable, now: datetime, workdir: Path):
        self.conn, self.spec, self.now, self.workdir = conn, spec, now, workdir
        self.quarantined: list[_Quarantined] = []
        self.rows_read = 0
        self.columns: list[str] = []
        self.text = ""
        self._lines: list[str] | None = None

    @property
    def lines(self) -> list[str]:
        """The file's physical lines, split only when a row is quarantined (or for JSON lines)."""
        if self._lines is None:
            self._lines = self.text.split("\n")
        return self._lines

    def _text_of(self, first: int, last: int) -> str:
        return "\n".join(line.rstrip("\r") for line in self.lines[first - 1 : last])

    def read(self, path: Path) -> None:
        text, encoding = decode_text(path.read_bytes())
        self.text = text
        _sql(self.conn, "drop table if exists _omniops_file")
        if self.spec.file_format == "jsonl":
            self._read_jsonl()
        else:
            # DuckDB reads the file itself when it is plain UTF-8; otherwise a UTF-8 copy without BOM.
            self._read_csv(text, path if encoding == "utf-8" else self._utf8_file(text, "file.csv"))
        reason = _reason_sql(
            self.spec, None if self.spec.file_format == "jsonl" else set(self.columns), self.now
        )
        try:
            _sql(
                self.conn,
                f"create or replace temp table _omniops_file as select *, {reason} as _reason "
                "from _omniops_read",
            )
        finally:
            _sql(self.conn, "drop view if exists _omniops_read")
            _sql(self.conn, "drop table if exists _omniops_raw")
            for name in ("_omniops_positions", "_omniops_lines"):
                with contextlib.suppress(duckdb.Error):
                    self.conn.unregister(name)
        for line, first, last, why in _sql(
            self.conn,
            "select _first, _first, _last, _reason from _omniops_file where _reason is not null order by _k",
        ):
            self.quarantined.append(_Quarantined(line, self._text_of(first, last), why))

    def _utf8_file(self, text: str, name: str) -> Path:
        target = self.workdir / name
        target.write_text(text, encoding="utf-8", newline="")
        return target

    def _read_csv(self, text: str, readable: Path) -> None:
        header = _csv_header(text, self.spec)
        _check_header(header, self.spec)
        self.columns = header
        columns = "{" + ", ".join(f"{_sql_str(c)}: 'VARCHAR'" for c in header) + "}"
        _sql(self.conn, "drop table if exists _omniops_rejects")
        _sql(self.conn, "drop table if exists _omniops_rejects_scan")
        try:
            _sql(
                self.conn,
                "create or replace temp table _omniops_raw as select row_number() over () as _k, * from "
                f"read_csv({_sql_str(str(readable))}, header=true, auto_detect=false, columns={columns}, "
                f"delim={_sql_str(self.spec.delimiter)}, quote={_sql_str(self.spec.quote)}, "
                f"escape={_sql_str(self.spec.quote)}, strict_mode=true, null_padding=false, "
                "ignore_errors=true, store_rejects=true, rejects_table='_omniops_rejects', "
                "rejects_scan='_omniops_rejects_scan')",
            )
        except duckdb.Error as exc:
            raise FileRejected(f"DuckDB cannot read it: {str(exc).strip().splitlines()[0]}") from exc
        rejects = _sql(
            self.conn,
            "select line, min(csv_line), string_agg(error_message, '; ' order by column_idx) "
            "from _omniops_rejects group by line order by line",
        )
        (accepted,) = _sql(self.conn, "select count(*) from _omniops_raw")[0]
        if not rejects and accepted == _physical_lines(text) - 1:
            # Every record one line, none rejected (the usual file): positions follow from the row order,
            # without Python's csv pass over the whole file (a quarter of the landing time).
            self.rows_read = accepted
            _sql(
                self.conn,
                "create or replace temp view _omniops_read as select *, _k as _record_number, "
                "_k + 1 as _first, _k + 1 as _last from _omniops_raw",
            )
            return
        # DuckDB numbers records (header = 1); Python's csv gives each record's physical lines.
        _, records = _csv_records(text, self.spec)
        aligned = accepted + len(rejects) == len(records)
        rejected = np.zeros(len(records), dtype=bool)
        for line, csv_line, message in rejects:
            number = line - 1
            if aligned and 1 <= number <= len(records):
                rejected[number - 1] = True
                first, last = int(records.first[number - 1]), int(records.last[number - 1])
                self.quarantined.append(_Quarantined(first, self._text_of(first, last), message))
            else:
                self.quarantined.append(_Quarantined(line, csv_line, message))
        self.rows_read = accepted + len(rejects)
        if aligned:
            keep = ~rejected
            number, first, last = records.number[keep], records.first[keep], records.last[keep]
        else:  # parsers disagree on record boundaries: fall back to DuckDB's record count
            number = np.arange(1, accepted + 1, dtype=np.int64)
            first = last = number + 1
        if (
            (number == np.arange(1, len(number) + 1)).all()
            and (first == number + 1).all()
            and (last == first).all()
        ):
            # Every record one line, none rejected (the usual file): positions follow from the row order.
            _sql(
                self.conn,
                "create or replace temp view _omniops_read as select *, _k as _record_number, "
                "_k + 1 as _first, _k + 1 as _last from _omniops_raw",
            )
            return
        self._register_positions(number, first, last)
        _sql(
            self.conn,
            "create or replace temp view _omniops_read as select r.*, p._record_number, "
            "p._first, p._last from _omniops_raw r join _omniops_positions p using (_k)",
        )

    def _register_positions(self, number: np.ndarray, first: np.ndarray, last: np.ndarray) -> None:
        positions = pd.DataFrame(
            {
                "_k": np.arange(1, len(number) + 1, dtype=np.int64),
                "_record_number": np.asarray(number, dtype=np.int64),
                "_first": np.asarray(first, dtype=np.int64),
                "_last": np.asarray(last, dtype=np.int64),
            }
        )
        self.conn.register("_omniops_positions", positions)

    def _read_jsonl(self) -> None:
        """Each non-blank line is a record; DuckDB checks them all, Python's json names what is wrong
        with the few that fail."""
        text = pd.Series(self.lines, dtype=object)
        present = (text.str.strip() != "").to_numpy()
        line_number = np.flatnonzero(present).astype(np.int64) + 1
        lines = pd.DataFrame(
            {
                "_record_number": np.arange(1, len(line_number) + 1, dtype=np.int64),
                "_first": line_number,
                "line": text[present].str.rstrip("\r").to_numpy(dtype=object),
            }
        )
        self.rows_read = len(lines)
        self.columns = ["record"]
        self.conn.register("_omniops_lines", lines)
        suspect = _sql(
            self.conn,
            "select _record_number from _omniops_lines where not coalesce(json_valid(line), false) "
            "or json_type(case when json_valid(line) then line end) is distinct from 'OBJECT' "
            "order by _record_number",
        )
        bad: set[int] = set()
        for (number,) in suspect:
            line = lines["line"].iat[number - 1]
            try:
                value = json.loads(line)
            except json.JSONDecodeError as exc:
                reason = f"not valid JSON: {exc.msg} at column {exc.colno}"
            else:
                if isinstance(value, dict):
                    continue  # valid for Python: DuckDB's cast below decides
                reason = "not a JSON object"
            bad.add(number)
            self.quarantined.append(_Quarantined(int(line_number[number - 1]), line, reason))
        keep = ~np.isin(lines["_record_number"].to_numpy(), sorted(bad))
        self.conn.unregister("_omniops_lines")
        self.conn.register("_omniops_lines", lines[keep])
        # The whole record stays one JSON value, exactly as written (offsets kept), so keys a channel
        # adds later are never lost.
        try:
            _sql(
                self.conn,
                "create or replace temp table _omniops_raw as select row_number() over (order by "
                "_record_number) as _k, cast(line as json) as record, _record_number, _first, "
                "_first as _last from _omniops_lines",
            )
        except duckdb.Error as exc:
            raise FileRejected(f"DuckDB cannot read it: {str(exc).strip().splitlines()[0]}") from exc
        finally:
            self.conn.unregister("_omniops_lines")
        _sql(self.conn, "create or replace temp view _omniops_read as select * from _omniops_raw")


def _move_aside(path: Path, landing_dir: Path, sha: str, error_text: str, folder: str) -> None:
    """Move a refused or held file out of the way, with the reason beside it, so the next run does not
    retry it and whoever deals with it finds why. Called after the ledger row is committed; the reason
    is written before the move, so a crash in between leaves the file where the next run finds and
    moves it. A different file moved earlier under the same name is kept: the new one gets its checksum
    in its name."""
    target_dir = path.parent / folder
    target_dir.mkdir(exist_ok=True)
    target = target_dir / path.name
    if (target.exists() or target.is_symlink()) and delivery_sha256(target, landing_dir) != sha:
        target = target_dir / f"{path.stem}.{sha[:12]}{path.suffix}"
    reason = target_dir / f"{target.name}.reason.txt"
    partial = reason.with_name(reason.name + ".tmp")
    partial.write_text(error_text + "\n", encoding="utf-8")
    partial.replace(reason)
    path.replace(target)


@dataclass(frozen=True)
class _Refusal:
    status: str
    sha256: str
    error_text: str
    rows_read: int


def _recorded_refusals(conn: duckdb.DuckDBPyConnection, raw_table: str) -> dict[str, _Refusal]:
    """path → the latest event of every file whose latest ledger event moved it aside."""
    rows = _sql(
        conn,
        f"select file_path, arg_max(status, rowid), arg_max(sha256, rowid), arg_max(error_text, rowid), "
        f"arg_max(rows_read, rowid) from {LEDGER_TABLE} where raw_table = ? group by file_path",
        [raw_table],
    )
    return {
        path: _Refusal(status, sha, error, read)
        for path, status, sha, error, read in rows
        if status in MOVED_TO and sha
    }


SENT_AGAIN = " (sent again)"


def _refused_before(
    path: Path, landing_dir: Path, relative: str, sha: str, refusals: dict[str, _Refusal]
) -> tuple[bool, FileEvent | None]:
    """Whether the ledger already refused or held this very file (path and checksum), and the event to
    record now. Still in place with no copy aside: a crash came between recording and moving it, so
    the move is finished and nothing recorded twice (True, None). A copy already aside: the same file
    was sent again, and gets its own event."""
    refusal = refusals.get(relative)
    if refusal is None or refusal.sha256 != sha:
        return False, None
    aside = path.parent / MOVED_TO[refusal.status] / path.name
    if not ((aside.exists() or aside.is_symlink()) and delivery_sha256(aside, landing_dir) == sha):
        _move_aside(path, landing_dir, sha, refusal.error_text, MOVED_TO[refusal.status])
        return True, None
    error = refusal.error_text.removesuffix(SENT_AGAIN) + SENT_AGAIN
    held = refusal.rows_read if refusal.status == "held" else 0
    return True, FileEvent(relative, refusal.status, path.lstat().st_size, sha, held, 0, held, error)


def _landed_before(conn: duckdb.DuckDBPyConnection, raw_table: str) -> set[tuple[str, str]]:
    """(path, checksum) of every copy ever landed: a copy replaced since (the export a correction
    replaced, still in the folder beside it) is not landed again, or the two would take turns."""
    rows = _sql(
        conn,
        f"select distinct file_path, sha256 from {LEDGER_TABLE} "
        f"where raw_table = ? and status in {CURRENT_STATUSES}",
        [raw_table],
    )
    return set(rows)


def _current_files(conn: duckdb.DuckDBPyConnection, raw_table: str) -> dict[str, str]:
    """path → checksum of every file whose rows are in the raw table now: its latest loaded/replaced
    event (the ledger is append-only, so rowid is the event order)."""
    rows = _sql(
        conn,
        f"select file_path, arg_max(sha256, rowid) from {LEDGER_TABLE} "
        f"where raw_table = ? and status in {CURRENT_STATUSES} group by file_path",
        [raw_table],
    )
    return dict(rows)


def _relative(path: Path, landing_dir: Path) -> str:
    """The path below the landing folder the delivery stands for (a correction: the file it corrects)."""
    return (path.parent / canonical_name(path.name)).relative_to(landing_dir).as_posix()


def _cannot_read(relative: str, exc: OSError) -> str:
    return f"{relative}: cannot read it: {exc.strerror or exc} (left in place, tried again next run)"


def _shrinks(conn: duckdb.DuckDBPyConnection, spec: SourceTable, relative: str) -> str | None:
    """Why a re-delivery of a landed path would lose rows: fewer rows than are landed from it, or
    orders it had that it no longer has; None when it loses nothing."""
    target = f"{RAW_SCHEMA}.{spec.raw_table}"
    (old,) = _sql(conn, f"select count(*) from {target} where _source_file = ?", [relative])[0]
    (new,) = _sql(conn, "select count(*) from _omniops_file where _reason is null")[0]
    reasons = []
    if new < old:
        reasons.append(f"{new} rows where {old} are landed from it")
    if spec.order_id:
        order_id = _value_sql(spec, spec.order_id)
        missing = [
            order
            for (order,) in _sql(
                conn,
                f"select distinct {order_id} as o from {target} where _source_file = ? and o is not null "
                f"and o not in (select {order_id} from _omniops_file where _reason is null and "
                f"{order_id} is not null) order by 1",
                [relative],
            )
        ]
        if missing:
            shown = ", ".join(missing[:5]) + (", …" if len(missing) > 5 else "")
            reasons.append(f"{len(missing)} order(s) it had are missing ({shown})")
    if not reasons:
        return None
    return "re-delivery held: " + "; ".join(reasons)


def _land_file(
    conn: duckdb.DuckDBPyConnection,
    landing_dir: Path,
    spec: SourceTable,
    path: Path,
    sha: str,
    current: dict[str, str],
    landed_at: datetime,
    run_id: str,
    workdir: Path,
) -> FileEvent:
    relative = _relative(path, landing_dir)
    correction = relative != path.relative_to(landing_dir).as_posix()
    event = FileEvent(relative, "loaded", path.lstat().st_size, sha)
    if correction:
        event.notes = f"correction delivered as {path.name}"
    if _outside(path, landing_dir):
        event.status = "rejected"
        event.error_text = (
            f"{relative}: a symbolic link pointing outside the landing folder (or nowhere): copy the file in"
        )
        return event
    if sha in current.values() or (relative, sha) in _landed_before(conn, spec.raw_table):
        event.status = "unchanged"
        return event
    target = f"{RAW_SCHEMA}.{spec.raw_table}"
    loader = _FileLoader(conn, spec, landed_at.replace(tzinfo=UTC), workdir)
    try:
        loader.read(_unpacked(path, workdir))
    except FileRejected as exc:
        event.status, event.error_text = "rejected", f"{relative}: {exc}"
        return event
    except OSError as exc:
        event.status, event.error_text, event.move = "rejected", _cannot_read(relative, exc), False
        return event

    exists = _table_exists(conn, RAW_SCHEMA, spec.raw_table)
    if relative in current and exists and not correction:
        held = _shrinks(conn, spec, relative)
        if held:
            _sql(conn, "drop table if exists _omniops_file")
            event.status, event.rows_read, event.rows_rejected = "held", loader.rows_read, loader.rows_read
            fix = (Path(relative).parent / _correction_name(Path(relative).name)).as_posix()
            event.error_text = (
                f"{relative}: {held}; its landed rows are kept. Moved to {spec.source}/{HELD_FOLDER}/; "
                f"if it is a correction, deliver it again as {fix}"
            )
            return event

    _sql(conn, "begin transaction")
    try:
        if relative in current and exists:
            event.status = "replaced"
            _sql(conn, f"delete from {target} where _source_file = ?", [relative])
            _sql(
                conn,
                f"delete from {QUARANTINE_TABLE} where file_path = ? and raw_table = ?",
                [relative, spec.raw_table],
            )
        notes: list[str] = [event.notes] if event.notes else []
        if exists:
            existing = _columns(conn, RAW_SCHEMA, spec.raw_table)
            for column in loader.columns:
                if column not in existing:
                    _sql(conn, f"alter table {target} add column {_ident(column)} varchar")
                    notes.append(f"extra column {column!r} kept")
            notes += [
                f"column {c!r} absent (left empty)"
                for c in existing
                if not c.startswith("_") and c not in loader.columns
            ]
            if spec.order_id and spec.order_id in loader.columns:
                order_id = _value_sql(spec, spec.order_id)
                (event.overlapping_orders,) = _sql(
                    conn,
                    f"select count(distinct {order_id}) from _omniops_file where _reason is null and "
                    f"{order_id} in (select {order_id} from {target} where _source_file <> ?)",
                    [relative],
                )[0]
        elif spec.order_id:
            event.overlapping_orders = 0
        columns = ", ".join(_ident(c) for c in loader.columns)
        select = (
            f"select {columns}, {_sql_str(relative)} as _source_file, _record_number, "
            f"{_sql_str(sha)} as _file_sha256, timestamp '{landed_at.isoformat(sep=' ')}' as _loaded_at "
            "from _omniops_file where _reason is null order by _k"
        )
        if exists:
            _sql(conn, f"insert into {target} by name {select}")
        else:
            _sql(conn, f"create table {target} as {select}")
        (event.rows_loaded,) = _sql(conn, "select count(*) from _omniops_file where _reason is null")[0]
        event.rows_read = loader.rows_read
        event.rows_rejected = len(loader.quarantined)
        event.notes = "; ".join(notes) or None
        if loader.quarantined:
            conn.executemany(
                f"insert into {QUARANTINE_TABLE} values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    [
                        relative,
                        spec.source,
                        spec.raw_table,
                        sha,
                        q.line_number,
                        q.raw_text,
                        q.reason,
                        landed_at,
                        run_id,
                    ]
                    for q in sorted(loader.quarantined, key=lambda q: q.line_number or 0)
                ],
            )
        _record(conn, spec.source, spec.raw_table, event, landed_at, run_id)
        failpoint("landing.before_commit")
        _sql(conn, "commit")
    except BaseException:
        _sql(conn, "rollback")
        raise
    finally:
        _sql(conn, "drop table if exists _omniops_file")
    return event


def _correction_name(name: str) -> str:
    """``orders_export_2026-03.csv`` → ``orders_export_2026-03.correction.csv``."""
    stem, dot, suffixes = name.partition(".")
    return f"{stem}{CORRECTION_INFIX}{dot}{suffixes}" if dot else name + CORRECTION_INFIX


def _record(
    conn: duckdb.DuckDBPyConnection,
    source: str,
    raw_table: str,
    event: FileEvent,
    landed_at: datetime,
    run_id: str,
) -> None:
    _sql(
        conn,
        f"insert into {LEDGER_TABLE} values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            event.file_path,
            source,
            raw_table,
            event.size_bytes,
            event.sha256,
            event.rows_read,
            event.rows_loaded,
            event.rows_rejected,
            event.status,
            event.error_text,
            event.notes,
            event.overlapping_orders,
            landed_at,
            run_id,
        ],
    )


def _finish(
    conn: duckdb.DuckDBPyConnection,
    landing_dir: Path,
    source: str,
    raw_table: str,
    path: Path,
    event: FileEvent,
    landed_at: datetime,
    run_id: str,
) -> None:
    """Record a refused, held or ignored file (one statement, so committed on its own: the event is
    recorded whole or not at all), then move it aside."""
    _record(conn, source, raw_table, event, landed_at, run_id)
    if event.move and event.status in MOVED_TO:
        failpoint("landing.before_reject_move")
        _move_aside(
            path, landing_dir, event.sha256 or "", event.error_text or event.status, MOVED_TO[event.status]
        )


def load_table(
    conn: duckdb.DuckDBPyConnection,
    landing_dir: Path,
    spec: SourceTable,
    run_id: str = "cli",
    now: datetime | None = None,
) -> TableLoad:
    """Land every new or changed file of the spec into ``raw.<source>__<table>`` and record each file
    in the ledger (the unchanged ones as one row per run). Raises LandingError only when the table has
    no rows at all: no files and never landed, or every file of a first delivery refused (dbt could not
    read a table that is absent)."""
    ensure_landing_tables(conn)
    landed_at = (now or datetime.now(UTC)).astimezone(UTC).replace(tzinfo=None)
    exists = _table_exists(conn, RAW_SCHEMA, spec.raw_table)
    (events,) = _sql(conn, f"select count(*) from {LEDGER_TABLE} where raw_table = ?", [spec.raw_table])[0]
    if exists and not events:
        # Built by the loader that rebuilt everything each run: land again from the files, once.
        _sql(conn, f"drop table {RAW_SCHEMA}.{spec.raw_table}")
        exists = False
    files = find_files(landing_dir, spec)
    if not files and not exists:
        raise LandingError(
            f"no files for {spec.raw_table}: expected {landing_dir / spec.source / spec.pattern}"
        )
    result = TableLoad(spec.raw_table)
    refusals = _recorded_refusals(conn, spec.raw_table)
    with tempfile.TemporaryDirectory(prefix="omniops-landing-") as tmp:
        for position, path in enumerate(files):
            relative = _relative(path, landing_dir)
            # one microsecond apart, so _loaded_at orders the files of one run by arrival
            file_landed_at = landed_at + timedelta(microseconds=position)
            try:
                sha = delivery_sha256(path, landing_dir)
            except OSError as exc:
                event = FileEvent(
                    relative, "rejected", 0, None, error_text=_cannot_read(relative, exc), move=False
                )
            else:
                known, event = _refused_before(path, landing_dir, relative, sha, refusals)
                if known and event is None:
                    continue  # a crash came between recording and moving it: now moved
                if event is None:
                    current = _current_files(conn, spec.raw_table)
                    event = _land_file(
                        conn, landing_dir, spec, path, sha, current, file_landed_at, run_id, Path(tmp)
                    )
            if event.status in TROUBLE_STATUSES:
                _finish(conn, landing_dir, spec.source, spec.raw_table, path, event, file_landed_at, run_id)
            result.events.append(event)
    unchanged = [e for e in result.events if e.status == "unchanged"]
    if unchanged:
        _record(
            conn,
            spec.source,
            spec.raw_table,
            FileEvent(
                f"{spec.source}/{spec.pattern}",
                "unchanged",
                sum(e.size_bytes for e in unchanged),
                None,
                notes=f"{len(unchanged)} file(s) already landed, not read again",
            ),
            landed_at,
            run_id,
        )
    if not _table_exists(conn, RAW_SCHEMA, spec.raw_table):
        raise LandingError(
            f"raw.{spec.raw_table} has no rows: every file was rejected "
            f"(moved to {spec.source}/{REJECTED_FOLDER}/, reasons in landing.file_ledger)"
        )
    return result


def ignore_unknown_files(
    conn: duckdb.DuckDBPyConnection,
    landing_dir: Path,
    source: str,
    specs: list[SourceTable],
    run_id: str = "cli",
    now: datetime | None = None,
) -> list[FileEvent]:
    """Record every file of a source's folder that no table claims as ``ignored`` and move it to
    ``_rejected/``: a misnamed export is never left behind without a trace."""
    ensure_landing_tables(conn)
    landed_at = (now or datetime.now(UTC)).astimezone(UTC).replace(tzinfo=None)
    refusals = _recorded_refusals(conn, "")
    expected = " or ".join(spec.pattern for spec in specs)
    events = []
    for path in unknown_files(landing_dir, source, specs):
        relative = path.relative_to(landing_dir).as_posix()
        sha = delivery_sha256(path, landing_dir)
        known, event = _refused_before(path, landing_dir, relative, sha, refusals)
        if known and event is None:
            continue  # a crash came between recording and moving it: now moved
        if event is None:
            reason = f"no raw table of {source} takes this name (expected {expected}, or .gz/.zip of one)"
            event = FileEvent(
                relative, "ignored", path.lstat().st_size, sha, error_text=f"{relative}: {reason}"
            )
        _finish(conn, landing_dir, source, "", path, event, landed_at, run_id)
        events.append(event)
    return events
