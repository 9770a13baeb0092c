"""Report figures of the stack and the gain material, drawn from the run's stored ``StackStudies``: net modal gain
versus gain-layer thickness (paper Fig. 3c) and carrier dynamics (paper Fig. 1d) at the design's gain-layer
thickness. Nothing is solved here (``designs.studies`` solves them once per run)."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from perocav.designs.report.parts import Figure, save_png  # noqa: E402
from perocav.designs.report.plots import plot_net_gain
from perocav.designs.studies import CarrierCurves, ThicknessCurve  # noqa: E402


def gain_vs_thickness(curve: ThicknessCurve | None, figdir: Path) -> list[Figure]:
    if curve is None:
        return []
    g = curve.gain_per_cm
    path = plot_net_gain(curves={curve.stack_name: (np.asarray(curve.thickness_nm), np.asarray(curve.g_net_per_cm))},
                         thresholds_nm={curve.stack_name: curve.thinnest_net_gain_nm}, gain_per_cm=g,
                         title=f"{curve.stack_name}: g_net vs gain-layer thickness (g_i = {g:g} 1/cm)",
                         path=figdir / "gnet_vs_thickness.png")
    return [Figure(Path(path), f"Net modal gain g_net = Γ g_i − α of the unpatterned stack versus gain-layer "
                               f"thickness at {curve.wavelength_nm:g} nm for a material gain of "
                               f"{g:g} 1/cm (TE0 slab mode, power-weighted Γ, paper Fig. 3c); the dot marks "
                               "the thinnest layer with net gain.")]


def carrier_dynamics(curves: CarrierCurves | None, figdir: Path) -> list[Figure]:
    """Peak carrier density versus pump pulse width (with and without Auger) and PLQY(N) (paper eqs. 2, 3)."""
    if curves is None:
        return []
    film_nm = curves.film_nm
    fig, (ax, ax2) = plt.subplots(1, 2, figsize=(10, 3.8))
    colours = {f: f"C{i}" for i, f in enumerate(dict.fromkeys(c.fluence_uj_per_cm2 for c in curves.peaks))}
    for c in curves.peaks:
        ax.loglog(curves.pulse_fwhm_s, c.peak_density_per_cm3, "-" if c.auger else "--",
                  color=colours[c.fluence_uj_per_cm2],
                  label=f"{c.fluence_uj_per_cm2:g} µJ/cm²" + (" (Auger)" if c.auger else ""))
    ax.set_xlabel("pump pulse width (FWHM) [s]")
    ax.set_ylabel("peak carrier density [cm⁻³]")
    ax.set_title(f"rate equation (paper eq. 2), {film_nm:g} nm film, 50 % absorbed", fontsize=9)
    ax.legend(fontsize=7)
    ax2.semilogx(curves.density_per_cm3, curves.plqy)
    ax2.axvline(curves.auger_critical_density_per_cm3, color="grey", ls=":", label="N_C (k2 = k3 N_C)")
    ax2.set_xlabel("carrier density N [cm⁻³]")
    ax2.set_ylabel("PLQY (paper eq. 3)")
    ax2.legend(fontsize=8)
    fig.tight_layout()
    return [Figure(save_png(fig, figdir / "carrier_dynamics.png"), wide=True, caption=
                   f"Carrier dynamics of the gain material in this design's {film_nm:g} nm film: left, peak carrier "
                   "density versus pump pulse width for three fluences, with (solid) and without (dashed) Auger "
                   "recombination (rate equation, paper eq. 2; log axes span decades); right, PLQY versus carrier "
                   "density (paper eq. 3).")]
