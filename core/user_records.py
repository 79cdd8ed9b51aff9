"""The configured users as plain records, read once for the dashboards' sign-in and the decision store.

Users come from ``OMNIOPS_USERS`` (``name:role:hash`` entries separated by ``;``) when it is set, else from
the users file (``[users.<name>]`` tables of TOML). Each reader checks what it needs of the records.
"""

from __future__ import annotations

import tomllib

from core.settings import dashboard_users, users_file


class UserRecordsError(ValueError):
    """The users' configuration cannot be read; the message names the variable or file and why."""


def user_records() -> tuple[str, dict[str, dict[str, str]]]:
    """(where the users came from, {user name: its fields}); no users configured gives ``("", {})``."""
    variable = dashboard_users().strip()
    if variable:
        records = {}
        for number, entry in enumerate(filter(None, (e.strip() for e in variable.split(";"))), start=1):
            parts = entry.split(":")
            if len(parts) != 3:
                raise UserRecordsError(f"OMNIOPS_USERS entry {number}: expected name:role:hash")
            name, role, password_hash = parts
            records[name] = {"role": role, "password_hash": password_hash}
        return "OMNIOPS_USERS", records
    path = users_file()
    if not path.exists():
        return "", {}
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise UserRecordsError(f"{path}: not valid TOML ({error})") from error
    return str(path), dict(document.get("users", {}))
