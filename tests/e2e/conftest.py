"""A real ``omniops serve`` on a free local port and Debian's Chromium driven by Playwright.

Screenshots go to ``$OMNIOPS_E2E_ARTIFACTS`` (default ``artifacts/e2e`` in the repository, git-ignored).
Without Chromium the tests skip, except under CI (``CI`` set), where they fail: ``make test`` installs it.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from dashboards.users import User, hash_password, save_users

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("OMNIOPS_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = Path(os.environ.get("OMNIOPS_E2E_ARTIFACTS", REPO / "artifacts" / "e2e"))
# Flags for a closed network: without the background-networking ones Chromium keeps dialling out.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOGINS = {"manager": ("mia", "manager-pass-1"), "cs_agent": ("ken", "agent-pass-1")}


@dataclass(frozen=True)
class Server:
    url: str
    log: Path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_healthy(url: str, process: subprocess.Popen, log: Path, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"omniops serve exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                if answer.read().decode().strip() == "ok":
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"omniops serve not healthy after {seconds:.0f} s:\n{log.read_text()[-3000:]}")


@contextmanager
def serving(home: Path, users: dict[str, tuple[str, str]], folder: Path, **env: str) -> Iterator[Server]:
    """``omniops serve`` on ``home`` with these users (user name → (role, password)) until the block ends."""
    users_file = folder / "users.toml"
    save_users(
        {
            name: User(name, role, f"E2E {role}", hash_password(password))
            for name, (role, password) in users.items()
        },
        users_file,
    )
    port = free_port()
    log = folder / "serve.log"
    env = os.environ | {"OMNIOPS_HOME": str(home), "OMNIOPS_USERS_FILE": str(users_file)} | env
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "orchestration.cli", "serve", "--port", str(port)],
            cwd=REPO,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, process, log)
        yield Server(url, log)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


@pytest.fixture(scope="module")
def server(built_instance, tmp_path_factory) -> Server:
    users = {name: (role, password) for role, (name, password) in LOGINS.items()}
    with serving(built_instance.home, users, tmp_path_factory.mktemp("e2e_server")) as running:
        yield running


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        message = f"no Chromium at {CHROMIUM}: `make test` installs Debian's chromium"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-US")
    tab = context.new_page()
    tab.set_default_timeout(60_000)
    yield tab
    context.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
