"""Tell someone when a run fails: a log line, a JSON line in a file, and an optional webhook POST.

Two paths lead here and both send the same alert: ``omniops_run_failure_sensor`` (runs launched by the
Dagster daemon: schedule, sensor, UI) and ``run_pipeline`` (``omniops run`` from cron or a shell,
which has no daemon). Runs of the second kind carry the tag ``ALERTED_TAG`` so that a daemon watching
the same instance does not send their alert twice.

Where alerts go is configuration, not code:

- ``OMNIOPS_ALERT_FILE`` (default ``$OMNIOPS_HOME/alerts/alerts.jsonl``): one JSON object per line,
  for a log shipper or a ``tail -f``.
- ``OMNIOPS_ALERT_WEBHOOK``: a URL that receives the same JSON by POST (a chat or incident tool's
  incoming webhook, or a small relay). A webhook that is down is logged; it never fails the run twice.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from core.settings import alert_webhook
from core.webhook import post_json

logger = logging.getLogger("omniops.alerts")

ALERTED_TAG = "omniops/alert_sent_by"


@dataclass
class RunFailureAlert:
    """What an on-call engineer needs to act: which run, which step, what error, where to look."""

    job: str
    run_id: str
    error: str
    failed_steps: list[str] = field(default_factory=list)
    day: str | None = None  # the company day a daily run covers (tag omniops/day)
    rejected_files: list[str] = field(default_factory=list)
    home: str = ""
    raised_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))

    @property
    def summary(self) -> str:
        where = f" steps {', '.join(self.failed_steps)}" if self.failed_steps else ""
        day = f" for {self.day}" if self.day else ""
        return f"OmniOps run {self.run_id} of {self.job}{day} failed{where}: {self.error}"


def step_error_text(error) -> str:
    """The message of the error that made a step fail, not Dagster's wrapper around it.

    ``error`` is Dagster's ``SerializableErrorInfo``; a step that raised carries the user's exception
    as the ``cause`` of a ``DagsterExecutionStepExecutionError``.
    """
    if error is None:
        return "unknown error"
    while error.cause is not None and error.cls_name == "DagsterExecutionStepExecutionError":
        error = error.cause
    return error.message.strip()


def send_alert(alert: RunFailureAlert, alert_file: Path, webhook_url: str | None = None) -> list[str]:
    """Log, append to ``alert_file`` and POST to ``webhook_url``; return where it was delivered."""
    delivered = ["log"]
    logger.error(alert.summary)
    payload = {"kind": "run_failure", "summary": alert.summary, **asdict(alert)}
    alert_file.parent.mkdir(parents=True, exist_ok=True)
    with alert_file.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(payload, ensure_ascii=False) + "\n")
    delivered.append(str(alert_file))
    url = webhook_url if webhook_url is not None else alert_webhook()
    if url:
        try:
            post_json(url, payload)
            delivered.append(url)
        except OSError as exc:  # URLError, HTTPError and timeouts are all OSErrors
            logger.error(f"alert webhook {url} failed: {exc}; the alert is in {alert_file}")
    return delivered
