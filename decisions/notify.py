"""Tell the owner: every notification is a row in the store (the user's inbox) and, after the write
commits, goes out through the run alerts' webhook (``OMNIOPS_ALERT_WEBHOOK``) and by e-mail when SMTP is
configured and the user has an ``email`` in the users file.

SMTP settings: ``OMNIOPS_SMTP_HOST`` (unset: no e-mail), ``OMNIOPS_SMTP_PORT`` (25),
``OMNIOPS_SMTP_FROM`` (``omniops@localhost``), ``OMNIOPS_SMTP_USER`` / ``OMNIOPS_SMTP_PASSWORD``
(login when set) and ``OMNIOPS_SMTP_STARTTLS=1``. A channel that fails is recorded on the row and tried
again by the next delivery; the other channels still go.
"""

from __future__ import annotations

import smtplib
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage

import sqlalchemy as sa

from core.settings import alert_webhook, smtp_settings
from core.webhook import post_json
from decisions.people import load_people
from decisions.store import Store, utcnow
from decisions.tables import notifications

SMTP_TIMEOUT_SECONDS = 10.0


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int = 25
    sender: str = "omniops@localhost"
    user: str | None = None
    password: str | None = None
    starttls: bool = False

    @classmethod
    def from_environment(cls) -> SmtpSettings | None:
        env = smtp_settings()
        if not env["host"]:
            return None
        return cls(
            host=env["host"],
            port=int(env["port"] or 25),
            sender=env["from"] or "omniops@localhost",
            user=env["user"] or None,
            password=env["password"] or None,
            starttls=env["starttls"] in ("1", "true", "yes"),
        )


def queue(
    conn: sa.Connection,
    recipient: str | None,
    entity: str,
    entity_id: str,
    kind: str,
    message: str,
    at: datetime,
) -> None:
    """Put a notification in ``recipient``'s inbox, in the caller's transaction."""
    conn.execute(
        notifications.insert().values(
            created_at=at,
            recipient=recipient,
            entity=entity,
            entity_id=entity_id,
            kind=kind,
            message=message,
            delivered=False,
        )
    )


def inbox(store: Store, username: str, unread_only: bool = False) -> list[dict]:
    query = sa.select(notifications).where(notifications.c.recipient == username)
    if unread_only:
        query = query.where(notifications.c.read_at.is_(None))
    with store.read() as conn:
        return [dict(r) for r in conn.execute(query.order_by(notifications.c.id.desc())).mappings()]


def _send_email(smtp: SmtpSettings, to: str, subject: str, body: str) -> None:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = smtp.sender, to, subject
    message.set_content(body)
    with smtplib.SMTP(smtp.host, smtp.port, timeout=SMTP_TIMEOUT_SECONDS) as client:
        if smtp.starttls:
            client.starttls()
        if smtp.user:
            client.login(smtp.user, smtp.password or "")
        client.send_message(message)


def deliver_pending(
    store: Store,
    webhook_url: str | None = None,
    smtp: SmtpSettings | None = None,
    now: datetime | None = None,
) -> dict[str, int]:
    """Send every notification not yet delivered; returns counts per channel (and failures)."""
    url = webhook_url if webhook_url is not None else alert_webhook()
    smtp = smtp if smtp is not None else SmtpSettings.from_environment()
    emails = {name: person.email for name, person in load_people().items() if person.email}
    counts = {"webhook": 0, "email": 0, "failed": 0}
    with store.read() as conn:
        pending = [
            dict(r)
            for r in conn.execute(
                sa.select(notifications)
                .where(notifications.c.delivered.is_(False))
                .order_by(notifications.c.id)
            ).mappings()
        ]
    for note in pending:
        stamps: dict = {}
        errors = []
        if url and note["webhook_sent_at"] is None:
            payload = {key: note[key] for key in ("recipient", "entity", "entity_id", "message")}
            payload |= {"kind": "decision_notification", "event": note["kind"], "summary": note["message"]}
            try:
                post_json(url, payload)
                stamps["webhook_sent_at"] = now or utcnow()
                counts["webhook"] += 1
            except OSError as error:
                errors.append(f"webhook {url}: {error}")
        address = emails.get(note["recipient"] or "")
        if smtp and address and note["email_sent_at"] is None:
            try:
                _send_email(smtp, address, f"OmniOps: {note['message'][:120]}", note["message"])
                stamps["email_sent_at"] = now or utcnow()
                counts["email"] += 1
            except (OSError, smtplib.SMTPException) as error:
                errors.append(f"smtp {smtp.host}:{smtp.port}: {error}")
        counts["failed"] += bool(errors)
        with store.write() as conn:
            conn.execute(
                notifications.update()
                .where(notifications.c.id == note["id"])
                .values(**stamps, delivery_error="; ".join(errors) or None, delivered=not errors)
            )
    return counts
