"""Material consumption as the MES books it: components issued (backflushed) at the operation using them.

Which operation consumes which BOM component (by the component's kind, `RM-<KIND>-…`): fabric at CUT;
thread, buttons, zips and labels at SEW; the PCBA at SMT (at ASM when the route has no SMT); housings
and batteries at ASM; polybags, gift boxes and manuals at PKG. Other operations consume nothing.

Actual quantity = BOM quantity x total count (good + scrap) of the machine-shift-operation x (1 + waste
of 0–4 %); about 2 % of rows are a clear over-consumption (+10–25 %) and about 0.5 % under-booked (5–20 %
too little). Metres keep two decimals, units are whole. The standard (computed downstream) is BOM
quantity x good count, so scrap, waste and the odd booking error are the variances to explain.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .catalog import Catalog
from .mes import MesResult
from .plant import MACHINES

# component kind → the work centers that may consume it, first one in the product's route wins
CONSUMED_AT = {
    "FAB": ("CUT",),
    "THR": ("SEW",),
    "BTN": ("SEW",),
    "ZIP": ("SEW",),
    "LABEL": ("SEW",),
    "POLYBAG": ("PKG",),
    "PCBA": ("SMT", "ASM"),
    "HSG": ("ASM",),
    "BAT": ("ASM",),
    "BOX": ("PKG",),
    "MANUAL": ("PKG",),
}
WASTE = (0.0, 0.04)
OVER_SHARE, OVER = 0.02, (1.10, 1.25)
UNDER_SHARE, UNDER = 0.005, (0.80, 0.95)


def bom_by_operation(catalog: Catalog, route: pd.DataFrame) -> pd.DataFrame:
    """sku_idx, Sequence, component, per_unit, uom: the BOM lines each routing operation consumes."""
    bom = catalog.bom
    sku_idx = dict(zip(catalog.products["sku"], catalog.products["sku_idx"], strict=True))
    steps = {
        (int(s), str(wc)): int(seq)
        for s, seq, wc in zip(route["sku_idx"], route["Sequence"], route["Work Center"], strict=True)
    }
    rows = []
    lines = bom[["Product", "Component", "Quantity", "Unit of Measure"]].itertuples(index=False)
    for product, component, qty, uom in lines:
        s = sku_idx[product]
        kind = component.split("-")[1]
        seq = next((steps[(s, wc)] for wc in CONSUMED_AT[kind] if (s, wc) in steps), None)
        if seq is None:
            raise ValueError(f"no operation of {product} consumes {component}")
        rows.append((s, seq, component, float(qty), uom))
    return pd.DataFrame(rows, columns=["sku_idx", "Sequence", "component", "per_unit", "uom"])


def consumption(
    rng: np.random.Generator, mes: MesResult, mo_sku: np.ndarray, mo_refs: list[str], bom_ops: pd.DataFrame
) -> pd.DataFrame:
    """One row per machine x shift x production order operation x component consumed there."""
    c = mes.counts
    ops = mes.ops
    mo = np.array([ops[i].mo for i in c["op"]], dtype=np.int64)
    rows = pd.DataFrame(
        {
            "order": np.arange(len(c)),
            "sku_idx": mo_sku[mo] if len(c) else np.zeros(0, np.int64),
            "Sequence": np.array([ops[i].seq for i in c["op"]], dtype=np.int64),
            "mo": mo,
            "total": c["total"].to_numpy(),
        }
    )
    used = rows.merge(bom_ops, on=["sku_idx", "Sequence"], how="inner").sort_values(
        ["order", "component"], kind="stable"
    )
    n = len(used)
    factor = 1 + rng.uniform(*WASTE, n)
    draw = rng.random(n)
    over = draw < OVER_SHARE
    under = (draw >= OVER_SHARE) & (draw < OVER_SHARE + UNDER_SHARE)
    factor[over] = rng.uniform(*OVER, int(over.sum()))
    factor[under] = rng.uniform(*UNDER, int(under.sum()))
    qty = used["per_unit"].to_numpy() * used["total"].to_numpy() * factor
    whole = used["uom"].to_numpy() != "m"
    qty = np.where(whole, np.round(qty), np.round(qty, 2))
    src = c.iloc[used["order"].to_numpy()]
    return pd.DataFrame(
        {
            "shift_date": np.datetime_as_string(src["day"].to_numpy().astype("datetime64[D]"), unit="D"),
            "shift": src["code"].to_numpy(),
            "machine_id": np.array([m.id for m in MACHINES])[src["machine"].to_numpy()],
            "production_order": np.array(mo_refs, dtype=object)[used["mo"].to_numpy()],
            "operation_seq": used["Sequence"].to_numpy(),
            "component": used["component"].to_numpy(),
            "quantity": np.where(whole, np.char.mod("%d", qty.astype(np.int64)), np.char.mod("%.2f", qty)),
            "unit_of_measure": used["uom"].to_numpy(),
        }
    )
