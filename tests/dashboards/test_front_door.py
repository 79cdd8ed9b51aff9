"""The front door: signed session tokens, log-in throttling with its message and log line, and files
under ``$OMNIOPS_HOME`` readable by their owner only."""

from __future__ import annotations

import logging
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboards import sessions, throttle
from dashboards.users import User, hash_password, save_users

REPO = Path(__file__).resolve().parents[2]
APP = REPO / "dashboards" / "app.py"


@pytest.fixture()
def home(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("OMNIOPS_HOME", str(tmp_path))
    monkeypatch.delenv("OMNIOPS_USERS_FILE", raising=False)
    monkeypatch.delenv("OMNIOPS_USERS", raising=False)
    return tmp_path


# --- sessions ---------------------------------------------------------------------------------------
def test_the_signing_key_is_made_once_and_readable_by_its_owner_only(home):
    key = sessions.secret()
    path = home / "config" / "session_secret"
    assert len(key) == 32 and sessions.secret() == key
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_token_names_its_user_until_it_expires(home, monkeypatch):
    monkeypatch.setenv("OMNIOPS_SESSION_HOURS", "2")
    token = sessions.new_token("mia", now=1_000_000)
    assert sessions.username_from(token, now=1_000_000 + 3600) == "mia"
    assert sessions.username_from(token, now=1_000_000 + 2 * 3600 + 1) is None


def test_a_forged_or_altered_token_names_nobody(home):
    token = sessions.new_token("mia")
    body, _, signature = token.partition(".")
    forged = sessions.sign({"u": "admin", "exp": 4_000_000_000, "n": "x"}, b"guessed key")
    assert sessions.username_from(forged) is None
    assert sessions.username_from(body + "." + signature[:-2] + "AA") is None
    assert sessions.username_from("not a token") is None


def test_signing_out_ends_the_token_everywhere(home):
    token, other = sessions.new_token("mia"), sessions.new_token("mia")
    sessions.revoke(token)
    assert sessions.username_from(token) is None
    assert sessions.username_from(other) == "mia"  # the user's other sign-ins go on
    assert stat.S_IMODE((home / "config" / "revoked_sessions").stat().st_mode) == 0o600


# --- throttling -------------------------------------------------------------------------------------
def test_a_key_is_locked_after_the_limit_within_the_window_and_opens_after_it():
    gate = throttle.Throttle(limit=3, window_s=600)
    for second in (0, 10, 20):
        assert gate.wait_s("user:mia", now=second) == 0
        gate.fail("user:mia", now=second)
    assert gate.wait_s("user:mia", now=30) == pytest.approx(570)
    assert gate.wait_s("user:ken", now=30) == 0
    assert gate.wait_s("user:mia", now=601) == 0


class Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def sign_in_form(app: AppTest, username: str, password: str) -> AppTest:
    app.text_input(key="login_username").set_value(username)
    app.text_input(key="login_password").set_value(password)
    app.button[0].click().run()
    assert not app.exception, app.exception
    return app


def test_wrong_passwords_are_logged_then_throttled_with_a_clear_message(home):
    save_users({"mia": User("mia", "manager", "Mia", hash_password("right-pass-1"))})
    throttle.BY_USER.clear("user:mia")
    throttle.BY_ADDRESS.clear("address:local")
    collected = Collect()
    logging.getLogger("omniops.dashboards.auth").addHandler(collected)
    try:
        app = AppTest.from_file(str(APP), default_timeout=30)
        app.run()
        for _ in range(throttle.USER_LIMIT):
            sign_in_form(app, "mia", "wrong")
            assert app.error[0].value == "Wrong user name or password."
        # The right password no longer opens the door while the user name is locked.
        sign_in_form(app, "mia", "right-pass-1")
        assert app.error[0].value.startswith("Too many failed sign-ins for this user or from this address.")
        assert "Try again in 15 min." in app.error[0].value
        assert "user" not in app.session_state
    finally:
        logging.getLogger("omniops.dashboards.auth").removeHandler(collected)
        throttle.BY_USER.clear("user:mia")
        throttle.BY_ADDRESS.clear("address:local")
    failed = [line for line in collected.lines if line.startswith("failed sign-in for user 'mia' from local")]
    assert len(failed) == throttle.USER_LIMIT
    assert any(line.startswith("sign-in refused (throttled) for user 'mia'") for line in collected.lines)


def test_a_right_password_signs_in_and_keeps_a_signed_token(home):
    save_users({"mia": User("mia", "manager", "Mia", hash_password("right-pass-1"))})
    app = sign_in_form(AppTest.from_file(str(APP), default_timeout=30).run(), "mia", "right-pass-1")
    assert app.session_state["user"]["username"] == "mia"
    assert sessions.username_from(app.session_state["session_token"]) == "mia"


# --- file permissions -------------------------------------------------------------------------------
def test_the_cli_creates_files_under_omniops_home_for_its_owner_only(tmp_path):
    """Started from a shell with a permissive umask, what the CLI creates is still owner-only."""
    home = tmp_path / "home"
    env = os.environ | {"OMNIOPS_HOME": str(home), "PYTHONPATH": str(REPO)}
    env.pop("DAGSTER_HOME", None)
    subprocess.run(
        [sys.executable, "-m", "orchestration.cli", "users", "demo"],
        cwd=REPO,
        env=env,
        check=True,
        capture_output=True,
        preexec_fn=lambda: os.umask(0o022),
    )
    created = [home / "dagster", home / "config", home / "config" / "users.toml"]
    modes = {path.name: oct(stat.S_IMODE(path.stat().st_mode)) for path in created}
    assert modes == {"dagster": "0o700", "config": "0o700", "users.toml": "0o600"}
