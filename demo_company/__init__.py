"""The deterministic demo company (Lumen & Loom): every landing file of docs/data_sources.md.

Start at `generate.py`; one module per source system (shopify, amazon, tmall, social, stores, erp, wms,
mes, cs), the sales channels on the skeleton in `channel.py`, with the shared simulation in catalog,
customers, demand, inventory and production. docs/demo_company.md describes it.
"""

from .generate import DEFAULT_AS_OF, generate_demo_company

__all__ = ["DEFAULT_AS_OF", "generate_demo_company"]
