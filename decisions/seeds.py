"""The rules analysts maintain as dbt seeds (dbt_project/seeds/), read straight from the CSV files.

- ``t3_escalation_ladder.csv``: per level, who owns it and the hours to acknowledge before it climbs;
- ``decision_owners.csv``: the user name behind each duty (work-centre owner, production/plant manager);
- ``t3_root_causes.csv``: the root causes a resolution may name;
- ``daily_close_reasons.csv``: the reason codes a daily-close variance may be given;
- ``kpi_targets.csv``: each KPI's target and direction (the KPI alerts).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from core.settings import DBT_PROJECT_DIR

SEEDS = DBT_PROJECT_DIR / "seeds"


def _rows(name: str) -> list[dict[str, str]]:
    path = SEEDS / f"{name}.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(handle)]


@dataclass(frozen=True)
class Rung:
    level: str
    rank: int
    escalated_to: str  # work_center_owner | production_manager | plant_manager
    acknowledge_within_hours: float | None  # None on the top rung: it cannot climb further


@dataclass(frozen=True)
class Ladder:
    rungs: tuple[Rung, ...]
    owners: dict[tuple[str, str], str]  # (duty, work centre or "") → user name

    def rung(self, level: str) -> Rung:
        for rung in self.rungs:
            if rung.level == level:
                return rung
        raise ValueError(f"{SEEDS / 't3_escalation_ladder.csv'}: no level {level!r}")

    def rank(self, level: str) -> int:
        return self.rung(level).rank

    def next_level(self, level: str) -> str | None:
        higher = [r for r in self.rungs if r.rank > self.rank(level)]
        return min(higher, key=lambda r: r.rank).level if higher else None

    def owner(self, level: str, work_center: str | None) -> str | None:
        """The user who owns a warning at ``level`` on ``work_center`` (None when the seed names none)."""
        duty = self.rung(level).escalated_to
        scope = (work_center or "") if duty == "work_center_owner" else ""
        return self.owners.get((duty, scope))


@cache
def ladder() -> Ladder:
    rungs = []
    for number, row in enumerate(_rows("t3_escalation_ladder"), start=2):
        hours = row["acknowledge_within_hours"]
        try:
            rungs.append(
                Rung(row["level"], int(row["rank"]), row["escalated_to"], float(hours) if hours else None)
            )
        except ValueError as error:
            raise ValueError(f"{SEEDS / 't3_escalation_ladder.csv'} row {number}: {error}") from error
    owners = {(row["duty"], row["work_center"]): row["username"] for row in _rows("decision_owners")}
    return Ladder(tuple(sorted(rungs, key=lambda r: r.rank)), owners)


def work_center_owners() -> list[tuple[str, str, str]]:
    """(user name, work centre, owner's name) of every work-centre owner: the supervisors who sign in."""
    return [
        (row["username"], row["work_center"], row["owner_name"])
        for row in _rows("decision_owners")
        if row["duty"] == "work_center_owner"
    ]


@cache
def root_causes() -> dict[str, str]:
    return {row["root_cause"]: row["description"] for row in _rows("t3_root_causes")}


@cache
def close_reasons() -> dict[str, str]:
    return {row["reason_code"]: row["description"] for row in _rows("daily_close_reasons")}


def kpi_target_rows() -> list[dict[str, str]]:
    return _rows("kpi_targets")


def seed_path(name: str) -> Path:
    return SEEDS / f"{name}.csv"
