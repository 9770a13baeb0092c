"""Design-space maps of the report: one cell per computed design on categorical sweep axes, linear colour scales
with units, designs outside the constraints hatched, failed ones crossed, the wavelength window drawn."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.patches import Patch, Rectangle  # noqa: E402

from perocav.designs.report.parts import MODEL_NAMES, Figure, label, save_png  # noqa: E402
from perocav.designs.spec import RANK_DIRECTION  # noqa: E402

#: outline (colour, line style) of a map cell whose numbers come from a verifying model
OUTLINES = {"fdtd": ("red", "-"), "rcwa": ("darkorange", "--")}

#: map colour: lower is better -> reversed colormap so that the best designs are bright
LOWER_IS_BETTER = {"threshold_current_density_a_per_cm2", "threshold_material_gain_per_cm",
                   "threshold_modal_gain_per_cm", "threshold_density_per_cm3", "modal_loss_per_cm"}


def cell_text(value: float) -> str:
    """A map cell's number in at most 5 characters: 4 significant digits below 10 000, then thousands ("14k")."""
    return f"{value / 1000:.0f}k" if abs(value) >= 9999.5 else f"{value:.4g}"


def _slice(table, x: str, y: str, others: list[str]):
    """Rows of the x-y plane through the best design (other sweep axes held at its values)."""
    ranked = table[table["rank"].notna()].sort_values("rank")
    if not others or ranked.empty:
        return table, ""
    best = ranked.iloc[0]
    sel = np.ones(len(table), bool)
    for o in others:
        sel &= (table[o] == best[o]).to_numpy()
    return table[sel], ", ".join(f"{label(o)} = {best[o]:g}" for o in others)


def _grid(rows, x: str, y: str, xs, ys, column: str) -> np.ndarray:
    grid = np.full((len(ys), len(xs)), np.nan)
    for _, r in rows.iterrows():
        try:
            v = float(r.get(column))
        except (TypeError, ValueError):
            continue
        if np.isfinite(v):
            grid[list(ys).index(r[y]), list(xs).index(r[x])] = v
    return grid


def _mark_cells(ax, rows, x: str, y: str, xs, ys) -> list:
    """Hatch designs outside the constraints, cross failed ones, outline verified ones (the model of their
    numbers: FDTD solid red, RCWA dashed orange); legend handles."""
    handles, seen = [], set()
    for _, r in rows.iterrows():
        i, j = list(xs).index(r[x]), list(ys).index(r[y])
        if r["status"] != "ok":
            ax.plot([i], [j], "x", color="k", ms=10)
            seen.add("failed")
        elif not bool(r.get("feasible", True)):
            ax.add_patch(Rectangle((i - 0.5, j - 0.5), 1, 1, fill=True, facecolor=(0.85, 0.85, 0.85, 0.75),
                                   hatch="///", edgecolor="0.35", lw=0))
            seen.add("infeasible")
        if r.get("model") in OUTLINES:
            colour, style = OUTLINES[r["model"]]
            ax.add_patch(Rectangle((i - 0.46, j - 0.46), 0.92, 0.92, fill=False, edgecolor=colour, lw=2, ls=style))
            seen.add(r["model"])
        if not pd.isna(r.get("rank")) and int(r["rank"]) == 1:
            ax.plot([i + 0.32], [j + 0.3], "*", color="red", mec="white", ms=14)  # corner: keeps the value legible
            seen.add("best")
    legend = {"infeasible": Patch(facecolor="0.85", hatch="///", edgecolor="0.35", label="outside the constraints"),
              "failed": plt.Line2D([], [], marker="x", color="k", ls="", label="failed"),
              **{m: Patch(fill=False, edgecolor=c, lw=2, ls=ls, label=f"{MODEL_NAMES[m]}-verified")
                 for m, (c, ls) in OUTLINES.items()},
              "best": plt.Line2D([], [], marker="*", color="red", ls="", ms=12, label="best (rank 1)")}
    handles = [legend[k] for k in ("best", "fdtd", "rcwa", "infeasible", "failed") if k in seen]
    return handles


