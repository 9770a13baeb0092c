"""Report figures of the stack and the gain material: net modal gain versus gain-layer thickness (paper Fig. 3c)
and carrier dynamics (paper Fig. 1d) at the design's gain-layer thickness."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from perocav.designs.report_parts import Figure, save_png  # noqa: E402
from perocav.designs.spec import DesignSpec  # noqa: E402

GAIN_PER_CM = 500.0


def gain_vs_thickness(spec: DesignSpec, figdir: Path) -> list[Figure]:
    from perocav.designs.plots import plot_net_gain
    from perocav.fdtd.models.thickness_study import thickness_sweep, thinnest_net_gain_nm

    stack = spec.stack.resolve()
    if stack.gain_layer is None or stack.emission_wavelength_nm is None:
        return []
    t = np.arange(20.0, 301.0, 10.0)
    pts = thickness_sweep(stack=stack, thicknesses_nm=t, wavelength_nm=stack.emission_wavelength_nm,
                          gain_per_cm=GAIN_PER_CM)
    curves = {stack.name: (t, np.array([p.g_net_per_cm for p in pts]))}
    path = plot_net_gain(curves=curves, thresholds_nm={stack.name: thinnest_net_gain_nm(pts)}, gain_per_cm=GAIN_PER_CM,
                         title=f"{stack.name}: g_net vs gain-layer thickness (g_i = {GAIN_PER_CM:g} 1/cm)",
                         path=figdir / "gnet_vs_thickness.png")
    return [Figure(Path(path), f"Net modal gain g_net = Γ g_i − α of the unpatterned stack versus gain-layer "
                               f"thickness at {stack.emission_wavelength_nm:g} nm for a material gain of "
                               f"{GAIN_PER_CM:g} 1/cm (TE0 slab mode, power-weighted Γ, paper Fig. 3c); the dot marks "
                               "the thinnest layer with net gain.")]


def carrier_dynamics(spec: DesignSpec, figdir: Path) -> list[Figure]:
    """Peak carrier density versus pump pulse width (with and without Auger) and PLQY(N) (paper eqs. 2, 3)."""
    from perocav.designs.threshold import auger_critical_density_per_cm3, peak_density_for_pulse_per_cm3, plqy

    stack = spec.stack.resolve()
    if stack.gain_layer is None:
        return []
    film_nm = stack.layer(stack.gain_layer).thickness_nm
    mat = spec.gain_material
    widths = np.logspace(-13, -7, 25)
    fig, (ax, ax2) = plt.subplots(1, 2, figsize=(10, 3.8))
    for i, fluence in enumerate((10.0, 100.0, 500.0)):
        for auger, ls in ((False, "--"), (True, "-")):
            peak = [peak_density_for_pulse_per_cm3(material=mat, fluence_uJ_per_cm2=fluence, pulse_fwhm_s=w,
                                                   absorption=0.5, thickness_nm=film_nm, auger=auger) for w in widths]
            ax.loglog(widths, peak, ls, color=f"C{i}", label=f"{fluence:g} µJ/cm²" + (" (Auger)" if auger else ""))
    ax.set_xlabel("pump pulse width (FWHM) [s]")
    ax.set_ylabel("peak carrier density [cm⁻³]")
    ax.set_title(f"rate equation (paper eq. 2), {film_nm:g} nm film, 50 % absorbed", fontsize=9)
    ax.legend(fontsize=7)
    n = np.logspace(14, 20, 200)
    ax2.semilogx(n, [plqy(material=mat, carrier_density_per_cm3=x) for x in n])
    ax2.axvline(auger_critical_density_per_cm3(material=mat), color="grey", ls=":", label="N_C (k2 = k3 N_C)")
    ax2.set_xlabel("carrier density N [cm⁻³]")
    ax2.set_ylabel("PLQY (paper eq. 3)")
    ax2.legend(fontsize=8)
    fig.tight_layout()
    return [Figure(save_png(fig, figdir / "carrier_dynamics.png"), wide=True, caption=
                   f"Carrier dynamics of the gain material in this design's {film_nm:g} nm film: left, peak carrier "
                   "density versus pump pulse width for three fluences, with (solid) and without (dashed) Auger "
                   "recombination (rate equation, paper eq. 2; log axes span decades); right, PLQY versus carrier "
                   "density (paper eq. 3).")]
