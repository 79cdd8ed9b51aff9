"""The published warehouse as immutable versions behind a pointer: publishing swaps the pointer.

``warehouse/omniops.duckdb`` is a symbolic link to ``warehouse/versions/omniops-<stamp>.duckdb``. A
reader opens the link, so it resolves the version at connect time and keeps that file (never written
again) for as long as its connection lives. Publishing a finished ``build.duckdb``:

1. renames it to a new version file (same folder tree, same file system: one metadata operation);
2. points a new link at it and renames the link over ``omniops.duckdb`` (atomic), flushing the folder;
3. gives the next run its starting point back: ``build.duckdb`` cloned from the version (a reflink:
   copy-on-write, no data copied) where the file system can, else copied, after readers already see
   the new version. ``omniops run`` leaves that to a process of its own (``prepare_next_build``) and
   ends; the next run waits for it only if it starts before the copy is done;
4. deletes old versions that no reader holds (DuckDB keeps a read lock on a file while it is open).

A crash leaves at worst: a version not pointed at yet and no ``build.duckdb`` (the next run renames the
version back: nothing is lost), or a half-copied ``build.duckdb.partial`` (the next run copies again).
``build.duckdb`` is taken away, given back or checked only under ``build.lock`` (released by the kernel
when a process dies), so a run never starts on a half-made starting point.
"""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from core.failpoints import failpoint
from core.settings import OmniopsPaths

PREFIX = "omniops-"
SUFFIX = ".duckdb"
PARTIAL = ".partial"
# A version not pointed at any more is deleted only this long after the swap: a reader that resolved the
# link just before it has opened (and locked) the file by then.
GRACE_SECONDS = 60.0
_FICLONE = 0x40049409  # ioctl: clone a whole file (Linux; btrfs, XFS, bcachefs, OCFS2)


def versions_dir(paths: OmniopsPaths) -> Path:
    return paths.warehouse_dir / "versions"


def current_version(paths: OmniopsPaths) -> Path | None:
    """The file the published name points at now (the published file itself in the old layout)."""
    published = paths.published_db
    if not published.exists():
        return None
    return published.resolve() if published.is_symlink() else published


def version_files(paths: OmniopsPaths) -> list[Path]:
    """Every complete version, oldest first (names sort by time)."""
    folder = versions_dir(paths)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob(f"{PREFIX}*{SUFFIX}") if p.is_file())


def _new_version_path(paths: OmniopsPaths) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    return versions_dir(paths) / f"{PREFIX}{stamp}{SUFFIX}"


def _fsync_folder(folder: Path) -> None:
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def publish_build(paths: OmniopsPaths) -> Path:
    """Make the finished (checkpointed, closed) build the published version; return that version.
    Readers see the old version or the new one, whole; none is ever blocked. ``build.duckdb`` is gone
    afterwards: ``restore_build`` gives it back."""
    build = paths.build_db
    wal = build.with_name(build.name + ".wal")
    if wal.exists():
        raise RuntimeError(f"{wal} exists: the build was not checkpointed and closed before publishing")
    folder = versions_dir(paths)
    folder.mkdir(parents=True, exist_ok=True)
    collect_garbage(paths)  # before the swap: the previous version stays until the next run starts
    version = _new_version_path(paths)
    with build_lock(paths):
        os.replace(build, version)
        _fsync_folder(folder)
        _fsync_folder(paths.warehouse_dir)
        failpoint("publish.before_swap")
        _point_at(paths, version)
    return version


def _point_at(paths: OmniopsPaths, version: Path) -> None:
    """Atomically make ``omniops.duckdb`` a link to ``version`` (relative, so the home folder can move)."""
    link = paths.published_db.with_name(paths.published_db.name + ".publishing")
    link.unlink(missing_ok=True)
    link.symlink_to(os.path.relpath(version, paths.warehouse_dir))
    os.replace(link, paths.published_db)
    _fsync_folder(paths.warehouse_dir)


@contextmanager
def build_lock(paths: OmniopsPaths) -> Iterator[None]:
    """Held while ``build.duckdb`` is checked or restored; waits for a restore under way elsewhere."""
    with (paths.warehouse_dir / "build.lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def prepare_build(paths: OmniopsPaths) -> str:
    """Give a run its starting point, ``build.duckdb``, after a crash or on a new instance; say how.
    Waits while another process restores it (``prepare_next_build``).

    ``kept``: it is there. ``adopted``: a run was killed between renaming its build into a version and
    pointing at it; that version is the build. ``cloned``/``copied``: a run was killed before its
    build was restored from the published version. ``new``: nothing published yet."""
    build = paths.build_db
    paths.warehouse_dir.mkdir(parents=True, exist_ok=True)
    with build_lock(paths):
        build.with_name(build.name + PARTIAL).unlink(missing_ok=True)
        paths.published_db.with_name(paths.published_db.name + ".publishing").unlink(missing_ok=True)
        how = "kept"
        if not build.exists():
            how = _recover_build(paths)
    collect_garbage(paths)
    return how


def prepare_next_build(paths: OmniopsPaths) -> str:
    """Right after publishing: ``build.duckdb`` restored from the published version, unless a run
    already did that (``kept``). Touches nothing else, so it may run beside the next run."""
    if not paths.warehouse_dir.is_dir():
        return "gone"  # the instance was deleted meanwhile (a test's temporary folder)
    with build_lock(paths):
        if paths.build_db.exists() or current_version(paths) is None or unpublished_versions(paths):
            return "kept"  # a run restored or adopted it already, or will
        return restore_build(paths)


# The processes started here, kept so that none is garbage-collected while it runs.
_started: list[subprocess.Popen] = []


def start_next_build(paths: OmniopsPaths) -> subprocess.Popen:
    """``prepare_next_build`` in a process of its own that outlives the run (its own session), so the
    run ends without waiting for the copy; its output goes to ``warehouse/next_build.log``."""
    _started[:] = [p for p in _started if p.poll() is None]
    with (paths.warehouse_dir / "next_build.log").open("a") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "core.warehouse_versions", str(paths.home)],
            cwd=Path(__file__).resolve().parent.parent,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            start_new_session=True,
        )
    _started.append(process)
    return process