def design_map(table, *, x: str, y: str, others: list[str], column: str, window_nm=None,
               path: Path) -> Figure | None:
    """Heat map of ``column`` over the (x, y) sweep values; None when nothing was computed."""
    rows, held = _slice(table, x, y, others)
    xs, ys = sorted(rows[x].unique()), sorted(rows[y].unique())
    grid = _grid(rows[rows["status"] == "ok"], x, y, xs, ys, column)
    if not np.isfinite(grid).any():
        return None
    fig, ax = plt.subplots(figsize=(5.8, 4.4))
    cmap = plt.get_cmap("viridis_r" if column in LOWER_IS_BETTER else "viridis").copy()
    cmap.set_bad("white")
    im = ax.imshow(np.ma.masked_invalid(grid), origin="lower", cmap=cmap, aspect="auto",
                   extent=(-0.5, len(xs) - 0.5, -0.5, len(ys) - 0.5), interpolation="nearest")
    cb = fig.colorbar(im, ax=ax)
    cb.set_label(label(column) + (" (linear scale)" if column != "wavelength_nm" else ""))
    if len(xs) * len(ys) <= 150:
        lo, hi = np.nanmin(grid), np.nanmax(grid)
        for (j, i), v in np.ndenumerate(grid):
            if np.isfinite(v):
                frac = (v - lo) / (hi - lo) if hi > lo else 0.5
                dark = frac > 0.5 if column in LOWER_IS_BETTER else frac < 0.5  # viridis is dark at its low end
                ax.text(i, j, cell_text(v), ha="center", va="center", fontsize=7, color="white" if dark else "black")
    if window_nm is not None and column == "wavelength_nm":
        for v in window_nm:
            cb.ax.axhline(v, color="red", lw=2)
        inside = [v for v in sorted(window_nm) if np.nanmin(grid) < v < np.nanmax(grid)]
        if grid.shape[0] > 1 and grid.shape[1] > 1 and inside:
            cs = ax.contour(np.arange(len(xs)), np.arange(len(ys)), grid, levels=inside, colors="red",
                            linewidths=1.5, linestyles="--")
            ax.clabel(cs, fmt="%g nm", fontsize=7)
    handles = _mark_cells(ax, rows, x, y, xs, ys)
    ax.set_xticks(range(len(xs)), [f"{v:g}" for v in xs])
    ax.set_yticks(range(len(ys)), [f"{v:g}" for v in ys])
    ax.set_xlabel(label(x))
    ax.set_ylabel(label(y))
    ax.set_title(label(column) + (f" ({held})" if held else ""), fontsize=10)
    if handles:
        ax.legend(handles=handles, fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=len(handles),
                  frameon=False)
    fig.tight_layout()
    return Figure(save_png(fig, path), "")


def design_maps(table, *, axes: list[str], rank_by: str, window_nm, figdir: Path, model: str) -> list[Figure]:
    """Maps of the rank metric, Q and the lasing wavelength over the first two numeric sweep axes."""
    x, y, others = axes[0], axes[1], list(axes[2:])
    out = []
    n_ok = int((table["status"] == "ok").sum())
    tiers = [m for m in OUTLINES if (table["model"] == m).any()]
    outlined = "; ".join(("solid red outline: numbers from FDTD (MEEP)" if m == "fdtd" else
                          "dashed orange outline: numbers from RCWA") for m in tiers)
    common = (f"One cell per computed design ({n_ok} of {len(table)}); blank cells were not computed or failed; "
              "hatched: outside the constraints; "
              + (f"{outlined}; other cells from {model}. Every tier uses the same definitions (power-weighted Γ)."
                 if tiers else f"numbers from {model}."))
    what = {
        rank_by: f"{label(rank_by)} (the ranking metric, {'higher' if RANK_DIRECTION.get(rank_by) == 'max' else 'lower'} "
                 "is better; linear colour scale).",
        "q_estimate": "cold-cavity Q (linear colour scale): Q = 2π n_g / (λ g_th) with g_th the modal threshold gain.",
        "wavelength_nm": "lasing wavelength; red lines: the objective's wavelength window"
                         + (f" {window_nm[0]:g}-{window_nm[1]:g} nm (dashed contour on the map, lines on the "
                            "colour bar)." if window_nm else "."),
    }
    for column in dict.fromkeys([rank_by, "q_estimate", "wavelength_nm"]):
        if column not in table:
            continue
        f = design_map(table, x=x, y=y, others=others, column=column,
                       window_nm=window_nm, path=figdir / f"map_{column}.png")
        if f is not None:
            out.append(Figure(f.path, f"Map of the {what[column]} {common}"))
    return out
