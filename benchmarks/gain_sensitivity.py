"""Sensitivity of the default design's analytic ranking to the spectral gain model's inputs (issue 23): the seed
gain, the spectral gain at 300 K, the MAPbI3 Urbach energy (12 / 15 / 20 meV) and the film temperature (280 / 300 /
330 K); the top 3 of the 28 default points (periods 370-400 nm, the whole grating pumped) each time (analytic screen, the same thresholds main.sh ranks first).
Also draws docs/img/gain_absorption.png: the model's absorption against the PDK's k (alpha = 4 pi k / lambda) and
g(lambda) at a few densities, for both perovskites.

Run: OMP_NUM_THREADS=1 .venv/bin/python benchmarks/gain_sensitivity.py"""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from perocav.designs.evaluate_batch import evaluate_dfb_batch  # noqa: E402
from perocav.designs.spec import expand_points, load_design  # noqa: E402
from perocav.designs.threshold import GainMaterial  # noqa: E402
from perocav.fdtd.models.spectral_gain import params  # noqa: E402
from perocav.fdtd.models.spectral_gain.absorption import absorption_per_cm, energy_ev  # noqa: E402
from perocav.fdtd.models.spectral_gain.spectrum import gain_per_cm  # noqa: E402
from perocav.pdk.materials import resolve_material  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def top3(gain: GainMaterial) -> str:
    spec = load_design(ROOT / "designs" / "default.yaml")
    # the uniformly pumped cell of the 28 points this table was made with (periods 370-400 nm, no pump opening:
    # benchmarks/device_sensitivity.py has the device's ranking)
    pts = [p.model_copy(update={"gain_material": gain, "cavity": p.cavity.model_copy(update={"pump": None})})
           for p in expand_points(spec) if p.cavity.period_nm >= 370]
    rows = []
    for i, r in evaluate_dfb_batch(pts):
        m = r.metrics
        if r.ok and math.isfinite(m.threshold_current_density_a_per_cm2) and 770 <= m.wavelength_nm <= 800:
            rows.append((m.threshold_current_density_a_per_cm2, pts[i].cavity, m))
    rows.sort(key=lambda x: x[0])
    return "; ".join(f"{c.period_nm:g}/{c.duty_cycle:g} {m.wavelength_nm:.1f} nm J {j:.0f}"
                     + (f" (det {m.gain_peak_detuning_nm:+.1f})" if math.isfinite(m.gain_peak_detuning_nm) else "")
                     for j, c, m in rows[:3]) + f"  [{len(rows)} of {len(pts)} lase in 770-800 nm]"


def sensitivity() -> None:
    print("seed                :", top3(GainMaterial(gain_model="seed")))
    print("spectral 300 K      :", top3(GainMaterial()))
    base = params.BAND_EDGES["MAPbI3"]
    for eu in (0.012, 0.020):
        params.BAND_EDGES["MAPbI3"] = dataclasses.replace(base, urbach_ev=eu)
        print(f"spectral E_U {eu * 1e3:.0f} meV  :", top3(GainMaterial()))
    params.BAND_EDGES["MAPbI3"] = base
    for t in (280.0, 330.0):
        print(f"spectral {t:.0f} K      :", top3(GainMaterial(temperature_k=t)))


def figure(path: Path) -> None:
    fig, axes = plt.subplots(2, 2, figsize=(11, 7.5))
    for col, (name, pdk, lo, hi) in enumerate((("MAPbI3", ("MAPbI3", "MAPbI3_Ball"), 600, 840),
                                                ("CsPbBr3", ("CsPbBr3",), 450, 560))):
        edge = params.BAND_EDGES[name]
        wl = np.linspace(lo, hi, 600)
        ax = axes[0, col]
        ax.semilogy(wl, absorption_per_cm(edge=edge, energy_ev=energy_ev(wavelength_nm=wl)), "k", lw=2,
                    label="model alpha0 (band edge + Urbach tail" + (" + Elliott exciton)" if name == "CsPbBr3" else ")"))
        for p in pdk:
            m = resolve_material(p)
            w = wl[(wl >= m.wavelength_min_nm) & (wl <= m.wavelength_max_nm)]
            ax.semilogy(w, 4 * np.pi * m.nk(wavelength_nm=w).imag / (w * 1e-7), "--", label=f"PDK {p}: 4 pi k / lambda")
        ax.set(ylim=(1, 2e5), xlabel="wavelength [nm]", ylabel="absorption [1/cm]", title=f"{name}: absorption")
        ax.legend(fontsize=7.5)
        ax.grid(alpha=0.3)
        ax = axes[1, col]
        for n in (0.0, 6e17, 8.2e17, 1e18, 1.5e18):
            ax.plot(wl, gain_per_cm(edge=edge, wavelength_nm=wl, density_per_cm3=n), label=f"N = {n:.1e} cm^-3")
        ax.set(ylim=(-6000, 6000), xlabel="wavelength [nm]", ylabel="g [1/cm]", title=f"{name}: g(lambda, N), 300 K")
        ax.axhline(0, color="k", lw=0.5)
        ax.legend(fontsize=7.5)
        ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    print("figure:", path)


if __name__ == "__main__":
    figure(ROOT / "docs" / "img" / "gain_absorption.png")
    sensitivity()