def unpublished_versions(paths: OmniopsPaths) -> list[Path]:
    """Versions newer than the published one, oldest first: builds a crash left before their swap.
    Newer by name (a time stamp) than the version the link points at, or, while the published file is
    still a plain file of the old layout, written after it."""
    current = current_version(paths)
    if current is None:
        return version_files(paths)
    if current.parent == versions_dir(paths).resolve():
        return [v for v in version_files(paths) if v.name > current.name]
    return [v for v in version_files(paths) if v.stat().st_mtime_ns > current.stat().st_mtime_ns]


def _recover_build(paths: OmniopsPaths) -> str:
    current = current_version(paths)
    newer = unpublished_versions(paths)
    if newer:
        os.replace(newer[-1], paths.build_db)
        _fsync_folder(paths.warehouse_dir)
        return "adopted"
    if current is None:
        return "new"
    return restore_build(paths)


def restore_build(paths: OmniopsPaths) -> str:
    """``build.duckdb`` from the published version: a reflink where the file system allows (no data
    copied, instant at any size), else a copy. Via ``build.duckdb.partial``, renamed when whole."""
    source = current_version(paths)
    if source is None:
        raise FileNotFoundError(f"no published warehouse at {paths.published_db} to build on")
    partial = paths.build_db.with_name(paths.build_db.name + PARTIAL)
    with source.open("rb") as reader, partial.open("wb") as writer:
        how = "cloned" if _clone(reader, writer) else "copied"
        if how == "copied":
            _copy(reader, writer)
        writer.flush()
        os.fsync(writer.fileno())
    os.replace(partial, paths.build_db)
    _fsync_folder(paths.warehouse_dir)
    return how


def _clone(reader, writer) -> bool:
    """Share the source's blocks copy-on-write (``FICLONE``); False where the file system cannot."""
    try:
        fcntl.ioctl(writer.fileno(), _FICLONE, reader.fileno())
    except OSError:
        return False
    return True


def _copy(reader, writer, chunk: int = 16 << 20) -> None:
    """Copy in the kernel (``copy_file_range``) where it can, else through Python, in chunks."""
    kernel_copy = getattr(os, "copy_file_range", None)
    half = os.fstat(reader.fileno()).st_size // 2
    copied = 0
    while True:
        if copied >= half:
            failpoint("publish.mid_restore")
            half = float("inf")
        try:
            if kernel_copy is None:
                raise OSError("no copy_file_range")
            done = kernel_copy(reader.fileno(), writer.fileno(), chunk)
        except OSError:
            kernel_copy = None  # both files' offsets are where the kernel left them
            data = reader.read(chunk)
            done = writer.write(data) if data else 0
        if not done:
            return
        copied += done


def held_by_a_reader(path: Path, locks: Path = Path("/proc/locks")) -> bool:
    """Whether a process (this one included) holds a lock on the file: DuckDB read-locks a database
    file while a connection has it open. Read from the kernel's lock table, not by opening the file:
    closing any descriptor of a file drops the POSIX locks this process holds on it. Where there is no
    such table (not Linux) only the grace period protects readers, and an open file stays readable
    after it is deleted anyway."""
    try:
        stat = path.stat()
        table = locks.read_text()
    except FileNotFoundError:
        return False
    wanted = f"{os.major(stat.st_dev):02x}:{os.minor(stat.st_dev):02x}:{stat.st_ino}"
    # e.g. "12: POSIX  ADVISORY  READ 6444 fd:00:1312 0 EOF" (blocked waiters have "->" first)
    return any(wanted in line.split() for line in table.splitlines() if "->" not in line)


def collect_garbage(paths: OmniopsPaths, grace_seconds: float = GRACE_SECONDS) -> list[Path]:
    """Delete the versions older than the published one that no reader holds, once the link is older
    than ``grace_seconds``; return them. Versions newer than the link (a build a crash left before its
    swap) are left to ``prepare_build``."""
    current = current_version(paths)
    if current is None or not paths.published_db.is_symlink():
        return []
    if time.time() - paths.published_db.lstat().st_mtime < grace_seconds:
        return []
    deleted = []
    for version in version_files(paths):
        if version.name < current.name and not held_by_a_reader(version):
            try:
                version.unlink(missing_ok=True)
            except OSError:
                continue  # e.g. a read-only folder: the old version stays, the run goes on
            deleted.append(version)
    return deleted


if __name__ == "__main__":
    home = OmniopsPaths(Path(sys.argv[1]))
    started = time.monotonic()
    how = prepare_next_build(home)
    seconds = time.monotonic() - started
    print(f"{datetime.now(UTC):%Y-%m-%dT%H:%M:%SZ} {home.build_db}: {how} in {seconds:.1f} s", flush=True)
