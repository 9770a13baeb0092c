"""The report's top-designs table: readable headers with units, no internal prefixes, a width that fits a page."""

from __future__ import annotations

import html
import math

import pandas as pd

from perocav.designs.report.parts import MODEL_NAMES, label

#: record fields shown after the sweep axes, in this order (those absent from a run are left out)
SHOWN = ("model", "wavelength_nm", "kappa_L", "radiating_edge", "m", "q_estimate", "threshold_modal_gain_per_cm",
         "confinement", "confinement_model", "modal_loss_per_cm", "threshold_material_gain_per_cm",
         "threshold_density_per_cm3", "threshold_current_density_a_per_cm2")


def _cell(v) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "-"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, float):
        return f"{v:.3e}" if abs(v) >= 1e6 else f"{v:.4g}"
    return MODEL_NAMES.get(v, v) if isinstance(v, str) else str(v)


def top_designs_html(table, *, axes: list[str], rank_by: str, n: int = 10) -> str:
    """``<table>`` of the ``n`` best-ranked designs (all designs when none is ranked)."""
    ranked = table[table["rank"].notna()].sort_values("rank")
    rows = ranked.head(n) if not ranked.empty else table.head(n)
    cols = ["rank", *axes, *[c for c in dict.fromkeys((*SHOWN, rank_by)) if c in table]]
    cols = [c for c in cols if c in rows]
    head = "".join(f"<th>{html.escape(label(c))}</th>" for c in cols)
    body = []
    for _, r in rows.iterrows():
        cells = []
        for c in cols:
            v = r[c]
            v = None if not isinstance(v, str) and pd.isna(v) else v  # NaN / NA -> "-"
            cells.append(f"<td>{html.escape(_cell(v.item() if hasattr(v, 'item') else v))}</td>")
        cls = " class='verified'" if r.get("model") != "analytic" else ""
        body.append(f"<tr{cls}>{''.join(cells)}</tr>")
    return f"<table class='top'><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
