"""Named points where a run can be made to die on purpose, to prove it recovers from a crash there.

Set ``OMNIOPS_FAILPOINT=<name>`` (or ``<name>:<n>`` to die the n-th time the point is reached) and the
process kills itself with SIGKILL at that point: no ``finally``, no ``atexit``, no rollback, exactly as a
power cut or the OOM killer would stop it. Unset (always, outside the crash tests) a point costs one
dictionary lookup. The points:

- ``landing.before_commit``: a file's raw rows, quarantined rows and ledger row are written, not committed.
- ``landing.before_reject_move``: a rejected file is in the ledger, still in the landing folder.
- ``publish.before_swap``: the build is renamed to a new version, the published link not swapped yet.
- ``publish.mid_restore``: half of the published version is copied to ``build.duckdb.partial`` (where
  the file system cannot clone it).
"""

from __future__ import annotations

import os
import signal
from collections import Counter

from core import settings

_reached: Counter[str] = Counter()


def failpoint(name: str) -> None:
    """Die here if ``$OMNIOPS_FAILPOINT`` names this point (and this is the n-th time it is reached)."""
    wanted = settings.failpoint()
    if not wanted:
        return
    point, _, nth = wanted.partition(":")
    if point != name:
        return
    _reached[name] += 1
    if _reached[name] >= int(nth or 1):
        os.kill(os.getpid(), signal.SIGKILL)
