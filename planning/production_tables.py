"""The production tables' contract (schema ``production``): column order and SQL types.

Times ending in ``_utc`` are UTC like the rest of the warehouse; the production page shows them in the
plant's time zone. Minutes ending in ``_minute`` are plant minutes from the plan's ``as_of`` (see
``scheduling.calendar``). docs/scheduling.md describes each table.
"""

SCHEMA = "production"

PLAN_PROBLEM = {
    "as_of": "timestamp", "production_order_id": "varchar", "order_position": "integer",
    "due_minute": "bigint", "release_minute": "bigint", "weight": "integer", "operation_seq": "integer",
    "work_center": "varchar", "eligible_machines": "varchar", "minutes": "bigint",
    "fixed_machine": "varchar", "fixed_start_minute": "bigint",
}  # fmt: skip
PLAN_BLOCKED = {
    "as_of": "timestamp", "machine_id": "varchar", "work_center": "varchar", "start_minute": "bigint",
    "end_minute": "bigint", "horizon_minutes": "bigint",
}  # fmt: skip
PLAN_CALENDAR = {
    "as_of": "timestamp", "window_start": "timestamp", "window_end": "timestamp", "offset_minutes": "bigint",
    "origin": "timestamp",
}  # fmt: skip
SCHEDULE = {
    "as_of": "timestamp", "method": "varchar", "production_order_id": "varchar", "sku": "varchar",
    "operation_seq": "integer", "operation_name": "varchar", "work_center": "varchar",
    "machine_id": "varchar",
    "start_minute": "bigint", "end_minute": "bigint", "minutes": "bigint", "planned_start_utc": "timestamp",
    "planned_end_utc": "timestamp", "is_started": "boolean", "customer_tier": "varchar",
    "due_at_utc": "timestamp",
}  # fmt: skip
SCHEDULE_ORDERS = {
    "as_of": "timestamp", "method": "varchar", "production_order_id": "varchar", "sku": "varchar",
    "customer_tier": "varchar", "margin": "double", "priority_score": "double", "priority_rank": "integer",
    "weight": "integer", "due_at_utc": "timestamp", "planned_completion_utc": "timestamp",
    "tardiness_minutes": "bigint", "lateness_hours": "double", "is_late": "boolean",
    "open_operations": "integer",
}  # fmt: skip
SCHEDULE_RUNS = {
    "as_of": "timestamp", "method": "varchar", "status": "varchar", "weighted_tardiness": "bigint",
    "bound": "bigint", "gap": "double", "makespan_minutes": "bigint", "makespan_at_utc": "timestamp",
    "late_orders": "integer", "orders": "integer", "operations": "integer", "seconds": "double",
    "is_chosen": "boolean", "note": "varchar",
}  # fmt: skip
WORK_CENTER_LOAD = {
    "as_of": "timestamp", "rank": "integer", "work_center": "varchar", "work_center_name": "varchar",
    "owner": "varchar", "machines": "integer", "open_operations": "integer", "load_minutes": "bigint",
    "capacity_minutes": "bigint", "load_ratio": "double", "horizon_minutes": "bigint",
    "is_bottleneck": "boolean",
}  # fmt: skip
T3_WARNINGS = {
    "warning_id": "varchar", "production_order_id": "varchar", "sku": "varchar", "customer_tier": "varchar",
    "due_at": "timestamp", "days_left": "double", "level": "varchar", "escalated_to": "varchar",
    "blocking_operation_seq": "integer", "blocking_operation": "varchar", "work_center": "varchar",
    "machine_id": "varchar", "owner": "varchar", "unfinished_operations": "integer",
    "planned_completion": "timestamp", "projected_late": "boolean", "status": "varchar",
    "opened_at": "timestamp", "last_seen_at": "timestamp", "closed_at": "timestamp",
    "close_reason": "varchar",
}  # fmt: skip
DAILY_CLOSE_OUTPUT = {
    "shift_date": "date", "production_order_id": "varchar", "operation_seq": "integer",
    "planned_machines": "varchar", "actual_machines": "varchar", "planned_qty": "integer",
    "total_count": "integer", "good_count": "integer", "scrap": "integer", "variance": "integer",
    "variance_pct": "double", "breakdown_minutes": "double", "material_wait_minutes": "double",
    "within_tolerance": "boolean", "reason": "varchar", "reason_detail": "varchar",
}  # fmt: skip
DAILY_CLOSE_MATERIALS = {
    "shift_date": "date", "production_order_id": "varchar", "operation_seq": "integer", "sku": "varchar",
    "component": "varchar", "actual_qty": "double", "total_count": "double", "good_count": "double",
    "standard_qty": "double", "scrap_allowance": "double", "variance": "double", "unexplained": "double",
    "variance_pct": "double", "flagged": "boolean", "reason": "varchar",
}  # fmt: skip

# Every table of the schema by name: what the writers and the contract test both use.
CONTRACTS = {
    "schedule": SCHEDULE, "schedule_orders": SCHEDULE_ORDERS, "schedule_runs": SCHEDULE_RUNS,
    "work_center_load": WORK_CENTER_LOAD, "plan_problem": PLAN_PROBLEM, "plan_blocked": PLAN_BLOCKED,
    "plan_calendar": PLAN_CALENDAR, "t3_warnings": T3_WARNINGS, "daily_close": DAILY_CLOSE_OUTPUT,
    "daily_close_materials": DAILY_CLOSE_MATERIALS,
}  # fmt: skip
