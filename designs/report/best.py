"""Report figures of the best design from its stored analytic result: DFB mode spectrum, band diagram and
slab-mode profile (``DfbDetail``: coupled-mode theory on the stack's slab modes), or the resonances of a circular
cavity (``CircularAnalyticRecord.modes``). Nothing is solved here."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from perocav.designs.records import CircularAnalyticRecord, DesignResult, DfbDetail  # noqa: E402
from perocav.designs.report.parts import Figure, save_png  # noqa: E402
from perocav.designs.report.plots import plot_mode_profile


def circular_spectrum(best: DesignResult, figdir: Path) -> list[Figure]:
    """Resonances of the best circular design: Q versus wavelength, one colour per azimuthal order m."""
    record = best.solver
    modes = record.modes if isinstance(record, CircularAnalyticRecord) else ()
    if not modes:
        return []
    fig, ax = plt.subplots(figsize=(5.6, 3.6))
    for m in sorted({md.m for md in modes}):
        pts = [md for md in modes if md.m == m]
        ax.plot([p.wavelength_nm for p in pts], [p.q for p in pts], "o", label=f"m = {m}")
    ax.set_xlabel("wavelength [nm]")
    ax.set_ylabel("Q (radiation + absorption)")
    ax.set_title(f"best design: chosen m = {record.m}, {best.metrics.wavelength_nm:.1f} nm", fontsize=9)
    ax.legend(fontsize=7, ncol=2)
    fig.tight_layout()
    return [Figure(save_png(fig, figdir / "spectrum_best.png"),
                   "Resonances of the best design near the gain peak: Q versus wavelength per azimuthal order m "
                   "(effective-index whispering-gallery model on the stack's slab modes).")]


def best_figures(best: DesignResult, figdir: Path) -> list[Figure]:
    """The best design's analytic figures, from what its first result holds: a DFB's ``detail`` (its family's report
    detail) or a circular record's resonances."""
    first = best.first()
    if not first.ok:
        return []
    if isinstance(first.detail, DfbDetail):
        return dfb_figures(first.detail, first.point.cavity, figdir)
    return circular_spectrum(first, figdir)


def dfb_figures(r: DfbDetail, cav, figdir: Path) -> list[Figure]:
    """Mode spectrum, coupled-mode band diagram and TE0 slab profile of the best DFB design (analytic)."""
    head = f"period {cav.period_nm:g} nm, duty cycle {cav.duty_cycle:g}, {cav.n_periods} periods"
    return [_spectrum(r, head, figdir), _bands(r, figdir), _mode(r, figdir)]


def _spectrum(r: DfbDetail, head: str, figdir: Path) -> Figure:
    fig, ax = plt.subplots(figsize=(5.6, 3.6))
    ax.axvspan(r.stopband_short_nm, r.stopband_long_nm, color="grey", alpha=0.2, label="stop band")
    lam = [m.wavelength_nm for m in r.modes]
    g = [m.power_gain_per_cm for m in r.modes]
    ax.vlines(lam, 0, g, color="tab:blue", lw=2)
    ax.plot(lam, g, "o", color="tab:blue", label="longitudinal modes")
    ax.axvline(r.bragg_wavelength_nm, color="k", ls=":", lw=1, label="Bragg")
    ax.set_xlabel("wavelength [nm]")
    ax.set_ylabel("threshold mirror loss 2α [1/cm]")
    ax.set_title(f"best design (analytic CMT): {head}, |κ|L = {abs(r.kappa_L):.2f}", fontsize=9)
    ax.legend(fontsize=8)
    fig.tight_layout()
    return Figure(save_png(fig, figdir / "spectrum_best.png"),
                  "Longitudinal modes of the best design: threshold power gain (mirror loss) versus wavelength; the "
                  "lowest one lases. Model: coupled-mode theory (Kogelnik-Shank, with Kazarinov-Henry radiation "
                  "coupling for 2nd order) on the slab modes of the stack.")


def _bands(r: DfbDetail, figdir: Path) -> Figure:
    kap = abs(r.kappa_per_cm)
    q = np.linspace(-3, 3, 301) * max(kap, 1.0)
    lam_b, n_g = r.bragg_wavelength_nm, r.group_index
    fig, ax = plt.subplots(figsize=(5.0, 3.6))
    for sign in (1, -1):
        ax.plot(q, lam_b - sign * np.sqrt(q**2 + kap**2) * lam_b**2 * 1e-7 / (2 * np.pi * n_g), color="tab:blue")
    ax.plot(q, lam_b - q * lam_b**2 * 1e-7 / (2 * np.pi * n_g), ":", color="grey", label="no grating")
    ax.axhspan(r.stopband_short_nm, r.stopband_long_nm, color="grey", alpha=0.2, label="stop band")
    if r.radiating_edge:
        ax.text(0.02, 0.95, f"radiating edge: {r.radiating_edge}-wavelength", transform=ax.transAxes, fontsize=8,
                va="top")
    ax.set_xlabel("Bloch detuning q = k − K/2 [1/cm]")
    ax.set_ylabel("wavelength [nm]")
    ax.set_title(f"analytic band diagram near the Bragg point, |κ| = {kap:.0f} 1/cm", fontsize=9)
    ax.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    return Figure(save_png(fig, figdir / "band_diagram_best.png"),
                  "Band diagram of the best design's grating near the Bragg point: δ(q) = ±√(q² + κ²) "
                  "(coupled-mode theory, group index of the slab mode); the gap is the stop band.")


def _mode(r: DfbDetail, figdir: Path) -> Figure:
    p = r.profile
    path = plot_mode_profile(z_nm=np.asarray(p.z_nm), e_abs2=np.asarray(p.e_abs2), interfaces_nm=p.interfaces_nm,
                             layer_labels=list(p.layer_names), n_real=list(p.n_real), path=figdir / "mode_best.png",
                             title=f"analytic slab mode: {p.stack_name} TE0 at {p.wavelength_nm:.1f} nm (grating averaged)")
    return Figure(Path(path), "Vertical |E|² of the TE0 slab mode at the lasing wavelength over the real index "
                              "profile (transfer-matrix slab solver, grating level volume-averaged).")
