"""The operational store as the pages use it: what people decided, read the moment it is saved, and
actions taken as the signed-in user through ``decisions`` (which checks the role on every write).

When the store cannot be reached (its database server is down, the SQLite file is locked or not
upgraded), the pages keep reading the warehouse's copy of the decisions (schema ``ops``, as of the last
run) and say that actions are unavailable. An action that fails writes nothing: each is one transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa
import streamlit as st

from dashboards.auth import SignedIn
from dashboards.formatting import escape_markdown
from dashboards.i18n import t
from decisions.errors import Conflict, DecisionError
from decisions.people import Actor, actor
from decisions.store import Store, database_url

# A page waits this long for a SQLite write lock held by another process (the store's own default,
# 15 s, suits the pipeline; a person should hear within seconds that the store is busy).
PAGE_BUSY_TIMEOUT_MS = 3000
FLASH_KEY = "decision_flash"
SEEN_PREFIX = "seen::"  # dashboards/sections/decision_tables.py keeps what the person saw under it


@st.cache_resource(show_spinner=False, max_entries=4)
def _store(url: str) -> Store:
    store = Store(url)
    if store.url.get_backend_name() == "sqlite":

        @sa.event.listens_for(store.engine, "connect")
        def _page_busy_timeout(dbapi_connection, _record) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute(f"pragma busy_timeout={PAGE_BUSY_TIMEOUT_MS}")
            cursor.close()

    return store


@st.cache_resource(show_spinner=False, max_entries=4)
def _head(url: str) -> str:
    """The code's schema revision (reading the migration scripts takes ~40 ms; the revision ~5 ms)."""
    return _store(url).head()


@dataclass(frozen=True)
class StoreAccess:
    """The store when actions are possible; otherwise why not (the pages then read the warehouse)."""

    store: Store | None
    problem: str | None = None

    @property
    def can_act(self) -> bool:
        return self.store is not None


def open_store() -> StoreAccess:
    """The store at ``OMNIOPS_DB_URL`` (or the instance's SQLite file), checked with one read."""
    try:
        store = _store(database_url())
        if store.revision() != _head(database_url()):
            store.require_current()  # raises, saying why
    except DecisionError as error:  # not upgraded
        return StoreAccess(None, str(error))
    except (sa.exc.SQLAlchemyError, OSError) as error:
        return StoreAccess(None, unavailable_reason(error))
    return StoreAccess(store)


def unavailable_reason(error: Exception) -> str:
    """The database's own words, first line only (a driver error carries the statement after it)."""
    origin = getattr(error, "orig", None) or error
    return str(origin).strip().splitlines()[0] if str(origin).strip() else type(origin).__name__


def unavailable_notice(access: StoreAccess) -> None:
    """Say once, at the top of a page, that actions are unavailable and what is shown instead."""
    if access.can_act:
        return
    st.warning(
        t(
            "Actions are unavailable: the operational store cannot be reached ({reason}). Shown: the "
            "decisions as of the last run (warehouse schema ops).",
            reason=escape_markdown(access.problem or ""),
        ),
        icon="⛔",
    )


def acting(user: SignedIn) -> Actor:
    """The actor the store checks: the user's role as the users file says now, not as the session
    remembers it (a role taken away since sign-in is refused at once)."""
    return actor(user.username)


def act(
    access: StoreAccess, user: SignedIn, action: Callable[..., dict], *args, done: str, **kwargs
) -> dict | None:
    """``action(store, actor, *args, **kwargs)`` (a ``decisions`` function) as ``user``. Saved: keep
    ``done`` for the next run's flash and rerun, so every list on the page shows the change. Refused or
    failed: say why, here; nothing was saved."""
    try:
        if access.store is None:
            raise sa.exc.OperationalError("", None, Exception(access.problem or "no store"))
        result = action(access.store, acting(user), *args, **kwargs)
    except Conflict as error:
        st.error(t("Not saved: {message}", message=escape_markdown(str(error))), icon="🔄")
        return None
    except DecisionError as error:
        st.error(t("Not saved: {message}", message=escape_markdown(str(error))), icon="🚫")
        return None
    except (sa.exc.SQLAlchemyError, OSError) as error:
        st.error(
            t(
                "Actions are unavailable: the operational store cannot be reached ({reason}). Nothing "
                "was saved.",
                reason=escape_markdown(unavailable_reason(error)),
            ),
            icon="⛔",
        )
        return None
    for key in [k for k in st.session_state if str(k).startswith(SEEN_PREFIX)]:
        del st.session_state[key]  # the change is theirs: not "changed since you opened it"
    st.session_state[FLASH_KEY] = done
    st.rerun()
    return result


def flash() -> None:
    """The message of the action the previous run took, once."""
    done = st.session_state.pop(FLASH_KEY, None)
    if done:
        st.success(done, icon="✅")
