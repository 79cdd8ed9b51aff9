"""Who may do what, checked by the library on every write (a page that hides a button is not enough).

One table: an action and the roles that may take it. Every role may read. ``manager`` may do all;
``analyst`` only reads. The pipeline and the escalation clock act as the ``system`` actor, which no
person has.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from decisions.errors import Refused

if TYPE_CHECKING:
    from decisions.people import Actor

ROLES = ("manager", "planner", "pmc", "supervisor", "cs_agent", "analyst")

MAY = {
    # T-3: the planner and the work-centre supervisors (the owners on the first rungs) act on warnings.
    "warning.acknowledge": frozenset({"planner", "supervisor", "manager"}),
    "warning.resolve": frozenset({"planner", "supervisor", "manager"}),
    "warning.cancel": frozenset({"planner", "manager"}),
    # Daily close: the supervisor of the work centre (its owner in decision_owners.csv) explains the
    # variances and signs; a supervisor acts only on the work centres they own.
    "close.explain": frozenset({"supervisor", "manager"}),
    "close.sign": frozenset({"supervisor", "manager"}),
    "close.reopen": frozenset({"supervisor", "manager"}),
    # Rush orders: a joint PMC–production decision. Customer service may propose for a customer's order.
    "rush.propose": frozenset({"planner", "cs_agent", "manager"}),
    "rush.approve": frozenset({"pmc", "manager"}),
    "rush.reject": frozenset({"pmc", "manager"}),
    "rush.acknowledge": frozenset({"supervisor", "manager"}),
    # Forecast: the planner (and the manager) may put their own number on a series × period.
    "forecast.override": frozenset({"planner", "manager"}),
}
ACTION_LABELS = {
    "warning.acknowledge": "acknowledge a T-3 warning",
    "warning.resolve": "resolve a T-3 warning",
    "warning.cancel": "cancel a T-3 warning",
    "close.explain": "explain a daily-close variance",
    "close.sign": "sign a daily close",
    "close.reopen": "reopen a signed daily close",
    "rush.propose": "propose a rush order",
    "rush.approve": "approve a rush order",
    "rush.reject": "reject a rush order",
    "rush.acknowledge": "acknowledge a rush order for production",
    "forecast.override": "override the forecast",
}


def may(role: str, action: str) -> bool:
    return role in MAY[action]


def require(actor: Actor, action: str) -> None:
    """Raise :class:`Refused` unless ``actor``'s role may take ``action``."""
    if not may(actor.role, action):
        allowed = ", ".join(sorted(MAY[action]))
        raise Refused(
            f"{actor.username} ({actor.role}) may not {ACTION_LABELS[action]}; roles that may: {allowed}"
        )
