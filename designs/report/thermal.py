"""Report section on heating: the best design's rise versus time at its threshold (the seed paper's Fig. 2e
analogue) and the temperature rise at threshold over the sweep."""

from __future__ import annotations

import html
import math
from pathlib import Path

import numpy as np

from perocav.designs.report.parts import Figure
from perocav.designs.report.plots_thermal import plot_heating, plot_rise_map
from perocav.designs.thermal_rank import OPENING, POWER, RISE, VOLTAGE


def _drive_words(drive) -> str:
    train = f" at {drive.rep_rate_khz:g} kHz ({drive.n_pulses} pulses)" if drive.rep_rate_khz else " (one pulse)"
    v_on = "h nu / q" if drive.turn_on_v is None else f"{drive.turn_on_v:g} V"
    opening = ("the cavity's own size as opening" if drive.opening_diameter_um == "cavity"
               else f"{drive.opening_diameter_um:g} um opening")
    return (f"{drive.pulse_ns:g} ns pulses{train}, {opening}, V = {v_on} + J x "
            f"{drive.series_resistance_ohm_cm2:g} Ohm cm^2, {drive.substrate_thickness_um:g} um substrate on a heat sink")


def thermal_figures(*, spec, table, heating, axes: list[str], figdir: Path) -> list[Figure]:
    """Figures for the report (empty without a ``drive`` section): the best design's stored ``heating``
    (``studies.BestHeating``) and the rise map of the sweep."""
    drive = spec.drive
    if drive is None or RISE not in table:
        return []
    figs = []
    if heating is not None and heating.runs:
        runs = heating.runs
        limit = spec.objective.max_temperature_rise_k
        path = plot_heating(transients=runs, path=figdir / "heating_best.png", mark_rise_k=limit or 60.0,
                            title=f"best design at 0.5 / 1 / 2 x J_th = "
                                  f"{heating.threshold_current_density_a_per_cm2:.3g} A/cm^2")
        at = runs[1] if len(runs) > 1 else runs[0]
        cool = at.cooldown_time_s
        cool_words = (f"it cools to 5 % of that {cool * 1e6:.3g} us after the last pulse" if math.isfinite(cool)
                      else "it does not cool to 5 % of that within the simulated window")
        figs.append(Figure(path, (
            f"Heating of the best design's gain layer at 0.5, 1 and 2 x its threshold current density (the seed "
            f"paper's Fig. 2e analogue): {_drive_words(drive)}. At J_th the peak rise is "
            f"{at.max_temperature_rise_k:.3g} K and {cool_words}. Axisymmetric heat equation, constant properties "
            f"(docs/thermal.md).")))
    figs += _rise_map(spec=spec, table=table, axes=axes, figdir=figdir)
    return figs


def _rise_map(*, spec, table, axes, figdir) -> list[Figure]:
    if not axes:
        return []
    limit = spec.objective.max_temperature_rise_k
    x_ax = axes[0]
    y_ax = axes[1] if len(axes) > 1 else None
    ok = table[table["status"] == "ok"]
    if ok.empty or not np.isfinite(ok[RISE].to_numpy(dtype=float)).any():
        return []
    if y_ax is None:
        g = ok.groupby(x_ax)[RISE].min()
        xs, ys, z = np.asarray(g.index, float), np.array([0.0]), g.to_numpy(float)[None, :]
    else:
        g = ok.pivot_table(index=y_ax, columns=x_ax, values=RISE, aggfunc="min")
        xs, ys, z = np.asarray(g.columns, float), np.asarray(g.index, float), g.to_numpy(float)
    path = plot_rise_map(x=xs, y=ys, rise_k=z, x_label=x_ax, y_label=y_ax or "", limit_k=limit,
                         path=figdir / "temperature_rise_map.png",
                         title=f"temperature rise at threshold, {spec.drive.pulse_ns:g} ns pulses")
    others = [a for a in axes if a not in (x_ax, y_ax)]
    return [Figure(path, (
        f"Peak temperature rise of the gain layer when driven at each design's own threshold current density "
        f"({_drive_words(spec.drive)})" + (f"; the coolest over {', '.join(others)}" if others else "")
        + (f"; cyan: the objective's limit {limit:g} K" if limit is not None else "") + ". Blank: no threshold."))]


def thermal_table_html(table, *, limit_k: float | None, top: int = 8) -> str:
    """The best-ranked designs' drive at threshold: J_th, V, J V, opening, temperature rise (HTML table)."""
    if RISE not in table:
        return ""
    ranked = table[table["rank"].notna()].sort_values("rank").head(top)
    if ranked.empty:
        return ""
    head = ("<tr><th>rank</th><th>J_th [A/cm²]</th><th>V [V]</th><th>J V [W/cm²]</th><th>opening [µm]</th>"
            "<th>temperature rise at J_th [K]</th></tr>")
    rows = "".join(
        f"<tr><td>{int(r['rank'])}</td><td>{r['threshold_current_density_a_per_cm2']:.4g}</td><td>{r[VOLTAGE]:.3g}</td>"
        f"<td>{r[POWER]:.4g}</td><td>{r[OPENING]:.3g}</td><td>{r[RISE]:.3g}</td></tr>" for _, r in ranked.iterrows())
    note = (f"Designs heating more than {limit_k:g} K at threshold do not meet the constraints."
            if limit_k is not None else "No temperature limit in the objective (objective.max_temperature_rise_k).")
    return f"<p class='note'>{html.escape(note)}</p><table>{head}{rows}</table>"
