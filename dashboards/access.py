"""Who sees what: the roles, the pages each role may open, and which roles see customer contacts.

One table, so adding a page or a role is a one-line change here and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

VIEWS = Path(__file__).parent / "views"

# The same roles as the operational store's (decisions/roles.py), which checks who may take each action.
ROLES = ("manager", "planner", "pmc", "supervisor", "cs_agent", "analyst")
ROLE_LABELS = {
    "manager": "Manager",
    "planner": "Planner",
    "pmc": "PMC (production material control)",
    "supervisor": "Production supervisor",
    "cs_agent": "Customer-service agent",
    "analyst": "Analyst",
}
# Customer-service agents talk to the customer and need the full phone number and e-mail;
# every other role sees them masked.
ROLES_SEEING_CONTACTS = frozenset({"cs_agent"})


@dataclass(frozen=True)
class PageSpec:
    key: str
    file: str
    title: str
    icon: str
    roles: frozenset[str]

    @property
    def path(self) -> Path:
        return VIEWS / self.file


_MANAGEMENT = frozenset({"manager", "planner", "pmc", "analyst"})
_CUSTOMER_SERVICE = frozenset({"cs_agent", "manager", "analyst"})
PAGES = (
    PageSpec("overview", "overview.py", "KPI overview", "📊", _MANAGEMENT),
    PageSpec("order_lookup", "order_lookup.py", "Order lookup", "🔎", _CUSTOMER_SERVICE),
    PageSpec("promise", "promise.py", "Promise date", "📅", _CUSTOMER_SERVICE | {"planner", "pmc"}),
    PageSpec("forecast", "forecast.py", "Forecast & inventory", "📈", _MANAGEMENT),
    PageSpec("production", "production.py", "Production", "🏭", _MANAGEMENT | {"supervisor"}),
    PageSpec("inbox", "inbox.py", "My inbox", "📥", _MANAGEMENT | {"supervisor"}),
    PageSpec("daily_close", "daily_close.py", "Daily close sign-off", "✍️", _MANAGEMENT | {"supervisor"}),
    PageSpec("rush", "rush.py", "Rush orders", "⚡", _MANAGEMENT | {"supervisor", "cs_agent"}),
    PageSpec("data_quality", "data_quality.py", "Data quality", "🧪", frozenset({"analyst"})),
)


def pages_for(role: str) -> list[PageSpec]:
    """The pages a role may open, in menu order (the first is its landing page)."""
    return [page for page in PAGES if role in page.roles]


def sees_contacts(role: str) -> bool:
    return role in ROLES_SEEING_CONTACTS
