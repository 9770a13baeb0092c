"""Report figure of the gain material's spectrum: g(lambda) of the gain layer's perovskite at a few carrier
densities around the best design's threshold density, with the top designs' lasing lines on it, so the designer
sees where on the gain spectrum each period puts the laser. The analytic g(lambda, N, T) is evaluated here (a
closed-form formula, no solver); nothing is drawn for a gain layer that is not a PDK perovskite."""

from __future__ import annotations

import math
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from perocav.designs.report.parts import Figure, save_png  # noqa: E402
from perocav.designs.spec import DesignSpec  # noqa: E402
from perocav.fdtd.models.spectral_gain.params import band_edge  # noqa: E402
from perocav.fdtd.models.spectral_gain.spectrum import gain_spectrum  # noqa: E402

#: densities drawn, relative to the best design's threshold density
DENSITY_FACTORS = (0.8, 1.0, 1.25, 1.6)
#: lasing lines drawn (top designs by rank)
N_LINES = 4


def gain_spectra(*, spec: DesignSpec, table, figdir: Path) -> list[Figure]:
    """g(lambda) at DENSITY_FACTORS x the best's N_th with the top designs' lasing wavelengths ([] without a
    perovskite gain layer or a ranked design with a finite threshold density)."""
    stack = spec.stack.resolve()
    material = stack.layer(stack.gain_layer).material if stack.gain_layer else None
    edge = band_edge(material) if isinstance(material, str) else None
    if edge is None or "rank" not in table or "threshold_density_per_cm3" not in table:
        return []
    ranked = table[table["rank"].notna()].sort_values("rank")
    ranked = ranked[np.isfinite(ranked["threshold_density_per_cm3"].astype(float))]
    if ranked.empty:
        return []
    temperature = spec.gain_material.temperature_k
    n_best = float(ranked.iloc[0]["threshold_density_per_cm3"])
    fig, ax = plt.subplots(figsize=(8.0, 4.2))
    peak = 0.0
    for i, f in enumerate(DENSITY_FACTORS):
        s = gain_spectrum(edge=edge, density_per_cm3=f * n_best, temperature_k=temperature)
        ax.plot(s.wavelength_nm, s.gain_per_cm, color=f"C{i}", lw=1.8,
                label=f"N = {f * n_best:.2e} cm⁻³ (Δμ {s.delta_mu_ev:.3f} eV)")
        peak = max(peak, s.peak_gain_per_cm)
    for k, (_, row) in enumerate(ranked.head(N_LINES).iterrows()):
        wl = float(row["wavelength_nm"])
        ax.axvline(wl, color="k", ls="--" if k else "-", lw=1.0)
        ax.text(wl, 1.15 * peak, f"#{int(row['rank'])}", rotation=90, ha="right", va="top", fontsize=8)
    g_best = float(ranked.iloc[0].get("threshold_material_gain_per_cm", math.nan))
    if math.isfinite(g_best):
        ax.axhline(g_best, color="grey", ls=":", lw=1.0, label=f"best design's material threshold gain {g_best:.0f} 1/cm")
    ax.axhline(0, color="k", lw=0.5)
    wl_best = float(ranked.iloc[0]["wavelength_nm"])
    ax.set_xlim(wl_best - 45, wl_best + 35)
    ax.set_ylim(-0.6 * peak, 1.2 * peak)
    ax.set(xlabel="wavelength [nm]", ylabel="material gain g [1/cm] (< 0: absorption)",
           title=f"{edge.name}: spectral gain at {temperature:g} K, top designs' lasing lines")
    ax.legend(fontsize=7.5, loc="lower left")
    ax.grid(alpha=0.3)
    path = save_png(fig, figdir / "gain_spectra.png")
    gm = spec.gain_material.gain_model
    return [Figure(Path(path), f"Material gain g(λ, N, T) of {edge.name} (band edge + Urbach tail, Lasher-Stern "
                               f"inversion, docs/physics.md) at densities around the best design's threshold density "
                               f"{n_best:.2e} cm⁻³; vertical lines: the top {min(N_LINES, len(ranked))} designs' "
                               f"lasing wavelengths (solid: best). The ranking used the {gm} gain model; "
                               "the table's gain_peak_detuning_nm is each design's distance from the gain peak at "
                               "its own threshold density.", wide=True)]
