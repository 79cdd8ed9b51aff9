"""New and climbed warnings reach their owner: the inbox, the run alerts' webhook and e-mail through a
real SMTP server (aiosmtpd on 127.0.0.1) — received, not mocked."""

from __future__ import annotations

from datetime import timedelta
from email import message_from_bytes

from decisions import t3_loop
from decisions.notify import SmtpSettings, deliver_pending, inbox
from tests.decisions.conftest import T0
from tests.decisions.test_t3_loop import register_row
from tests.pipeline.webhook import webhook_receiver


def test_new_and_climbed_warnings_reach_the_owner_by_webhook_and_email(store, smtp_server, users_with_email):
    smtp, mailbox = smtp_server
    t3_loop.sync_register(store, [register_row()], now=T0)
    t3_loop.escalate(store, now=T0 + timedelta(hours=12))  # T-3 → T-2 (wu.min) → T-1 (manager)
    with webhook_receiver() as (url, posted):
        counts = deliver_pending(store, webhook_url=url, smtp=smtp, now=T0)
    assert counts == {"webhook": 3, "email": 3, "failed": 0}
    assert {p["kind"] for p in posted} == {"decision_notification"}
    assert [(p["event"], p["recipient"], p["entity_id"]) for p in posted] == [
        ("new", "wu.min", "T3-00001"),
        ("climbed", "wu.min", "T3-00001"),
        ("climbed", "manager", "T3-00001"),
    ]
    assert [to for to, _ in mailbox.received] == [
        ["wu.min@plant.example"],
        ["wu.min@plant.example"],
        ["manager@plant.example"],
    ]
    mail = message_from_bytes(mailbox.received[-1][1])
    assert mail["From"] == "omniops@plant.example" and "climbed to T-1" in mail.get_payload()
    assert all(n["delivered"] for n in inbox(store, "wu.min") + inbox(store, "manager"))
    with webhook_receiver() as (url, posted):
        assert deliver_pending(store, webhook_url=url, smtp=smtp) == {"webhook": 0, "email": 0, "failed": 0}
        assert posted == []


def test_a_channel_that_is_down_is_recorded_and_tried_again(store, smtp_server, users_with_email):
    smtp, mailbox = smtp_server
    t3_loop.sync_register(store, [register_row()], now=T0)
    down = SmtpSettings(host="127.0.0.1", port=1)
    with webhook_receiver() as (url, posted):
        assert deliver_pending(store, webhook_url=url, smtp=down) == {"webhook": 1, "email": 0, "failed": 1}
    (note,) = inbox(store, "wu.min")
    assert not note["delivered"] and "smtp 127.0.0.1:1" in note["delivery_error"]
    with webhook_receiver() as (url, posted):
        assert deliver_pending(store, webhook_url=url, smtp=smtp) == {"webhook": 0, "email": 1, "failed": 0}
        assert posted == []  # the webhook had it already
    assert len(mailbox.received) == 1
    assert inbox(store, "wu.min")[0]["delivered"]
