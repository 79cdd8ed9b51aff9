"""Dashboard users: hashed passwords in a config file or the environment, never in the repository.

Where users come from, first match wins:

1. ``OMNIOPS_USERS``: ``name:role:hash`` entries separated by ``;`` (for containers and CI secrets);
2. the TOML file ``OMNIOPS_USERS_FILE``, default ``$OMNIOPS_HOME/config/users.toml``::

       [users.alice]
       role = "manager"
       display_name = "Alice Chen"
       password_hash = "scrypt$16384$8$1$<salt>$<hash>"

``omniops users add NAME --role ROLE`` writes that file. Passwords are hashed with scrypt (the standard
library's, memory-hard, N=2^14, r=8, p=1, 16-byte random salt) and compared in constant time.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from pathlib import Path

from core.settings import dashboard_users, users_file
from core.user_records import UserRecordsError, user_records
from dashboards.access import ROLES

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1


@dataclass(frozen=True)
class User:
    username: str
    role: str
    display_name: str
    password_hash: str


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32)
    encode = base64.urlsafe_b64encode
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${encode(salt).decode()}${encode(digest).decode()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.urlsafe_b64decode(digest)
        actual = hashlib.scrypt(
            password.encode(),
            salt=base64.urlsafe_b64decode(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(expected),
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


class UsersConfigError(ValueError):
    """A users file or variable that cannot be used; the message names where and why."""


def _check(user: User, where: str) -> User:
    if user.role not in ROLES:
        raise UsersConfigError(
            f"{where}: user {user.username!r} has unknown role {user.role!r} (roles: {', '.join(ROLES)})"
        )
    if not user.password_hash.startswith("scrypt$"):
        raise UsersConfigError(
            f"{where}: user {user.username!r} has no scrypt password hash; set one with "
            f"`omniops users add {user.username} --role {user.role}`"
        )
    return user


def load_users() -> dict[str, User]:
    """All users by name; empty when none are configured (the app then says how to add one)."""
    try:
        where, records = user_records()
    except UserRecordsError as error:
        raise UsersConfigError(str(error)) from error
    users = {}
    for name, entry in records.items():
        display_name = name if where == "OMNIOPS_USERS" else entry.get("display_name", name)
        user = User(name, entry.get("role", ""), display_name, entry.get("password_hash", ""))
        users[name] = _check(user, where)
    return users


def authenticate(username: str, password: str) -> User | None:
    user = load_users().get(username.strip())
    if user is None:
        # Same work as a real check, so a wrong name and a wrong password take the same time.
        verify_password(password, hash_password("unused", salt=b"0" * 16))
        return None
    return user if verify_password(password, user.password_hash) else None


def _toml_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def save_users(users: dict[str, User], path: Path | None = None) -> Path:
    """Write the users file (owner-readable only), replacing it atomically."""
    path = path or users_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = ["# OmniOps dashboard users; manage with `omniops users add|remove|list`.", ""]
    for user in sorted(users.values(), key=lambda u: u.username):
        lines += [
            f"[users.{_toml_string(user.username)}]",
            f"role = {_toml_string(user.role)}",
            f"display_name = {_toml_string(user.display_name)}",
            f"password_hash = {_toml_string(user.password_hash)}",
            "",
        ]
    temporary = path.with_suffix(".tmp")
    temporary.write_text("\n".join(lines), encoding="utf-8")
    temporary.chmod(0o600)
    temporary.replace(path)
    return path


def add_user(username: str, role: str, password: str, display_name: str | None = None) -> Path:
    if dashboard_users():
        raise UsersConfigError("users come from OMNIOPS_USERS; unset it to manage the users file")
    if not username or any(c in username for c in ':;"\\ '):
        raise UsersConfigError(f"user name {username!r}: use letters, digits, '.', '_' or '-'")
    users = load_users()
    user = User(username, role, display_name or username, hash_password(password))
    users[username] = _check(user, "new user")
    return save_users(users)


def remove_user(username: str) -> bool:
    users = load_users()
    if users.pop(username, None) is None:
        return False
    save_users(users)
    return True


DEMO_USERS = (
    ("manager", "manager", "Demo manager"),
    ("planner", "planner", "Demo planner"),
    ("pmc", "pmc", "Demo PMC"),
    ("agent", "cs_agent", "Demo customer-service agent"),
    ("analyst", "analyst", "Demo analyst"),
)


def demo_users() -> list[tuple[str, str, str]]:
    """One user per role, and every work-centre owner of the T-3 ladder and the daily close as a
    supervisor (seed ``decision_owners.csv``), so that each decision has someone who can sign in."""
    from decisions.seeds import work_center_owners

    supervisors = [
        (name, "supervisor", f"{owner} ({centre})") for name, centre, owner in work_center_owners()
    ]
    return [*DEMO_USERS, *supervisors]


def demo_logins_file() -> Path:
    return users_file().parent / "demo_logins.txt"


def create_demo_users() -> list[tuple[str, str, str]]:
    """One user per role with a random password, kept in ``demo_logins.txt`` beside the users file.

    Run again, it keeps the users and passwords it made before (so a bookmarked login keeps working) and
    adds only what is missing. Returns (user, role, password) for the demo users.
    """
    logins = demo_logins_file()
    known: dict[str, str] = {}
    if logins.exists():
        for line in logins.read_text(encoding="utf-8").splitlines():
            parts = line.split()
            if len(parts) == 3 and not line.startswith("#"):
                known[parts[0]] = parts[2]
    users = load_users()
    result = []
    for username, role, display_name in demo_users():
        password = known.get(username)
        current = users.get(username)
        if current is not None and (password is None or not verify_password(password, current.password_hash)):
            # Someone set this user's password themselves: leave it alone.
            result.append((username, current.role, "(unchanged, set outside the demo)"))
            continue
        if current is None:
            password = secrets.token_urlsafe(9)
            users[username] = User(username, role, display_name, hash_password(password))
        result.append((username, role, password))
    save_users(users)
    text = "# user role password (demo only; delete this file in production)\n" + "".join(
        f"{username} {role} {password}\n" for username, role, password in result if " " not in password
    )
    logins.write_text(text, encoding="utf-8")
    logins.chmod(0o600)
    return result


def main(argv: list[str] | None = None) -> int:
    """``python -m dashboards.users add|remove|list|demo`` (``omniops users`` calls this)."""
    import argparse
    import getpass
    import sys

    parser = argparse.ArgumentParser(prog="omniops users", description=f"dashboard users in {users_file()}")
    sub = parser.add_subparsers(dest="command", required=True)
    add = sub.add_parser("add", help="add a user or change a user's role or password")
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=ROLES)
    add.add_argument("--name", help="display name (default: the user name)")
    add.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    remove = sub.add_parser("remove", help="remove a user")
    remove.add_argument("username")
    sub.add_parser("list", help="list users and roles (never passwords)")
    sub.add_parser("demo", help="create one demo user per role and print how to log in")
    args = parser.parse_args(argv)
    try:
        if args.command == "add":
            if args.password_stdin:
                password = sys.stdin.readline().rstrip("\n")
            else:
                password = getpass.getpass(f"password for {args.username}: ")
                if password != getpass.getpass("again: "):
                    print("the two passwords differ; nothing changed", file=sys.stderr)
                    return 1
            if len(password) < 8:
                print("a password needs at least 8 characters; nothing changed", file=sys.stderr)
                return 1
            path = add_user(args.username, args.role, password, args.name)
            print(f"user {args.username} ({args.role}) saved in {path}")
        elif args.command == "remove":
            if not remove_user(args.username):
                print(f"no user {args.username!r} in {users_file()}", file=sys.stderr)
                return 1
            print(f"user {args.username} removed")
        elif args.command == "list":
            for user in sorted(load_users().values(), key=lambda u: u.username):
                print(f"{user.username}\t{user.role}\t{user.display_name}")
        else:
            print_demo_logins(create_demo_users())
    except UsersConfigError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


def print_demo_logins(logins: list[tuple[str, str, str]]) -> None:
    print(f"Dashboard users (saved hashed in {users_file()}; passwords in {demo_logins_file()}):")
    for username, role, password in logins:
        print(f"  {role:<9} user {username:<8} password {password}")


if __name__ == "__main__":
    raise SystemExit(main())
