"""Who acts: a user name and role from the dashboard users (``OMNIOPS_USERS`` or the users file that
``omniops users`` writes, see dashboards/users.py), read here without the dashboards.

Only the name, role, display name and optional ``email`` (used for SMTP notifications) are read; the
password hash stays the dashboards' business.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.settings import users_file
from core.user_records import UserRecordsError, user_records
from decisions.errors import BadInput
from decisions.roles import ROLES


@dataclass(frozen=True)
class Actor:
    username: str
    role: str
    email: str | None = None


# The pipeline and the escalation clock write as this actor; no person can sign in as it.
SYSTEM = Actor("omniops", "system")


def load_people() -> dict[str, Actor]:
    """Everyone who may sign in, by user name (first match wins: ``OMNIOPS_USERS``, the users file)."""
    try:
        _, records = user_records()
    except UserRecordsError as error:
        raise BadInput(str(error)) from error
    return {
        name: Actor(name, entry.get("role", ""), entry.get("email") or None)
        for name, entry in records.items()
    }


def actor(username: str) -> Actor:
    """The user ``username`` with a known role, or :class:`BadInput` saying why not."""
    person = load_people().get(username)
    if person is None:
        raise BadInput(f"no user {username!r} in {users_file()} (add one with `omniops users add`)")
    if person.role not in ROLES:
        raise BadInput(f"user {username!r} has unknown role {person.role!r} (roles: {', '.join(ROLES)})")
    return person
