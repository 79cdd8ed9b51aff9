"""Sign-in, roles and their pages, and the users file: on the real app and the real files."""

from __future__ import annotations

import os
import stat
import subprocess
import sys

import pytest
from streamlit.testing.v1 import AppTest

from dashboards.access import PAGES, ROLES, pages_for
from dashboards.masking import mask_email, mask_phone
from dashboards.users import (
    UsersConfigError,
    add_user,
    authenticate,
    create_demo_users,
    hash_password,
    load_users,
    verify_password,
)
from tests.dashboards.appkit import APP, open_app

# The title each page shows first, in English; a role must see its own and no other's.
TITLES = {
    "overview.py": "KPI overview",
    "order_lookup.py": "Order lookup",
    "promise.py": "Promise date",
    "forecast.py": "Forecast & inventory",
    "production.py": "Production",
    "data_quality.py": "Data quality",
    "inbox.py": "My inbox",
    "daily_close.py": "Daily close sign-off",
    "rush.py": "Rush orders",
}


@pytest.fixture()
def users_home(tmp_path, monkeypatch):
    monkeypatch.setenv("OMNIOPS_HOME", str(tmp_path))
    monkeypatch.delenv("OMNIOPS_USERS_FILE", raising=False)
    monkeypatch.delenv("OMNIOPS_USERS", raising=False)
    return tmp_path


def test_a_password_verifies_only_against_its_own_hash():
    stored = hash_password("correct horse")
    assert verify_password("correct horse", stored)
    assert not verify_password("correct hors", stored)
    assert not verify_password("correct horse", stored.replace("scrypt", "md5"))
    assert not verify_password("correct horse", "scrypt$garbage")
    assert hash_password("correct horse") != stored  # a new salt each time


def test_the_users_file_holds_hashes_only_and_is_private(users_home):
    path = add_user("alice", "planner", "s3cret-pass", "Alice Chen")
    assert path == users_home / "config" / "users.toml"
    text = path.read_text()
    assert "s3cret-pass" not in text and "scrypt$" in text
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert authenticate("alice", "s3cret-pass").role == "planner"
    assert authenticate("alice", "wrong") is None
    assert authenticate("nobody", "s3cret-pass") is None


def test_users_can_come_from_the_environment(users_home, monkeypatch):
    monkeypatch.setenv("OMNIOPS_USERS", f"ops:analyst:{hash_password('pw-12345678')}")
    assert authenticate("ops", "pw-12345678").role == "analyst"
    monkeypatch.setenv("OMNIOPS_USERS", "ops:boss:scrypt$1$2$3$4$5")
    with pytest.raises(UsersConfigError, match="unknown role 'boss'"):
        load_users()


def test_a_bad_users_file_is_named_in_the_error(users_home):
    path = users_home / "config" / "users.toml"
    path.parent.mkdir()
    path.write_text('[users.bob]\nrole = "manager"\npassword_hash = "plain-text"\n')
    with pytest.raises(UsersConfigError, match=f"{path}.*bob.*no scrypt password hash"):
        load_users()


def test_demo_users_cover_every_role_and_keep_their_passwords(users_home):
    add_user("manager", "manager", "chosen-by-admin")
    first = create_demo_users()
    assert {role for _, role, _ in first} == set(ROLES)
    by_name = {name: password for name, _, password in first}
    assert by_name["manager"].startswith("(unchanged")  # a password someone set is not overwritten
    assert authenticate("manager", "chosen-by-admin") is not None
    assert authenticate("agent", by_name["agent"]).role == "cs_agent"
    assert create_demo_users() == first


def test_the_users_command_adds_lists_and_removes(users_home):
    env = os.environ.copy()

    def users(*arguments, stdin=""):
        return subprocess.run(
            [sys.executable, "-m", "orchestration.cli", "users", *arguments],
            input=stdin,
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )

    added = users("add", "carol", "--role", "cs_agent", "--password-stdin", stdin="long-enough-pw\n")
    assert added.returncode == 0, added.stderr
    assert "carol\tcs_agent" in users("list").stdout
    short = users("add", "dave", "--role", "manager", "--password-stdin", stdin="short\n")
    assert short.returncode == 1 and "at least 8 characters" in short.stderr
    assert users("remove", "carol").returncode == 0
    assert "carol" not in users("list").stdout
    demo = users("demo")
    assert demo.returncode == 0 and "user agent" in demo.stdout


def test_the_log_in_form_admits_the_right_password_only(users_home):
    add_user("erin", "manager", "right-password")
    app = AppTest.from_file(str(APP), default_timeout=30)
    app.run()
    assert app.title[0].value == "Sign in to OmniOps"
    app.text_input(key="login_username").input("erin")
    app.text_input(key="login_password").input("wrong-password")
    app.button[0].click().run()
    assert app.error[0].value == "Wrong user name or password."
    assert "user" not in app.session_state
    app.text_input(key="login_password").input("right-password")
    app.button[0].click().run()
    assert not app.exception
    assert app.session_state["user"]["role"] == "manager"
    # No warehouse in this home: signed in, the app says what to run.
    assert "omniops run" in app.warning[0].value


def test_without_users_the_log_in_page_says_how_to_add_one(users_home):
    app = AppTest.from_file(str(APP), default_timeout=30)
    app.run()
    assert "omniops users add" in app.warning[0].value


def test_every_role_has_pages_and_every_page_a_role():
    assert all(pages_for(role) for role in ROLES)
    assert all(page.roles for page in PAGES)
    # Customer service looks orders up, promises dates, and proposes a rush order for a customer's order.
    assert [page.file for page in pages_for("cs_agent")] == ["order_lookup.py", "promise.py", "rush.py"]
    assert "data_quality.py" not in {page.file for page in pages_for("manager")}


@pytest.mark.parametrize("role", ROLES)
def test_a_role_lands_on_its_first_page_and_cannot_open_another_roles_page(built_instance, monkeypatch, role):
    app = open_app(built_instance.home, monkeypatch, role=role)
    allowed = pages_for(role)
    assert app.title[0].value == TITLES[allowed[0].file]
    for page in PAGES:
        if role in page.roles:
            continue
        # The page is not registered for this role at all: there is nothing to switch to.
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            app.switch_page(f"views/{page.file}")


def test_masking_keeps_enough_to_recognise_and_no_more():
    assert mask_email("Ann.Lee@example.com") == "A***@example.com"
    assert mask_phone("+86 138 1234 5678") == "+861********78"
    assert mask_phone("(415) 555-0182") == "415*****82"
    assert mask_phone("1234") == "****"
    assert mask_email(None) is None and mask_phone("") == ""
