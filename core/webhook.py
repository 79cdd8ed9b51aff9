"""POST one JSON document to a webhook: what run alerts and decision notifications both send."""

from __future__ import annotations

import json
import urllib.request

WEBHOOK_TIMEOUT_SECONDS = 5.0


def post_json(url: str, payload: dict, timeout: float = WEBHOOK_TIMEOUT_SECONDS) -> None:
    """POST ``payload`` as UTF-8 JSON; raises ``OSError`` (URLError, HTTPError, timeouts) when it fails."""
    request = urllib.request.Request(
        url,
        data=json.dumps(payload, ensure_ascii=False, default=str).encode("utf-8"),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:
        response.read()
