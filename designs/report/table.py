"""The report's top-designs table: readable headers with units, no internal prefixes, a width that fits a page."""

from __future__ import annotations

import html
import math

import pandas as pd

from perocav.designs.report.parts import MODEL_NAMES, label

#: record fields shown after the sweep axes, in this order (those absent from a run are left out)
SHOWN = ("model", "wavelength_nm", "kappa_L", "radiating_edge", "m", "q_estimate", "threshold_modal_gain_per_cm",
         "gain_margin_per_cm", "pumped_fraction", "unpumped_loss_per_cm", "eta_up", "central_lobe_fraction",
         "slope_efficiency_w_per_a",
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


#: what each tier of the ranking is, where the table is read
TIERS = (("analytic", "analytic", "coupled-mode theory on the stack's slab modes (every design; the screen)"),
         ("rcwa", "RCWA", "meent unit cell of the grating, band edges and Qs from the reflection poles (the screen's "
                          "best few)"),
         ("fdtd", "FDTD", "MEEP 2D unit cell ring-down, climbed up a resolution ladder (the best of the RCWA tier)"))


def tier_legend_html(table) -> str:
    """The ranking's tiers: what each model is, how many rows it holds, and how verified rows are ordered."""
    counts = table["model"].value_counts() if "model" in table else {}
    rows = "".join(f"<tr><td><b>{name}</b></td><td>{int(counts.get(m, 0))}</td><td>{desc}</td></tr>"
                   for m, name, desc in TIERS if int(counts.get(m, 0)))
    return ("<table class='legend'><tr><th>model</th><th>rows</th><th>what produced the row's numbers</th></tr>"
            f"{rows}</table><p class='note'>Every number in a row comes from the model in its <b>model</b> column "
            "(Γ: from the tier in <b>Γ from</b>). Ranking: verified designs first (FDTD, then RCWA), each tier by "
            "the ranking metric, then the analytic-only designs; so a verified row can rank above an analytic row "
            "with a lower J_th (different models, not a better number). Q (lasing mode): the cold-cavity Q of the "
            "lasing mode from its threshold gain; the band edges' Qs are named radiating / dark edge.</p>")


def best_note(table) -> str:
    """What the best-design figures are drawn from, and where the verified numbers of that design are."""
    ranked = table[table["rank"].notna()].sort_values("rank") if "rank" in table else table.iloc[:0]
    if ranked.empty or ranked.iloc[0].get("model") == "analytic":
        return "<p class='note'>Model: coupled-mode theory on the stack's slab modes (analytic).</p>"
    tier = MODEL_NAMES[ranked.iloc[0]["model"]]
    return (f"<p class='note'>These figures are the <b>analytic</b> model of the best design; its numbers in the top "
            f"table come from <b>{tier}</b> (see its verification section above). κ is shown as |κ|.</p>")
