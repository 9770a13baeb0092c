"""Figures of the pixel heat model (matplotlib, Agg): rise versus time (the seed paper's Fig. 2e) and a rise map."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.colors import LogNorm

from perocav.designs.io import atomic_path  # noqa: E402


def plot_heating(*, transients, title: str, path: str | Path, mark_rise_k: float = 60.0) -> Path:
    """Peak temperature rise [K] of the active layer versus time [us] (log axes; linear time for pulse trains),
    one curve per transient."""
    fig, ax = plt.subplots(figsize=(6.4, 4.4), dpi=120)
    for tr in transients:
        time_s, rise_k = np.asarray(tr.time_s, dtype=float), np.asarray(tr.peak_rise_k, dtype=float)
        keep = time_s > 0
        label = f"J = {tr.current_density_a_per_cm2:.4g} A/cm^2 ({tr.voltage_v:.2g} V)" \
            if np.isfinite(tr.current_density_a_per_cm2) else f"{tr.power_density_w_per_cm2:g} W/cm^2"
        ax.plot(time_s[keep] * 1e6, np.maximum(rise_k[keep], 1e-3), lw=2, label=label)
    train = any(tr.n_pulses > 1 for tr in transients)
    ax.set_yscale("log")
    ax.set_xscale("linear" if train else "log")  # a train reads best on a linear time axis
    if transients:
        t_p = transients[0].pulse_s * 1e6
        ax.axvline(t_p, color="grey", lw=0.8, ls=":")
        ax.text(t_p, 0.97, " pulse end", color="grey", fontsize=8, va="top", transform=ax.get_xaxis_transform())
    ax.axhline(mark_rise_k, color="k", lw=0.8, ls="--")
    ax.text(ax.get_xlim()[0], mark_rise_k, f" {mark_rise_k:g} K", va="bottom", fontsize=8)
    ax.set_ylim(bottom=max(1e-2, ax.get_ylim()[0]))
    ax.set_xlabel("time [us]")
    ax.set_ylabel("temperature rise of the active layer [K]")
    ax.set_title(title, fontsize=9)
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize=8, loc="lower left")
    fig.tight_layout()
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format="png")
    plt.close(fig)
    return Path(path)


def plot_rise_map(*, x: np.ndarray, y: np.ndarray, rise_k: np.ndarray, x_label: str, y_label: str, title: str,
                  path: str | Path, limit_k: float | None = None) -> Path:
    """Temperature rise at threshold [K] over two sweep axes (NaN: no threshold); the limit as a contour."""
    fig, ax = plt.subplots(figsize=(6.0, 4.4), dpi=120)

    z = np.ma.masked_invalid(rise_k)
    positive = z.compressed()[z.compressed() > 0]
    wide = positive.size and positive.max() > 100 * positive.min()
    norm = LogNorm(vmin=positive.min(), vmax=positive.max()) if wide else None
    mesh = ax.pcolormesh(x, y, z, shading="auto", cmap="inferno", norm=norm)
    fig.colorbar(mesh, ax=ax, label="temperature rise at threshold [K]")
    if limit_k is not None and z.count() and z.min() < limit_k < z.max() and min(z.shape) > 1:
        ax.contour(x, y, z, levels=[limit_k], colors="cyan", linewidths=1.2)
    ax.set_xlabel(x_label)
    ax.set_ylabel(y_label)
    ax.set_title(title, fontsize=9)
    fig.tight_layout()
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format="png")
    plt.close(fig)
    return Path(path)
