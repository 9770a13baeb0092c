"""Report figures of the best design from the analytic models: DFB mode spectrum, band diagram and slab-mode
profile (coupled-mode theory on the stack's slab modes), or the resonances of a circular cavity."""

from __future__ import annotations

import math
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from perocav.designs.report_parts import Figure, save_png  # noqa: E402


def circular_spectrum(best: dict, figdir: Path) -> list[Figure]:
    """Resonances of the best circular design: Q versus wavelength, one colour per azimuthal order m."""
    modes = best.get("modes") or []
    if not modes:
        return []
    fig, ax = plt.subplots(figsize=(5.6, 3.6))
    for m in sorted({int(md[0]) for md in modes}):
        pts = [md for md in modes if int(md[0]) == m]
        ax.plot([p[1] for p in pts], [p[2] for p in pts], "o", label=f"m = {m}")
    ax.set_xlabel("wavelength [nm]")
    ax.set_ylabel("Q (radiation + absorption)")
    ax.set_title(f"best design: chosen m = {best['m']}, {best['wavelength_nm']:.1f} nm", fontsize=9)
    ax.legend(fontsize=7, ncol=2)
    fig.tight_layout()
    return [Figure(save_png(fig, figdir / "spectrum_best.png"),
                   "Resonances of the best design near the gain peak: Q versus wavelength per azimuthal order m "
                   "(effective-index whispering-gallery model on the stack's slab modes).")]


def dfb_figures(best: dict, figdir: Path) -> list[Figure]:
    """Mode spectrum, coupled-mode band diagram and TE0 slab profile of the best DFB design (analytic)."""
    if best["point"]["cavity"]["type"] != "dfb":
        return circular_spectrum(best, figdir)
    from perocav.designs.spec import DesignPoint
    from perocav.fdtd.models.dfb_analytic import analyze_dfb_on_stack

    point = DesignPoint.model_validate(best["point"])
    stack, cav = point.stack.resolve(), point.cavity
    r = analyze_dfb_on_stack(stack=stack, period_nm=cav.period_nm, duty_cycle=cav.duty_cycle, order=cav.order,
                             length_um=cav.length_um, n_modes=8,
                             phase_shift_rad=math.pi if cav.phase_shift == "quarter_wave" else 0)
    head = f"period {cav.period_nm:g} nm, duty cycle {cav.duty_cycle:g}, {cav.n_periods} periods"
    return [_spectrum(r, head, figdir), _bands(r, figdir), _mode(stack, r, figdir)]


def _spectrum(r, head: str, figdir: Path) -> Figure:
    fig, ax = plt.subplots(figsize=(5.6, 3.6))
    ax.axvspan(r.cmt.stopband_short_nm, r.cmt.stopband_long_nm, color="grey", alpha=0.2, label="stop band")
    lam = [m.wavelength_nm for m in r.cmt.modes]
    g = [m.power_gain_per_cm for m in r.cmt.modes]
    ax.vlines(lam, 0, g, color="tab:blue", lw=2)
    ax.plot(lam, g, "o", color="tab:blue", label="longitudinal modes")
    ax.axvline(r.bragg_wavelength_nm, color="k", ls=":", lw=1, label="Bragg")
    ax.set_xlabel("wavelength [nm]")
    ax.set_ylabel("threshold mirror loss 2α [1/cm]")
    ax.set_title(f"best design: {head}, κL = {r.kappa_L:.2f}", fontsize=9)
    ax.legend(fontsize=8)
    fig.tight_layout()
    return Figure(save_png(fig, figdir / "spectrum_best.png"),
                  "Longitudinal modes of the best design: threshold power gain (mirror loss) versus wavelength; the "
                  "lowest one lases. Model: coupled-mode theory (Kogelnik-Shank, with Kazarinov-Henry radiation "
                  "coupling for 2nd order) on the slab modes of the stack.")


def _bands(r, figdir: Path) -> Figure:
    kap = abs(r.kappa_per_cm)
    q = np.linspace(-3, 3, 301) * max(kap, 1.0)
    lam_b, n_g = r.bragg_wavelength_nm, r.group_index
    fig, ax = plt.subplots(figsize=(5.0, 3.6))
    for sign in (1, -1):
        ax.plot(q, lam_b - sign * np.sqrt(q**2 + kap**2) * lam_b**2 * 1e-7 / (2 * np.pi * n_g), color="tab:blue")
    ax.plot(q, lam_b - q * lam_b**2 * 1e-7 / (2 * np.pi * n_g), ":", color="grey", label="no grating")
    ax.axhspan(r.cmt.stopband_short_nm, r.cmt.stopband_long_nm, color="grey", alpha=0.2, label="stop band")
    if r.radiating_edge:
        ax.text(0.02, 0.95, f"radiating edge: {r.radiating_edge}-wavelength", transform=ax.transAxes, fontsize=8,
                va="top")
    ax.set_xlabel("Bloch detuning q = k − K/2 [1/cm]")
    ax.set_ylabel("wavelength [nm]")
    ax.set_title(f"band diagram near the Bragg point, κ = {r.kappa_per_cm:.0f} 1/cm", fontsize=9)
    ax.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    return Figure(save_png(fig, figdir / "band_diagram_best.png"),
                  "Band diagram of the best design's grating near the Bragg point: δ(q) = ±√(q² + κ²) "
                  "(coupled-mode theory, group index of the slab mode); the gap is the stop band.")


def _mode(stack, r, figdir: Path) -> Figure:
    from perocav.designs.plots import plot_mode_profile
    from perocav.fdtd.models.slab_modes import solve_slab_mode

    prof = stack.index_profile(wavelength_nm=r.wavelength_nm)
    mode = solve_slab_mode(profile=prof, pol="TE")
    n_real = [prof.n_substrate.real, *(n.real for n in prof.n_layers), prof.n_cover.real]
    path = plot_mode_profile(z_nm=mode.z_nm, e_abs2=mode.e_abs2, interfaces_nm=mode.interfaces_nm,
                             layer_labels=list(mode.names), n_real=n_real, path=figdir / "mode_best.png",
                             title=f"{stack.name} TE0 at {r.wavelength_nm:.1f} nm (grating averaged)")
    return Figure(Path(path), "Vertical |E|² of the TE0 slab mode at the lasing wavelength over the real index "
                              "profile (transfer-matrix slab solver, grating level volume-averaged).")
