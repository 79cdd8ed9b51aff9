"""Publishing by pointer swap (``core.warehouse_versions``) on small hand-made warehouses: no copy on
the way to readers, readers keep the version they opened, old versions go once no reader holds them,
and a process killed at either step leaves something the next run picks up without loss."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time

import duckdb
import pytest

from core.settings import OmniopsPaths
from core.warehouse_versions import (
    build_lock,
    collect_garbage,
    current_version,
    held_by_a_reader,
    prepare_build,
    prepare_next_build,
    publish_build,
    restore_build,
    start_next_build,
    version_files,
)
from tests.e2e.conftest import REPO


def write_build(paths: OmniopsPaths, value: int) -> None:
    """A finished build, ``marts.t`` holding ``value``: checkpointed and closed, as publishing wants it."""
    paths.warehouse_dir.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(paths.build_db)) as conn:
        conn.execute("create schema if not exists marts")
        conn.execute("create or replace table marts.t as select ? as v", [value])
        conn.execute("checkpoint")


def published_value(paths: OmniopsPaths) -> int:
    with duckdb.connect(str(paths.published_db), read_only=True) as conn:
        return conn.execute("select v from marts.t").fetchone()[0]


def build_value(paths: OmniopsPaths) -> int:
    with duckdb.connect(str(paths.build_db), read_only=True) as conn:
        return conn.execute("select v from marts.t").fetchone()[0]


def age_link(paths: OmniopsPaths, seconds: float) -> None:
    """Pretend the last swap happened ``seconds`` ago (the garbage collector's grace period)."""
    stat = paths.published_db.lstat()
    os.utime(paths.published_db, (stat.st_atime - seconds, stat.st_mtime - seconds), follow_symlinks=False)


@pytest.fixture()
def paths(tmp_path) -> OmniopsPaths:
    return OmniopsPaths(tmp_path / "home")


def test_publishing_renames_the_build_and_swaps_a_link_without_copying_it(paths):
    write_build(paths, 1)
    inode = paths.build_db.stat().st_ino
    version = publish_build(paths)
    assert paths.published_db.is_symlink() and not os.path.isabs(os.readlink(paths.published_db))
    assert current_version(paths) == version and version.stat().st_ino == inode  # the same file, not a copy
    assert not paths.build_db.exists() and published_value(paths) == 1

    # The next run's starting point: the same bytes in a file of its own (writing it leaves the version).
    assert restore_build(paths) in ("cloned", "copied")
    assert paths.build_db.read_bytes() == version.read_bytes()
    assert paths.build_db.stat().st_ino != inode
    write_build(paths, 2)
    assert published_value(paths) == 1


def test_a_reader_keeps_its_version_through_a_swap_and_the_version_goes_once_released(paths):
    write_build(paths, 1)
    first = publish_build(paths)
    restore_build(paths)
    reader = duckdb.connect(":memory:")
    reader.execute(f"attach '{paths.published_db}' as published (read_only)")
    write_build(paths, 2)
    second = publish_build(paths)
    restore_build(paths)

    assert published_value(paths) == 2
    assert reader.execute("select v from published.marts.t").fetchone()[0] == 1
    # Within the grace period nothing goes; after it, a version a reader holds stays.
    assert collect_garbage(paths) == []
    age_link(paths, 3600)
    assert held_by_a_reader(first) and collect_garbage(paths) == []
    assert reader.execute("select v from published.marts.t").fetchone()[0] == 1
    reader.close()
    assert not held_by_a_reader(first)
    assert collect_garbage(paths) == [first]
    assert version_files(paths) == [second] and published_value(paths) == 2


def test_publishing_over_a_published_file_of_the_old_layout(paths):
    write_build(paths, 1)
    os.replace(paths.build_db, paths.published_db)  # before versions: a plain file
    reader = duckdb.connect(str(paths.published_db), read_only=True)
    assert prepare_build(paths) == "copied" or build_value(paths) == 1
    write_build(paths, 2)
    publish_build(paths)
    assert paths.published_db.is_symlink() and published_value(paths) == 2
    assert reader.execute("select v from marts.t").fetchone()[0] == 1
    reader.close()


KILLED = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from core.settings import OmniopsPaths
    from core.warehouse_versions import publish_build, restore_build
    paths = OmniopsPaths(Path(sys.argv[1]))
    publish_build(paths)
    restore_build(paths)
    """
)


def publish_killed_at(paths: OmniopsPaths, point: str) -> None:
    env = {**os.environ, "OMNIOPS_FAILPOINT": point, "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-c", KILLED, str(paths.home)], cwd=REPO, env=env, timeout=120)
    assert done.returncode == -signal.SIGKILL


def test_killed_before_the_swap_the_old_version_stays_published_and_the_build_is_taken_back(paths):
    write_build(paths, 1)
    publish_build(paths)
    restore_build(paths)
    write_build(paths, 2)
    publish_killed_at(paths, "publish.before_swap")
    assert published_value(paths) == 1 and not paths.build_db.exists()
    assert prepare_build(paths) == "adopted"
    assert build_value(paths) == 2 and len(version_files(paths)) == 1


def test_killed_while_restoring_the_build_the_next_run_copies_it_again(paths):
    write_build(paths, 1)
    publish_build(paths)
    restore_build(paths)
    write_build(paths, 2)
    publish_killed_at(paths, "publish.mid_restore")
    partial = paths.build_db.with_name("build.duckdb.partial")
    if partial.exists():  # a clone is one step: nothing half-done to see then
        assert not paths.build_db.exists()
    assert published_value(paths) == 2
    assert prepare_build(paths) in ("kept", "cloned", "copied")
    assert not partial.exists() and build_value(paths) == 2


def test_a_new_instance_has_nothing_to_prepare(paths):
    assert prepare_build(paths) == "new" and not paths.build_db.exists()


def test_an_instance_copied_with_its_link_followed_still_takes_its_own_build_back(paths, tmp_path):
    """``shutil.copytree`` (as the tests copy instances) turns the link into a plain file beside a
    copy of the versions; a build killed before its swap is still told from those copies."""
    import shutil

    write_build(paths, 1)
    publish_build(paths)
    restore_build(paths)
    copy = OmniopsPaths(tmp_path / "copy")
    shutil.copytree(paths.warehouse_dir, copy.warehouse_dir)
    assert not copy.published_db.is_symlink() and prepare_build(copy) == "kept"
    write_build(copy, 2)
    publish_killed_at(copy, "publish.before_swap")
    assert published_value(copy) == 1 and prepare_build(copy) == "adopted" and build_value(copy) == 2


def test_the_next_build_is_made_by_a_process_of_its_own_and_a_run_waits_for_it(paths):
    write_build(paths, 1)
    version = publish_build(paths)
    process = start_next_build(paths)
    assert process.wait(timeout=120) == 0
    assert paths.build_db.read_bytes() == version.read_bytes()
    log = (paths.warehouse_dir / "next_build.log").read_text()
    assert "build.duckdb: copied in" in log or "build.duckdb: cloned in" in log

    # A run that starts while the copy is under way waits for it, then builds on it.
    write_build(paths, 2)
    version = publish_build(paths)
    copying = threading.Event()

    def slow_copy() -> None:
        with build_lock(paths):
            copying.set()
            time.sleep(0.5)
            restore_build(paths)

    copier = threading.Thread(target=slow_copy)
    copier.start()
    copying.wait(timeout=10)
    assert prepare_build(paths) == "kept"
    copier.join()
    assert build_value(paths) == 2 and paths.build_db.read_bytes() == version.read_bytes()


def test_the_next_build_process_leaves_alone_what_a_run_took_over(paths, tmp_path):
    write_build(paths, 1)
    publish_build(paths)
    restore_build(paths)
    write_build(paths, 2)
    publish_killed_at(paths, "publish.before_swap")  # a version newer than the link: the run adopts it
    assert prepare_next_build(paths) == "kept" and not paths.build_db.exists()
    assert prepare_build(paths) == "adopted" and build_value(paths) == 2

    gone = OmniopsPaths(tmp_path / "deleted")  # an instance deleted before the process got to it
    assert prepare_next_build(gone) == "gone" and not gone.home.exists()
