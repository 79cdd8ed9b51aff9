"""Customer-service order lookup (placeholder until the lookup page lands)."""

from __future__ import annotations

from dashboards.components import page_header
from dashboards.i18n import t

page_header(t("Order lookup"))
