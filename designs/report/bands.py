"""The band diagram of a verified design near its Bragg point: the FDTD Bloch unit-cell runs' band points (MEEP at
a few k off the Bragg point, stored in the record) beside every tier's coupled-mode bands drawn through that tier's
own band edges (analytic, RCWA, FDTD) with its group index: wavelength versus (k - k_B) Lambda."""

from __future__ import annotations

import math
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from perocav.designs.records import DesignResult  # noqa: E402
from perocav.designs.report.parts import save_png  # noqa: E402
from perocav.designs.report.verify import num, tiers  # noqa: E402

#: a tier's band edges and colour in the band diagram: (name, short edge field, long edge field, colour)
TIER_BANDS = {"analytic": ("analytic (CMT)", "stopband_short_nm", "stopband_long_nm", "tab:blue"),
              "rcwa": ("RCWA", "edge_short_nm", "edge_long_nm", "tab:orange"),
              "fdtd": ("FDTD (MEEP)", "edge_short_nm", "edge_long_nm", "tab:red")}


def cmt_bands_nm(*, short_nm: float, long_nm: float, group_index: float, period_nm: float,
                 x_cycles) -> tuple[np.ndarray, np.ndarray]:
    """(long-wavelength band, short-wavelength band) [nm] of the coupled-mode dispersion through the band edges
    ``short_nm`` / ``long_nm`` at x = (k - k_B) Lambda [cycles]: f = f0 +- sqrt(df^2 + (x / (Lambda n_g))^2) in
    1/um, f0 and df the edges' mean and half difference."""
    f_s, f_l = 1000.0 / short_nm, 1000.0 / long_nm
    f0, df = 0.5 * (f_s + f_l), 0.5 * (f_s - f_l)
    dk = np.asarray(x_cycles, dtype=float) / (period_nm / 1000.0 * group_index)
    half = np.sqrt(df**2 + dk**2)
    return 1000.0 / (f0 - half), 1000.0 / (f0 + half)


def _tier_lines(ax, result: DesignResult, x) -> list[str]:
    """Each tier's coupled-mode bands through its edges; returns the tiers drawn."""
    drawn = []
    for model, r in tiers(result).items():
        name, s_key, l_key, colour = TIER_BANDS[model]
        s, l_, ng = (num(getattr(r.solver, s_key, None)), num(getattr(r.solver, l_key, None)),
                     num(getattr(r.solver, "group_index", None)))
        if not all(math.isfinite(v) for v in (s, l_, ng)):
            continue
        lo, up = cmt_bands_nm(short_nm=s, long_nm=l_, group_index=ng, period_nm=result.solver.period_nm, x_cycles=x)
        ls = "-" if model == "fdtd" else "--" if model == "rcwa" else ":"
        ax.plot(x, lo, ls, color=colour, lw=1.2, label=f"{name}: coupled-mode bands through its edges")
        ax.plot(x, up, ls, color=colour, lw=1.2)
        drawn.append(model)
    return drawn


def _bloch_points(ax, solver) -> int:
    """The stored MEEP Bloch runs' band points (mirrored to -k: the bands are symmetric about k_B); how many k."""
    bands = getattr(getattr(solver, "details", None), "bands", None)
    if bands is None or not bands.dk_per_um:
        return 0
    lam_um = solver.period_nm / 1000.0
    dk = np.asarray(bands.dk_per_um)
    x = np.concatenate([-dk[::-1], dk]) * lam_um
    for vals, marker, label in ((bands.lower_nm, "o", "lower band"), (bands.upper_nm, "s", "upper band")):
        y = np.concatenate([np.asarray(vals)[::-1], vals])
        ax.plot(x, y, marker, color="black", ms=5, mfc="none",
                label=f"FDTD Bloch runs, {label} ({bands.resolution_px_per_um:.0f} px/µm)")
    return len(dk)


def band_diagram_figure(result: DesignResult, *, path: Path) -> tuple[Path, str]:
    """PNG of the design's band diagram and its caption (which models drew what)."""
    solver = result.solver
    bands = getattr(getattr(solver, "details", None), "bands", None)
    span = max([0.02, *(abs(v) * solver.period_nm / 1000.0 for v in getattr(bands, "dk_per_um", ()) or ())])
    x = np.linspace(-1.15 * span, 1.15 * span, 241)
    fig, ax = plt.subplots(figsize=(5.6, 4.0))
    drawn = _tier_lines(ax, result, x)
    n_k = _bloch_points(ax, solver) if result.fidelity == "fdtd" else 0
    ax.set_xlabel(r"$(k - k_B)\,\Lambda$ [cycles]")
    ax.set_ylabel("wavelength [nm]")
    ax.set_title("band diagram near the Bragg point", fontsize=9)
    ax.legend(fontsize=6.5, loc="best")
    ax.grid(alpha=0.3)
    fig.tight_layout()
    names = ", ".join(TIER_BANDS[m][0] for m in drawn)
    bloch = (f"Points: MEEP Bloch unit-cell runs at {n_k} k off the Bragg point (media frozen at the Bragg point, "
             f"mapped to the dispersive stack; {bands.resolution_px_per_um:.0f} px/µm, one rung: the ladder's edges "
             "are the lines), mirrored to −k." if n_k else
             "No FDTD Bloch runs off the Bragg point are stored for this design (RCWA-verified, or an FDTD record "
             "cached before the band runs were kept): the FDTD line is the coupled-mode dispersion through MEEP's "
             "band edges." if result.fidelity == "fdtd" else "RCWA-verified: no MEEP run.")
    caption = (f"Band diagram: wavelength versus Bloch wavevector off the Bragg point. Lines: the coupled-mode "
               f"bands of each model ({names}) drawn through that model's own band edges with its group index "
               f"(solid FDTD, dashed RCWA, dotted analytic). {bloch}")
    return save_png(fig, path), caption
