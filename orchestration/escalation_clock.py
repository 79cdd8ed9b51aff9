"""The T-3 escalation clock as a Dagster job: every ``ESCALATION_EVERY_MINUTES`` the schedule in
``orchestration/schedules.py`` runs it, so a warning nobody acknowledges climbs between pipeline runs
too. ``omniops warnings escalate`` does the same from cron. The rule itself: ``decisions.t3_loop.escalate``.
"""

from datetime import datetime

from dagster import Config, OpExecutionContext, job, op

from decisions.notify import deliver_pending
from decisions.store import Store, database_url
from decisions.t3_loop import escalate
from orchestration.resources import WarehouseResource

ESCALATION_EVERY_MINUTES = 15


class EscalationConfig(Config):
    now: str = ""  # ISO moment (naive UTC) to check at; empty: now. For tests and catch-up runs.


@op(description="Climb the open T-3 warnings whose time on their level ran out; notify their owners.")
def escalate_t3_warnings(
    context: OpExecutionContext, config: EscalationConfig, warehouse: WarehouseResource
) -> None:
    store = Store(database_url(warehouse.paths))
    try:
        before, after = store.upgrade()
        if before != after:
            context.log.info(f"operational store {store.where}: migrated {before or '(empty)'} → {after}")
        climbs = escalate(store, now=datetime.fromisoformat(config.now) if config.now else None)
        sent = deliver_pending(store)
    finally:
        store.engine.dispose()
    context.log.info(f"{len(climbs)} T-3 climb(s); notifications sent {sent}")


@job(
    name="omniops_escalation",
    description=f"The T-3 escalation clock (every {ESCALATION_EVERY_MINUTES} min): climb and notify.",
)
def escalation_job() -> None:
    escalate_t3_warnings()
