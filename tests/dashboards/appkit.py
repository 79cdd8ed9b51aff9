"""Open the dashboard app in AppTest as a signed-in user of a role, on a given page and language."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[2] / "dashboards" / "app.py"


def open_app(
    home: Path,
    monkeypatch,
    *,
    role: str = "manager",
    page: str | None = None,
    language: str = "en",
    timeout: float = 60,
    address: dict[str, str] | None = None,
) -> AppTest:
    """The app as ``role`` (signed in through the session, as the log-in form leaves it).

    ``page`` is a file under ``dashboards/views`` such as ``"views/forecast.py"``; ``address`` the query
    parameters of the address the browser opened (``?period=week``), read by the first page.
    """
    monkeypatch.setenv("OMNIOPS_HOME", str(home))
    app = AppTest.from_file(str(APP), default_timeout=timeout)
    app.session_state["user"] = {"username": f"test-{role}", "role": role, "display_name": f"Test {role}"}
    app.session_state["language"] = language
    app.query_params.update(address or {})
    app.run()
    if page is not None:
        app.switch_page(page).run()
    assert not app.exception, app.exception
    return app


def freshness(app: AppTest) -> str:
    """The page's one freshness caption with its tooltip (every source's own time)."""
    caption = next(c for c in app.caption if c.value.startswith(("Last landed ", "最近落地时间")))
    return f"{caption.value} {caption.proto.help}"
