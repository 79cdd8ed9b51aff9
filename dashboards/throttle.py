"""Log-in throttling: too many failed sign-ins for one user name or from one address lock it for a while.

A sliding window: a key (``user:<name>`` or ``address:<ip>``) is locked while it has ``limit`` failures
within the last ``window_s`` seconds; it opens again ``window_s`` after the oldest of those failures.
The counts live in the server process (every session shares them) and reset when the server restarts.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field

USER_LIMIT = 5
ADDRESS_LIMIT = 20
WINDOW_S = 15 * 60


@dataclass
class Throttle:
    limit: int
    window_s: float = WINDOW_S
    _failures: dict[str, deque[float]] = field(default_factory=lambda: defaultdict(deque))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _recent(self, key: str, now: float) -> deque[float]:
        failures = self._failures[key]
        while failures and failures[0] <= now - self.window_s:
            failures.popleft()
        return failures

    def wait_s(self, key: str, now: float | None = None) -> float:
        """Seconds until ``key`` may try again (0 when it may now)."""
        now = time.monotonic() if now is None else now
        with self._lock:
            failures = self._recent(key, now)
            if len(failures) < self.limit:
                return 0.0
            return failures[-self.limit] + self.window_s - now

    def fail(self, key: str, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        with self._lock:
            self._recent(key, now).append(now)

    def clear(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)


BY_USER = Throttle(USER_LIMIT)
BY_ADDRESS = Throttle(ADDRESS_LIMIT)


def wait_s(username: str, address: str) -> float:
    """Seconds before this user name from this address may try again."""
    return max(BY_USER.wait_s(f"user:{username}"), BY_ADDRESS.wait_s(f"address:{address}"))


def record_failure(username: str, address: str) -> None:
    BY_USER.fail(f"user:{username}")
    BY_ADDRESS.fail(f"address:{address}")


def record_success(username: str) -> None:
    BY_USER.clear(f"user:{username}")
