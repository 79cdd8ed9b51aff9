"""``python -m dashboards.serve run app.py ...``: Streamlit's command without ``/_stcore/metrics``.

That endpoint answers without sign-in and tells anyone who can reach the port how many sessions are open
and what they hold in memory; ``omniops serve`` starts the dashboard through this module instead.
"""

from __future__ import annotations

import sys

from streamlit.web import cli
from streamlit.web.server.starlette import starlette_app


def _no_metrics_routes(runtime, base_url):  # noqa: ANN001, ARG001 - Streamlit's signature
    return []


def main() -> int:
    starlette_app.create_metrics_routes = _no_metrics_routes
    sys.argv[0] = "streamlit"
    return cli.main()


if __name__ == "__main__":
    raise SystemExit(main())
