"""Figures (matplotlib, Agg backend): mode profiles and net gain versus thickness."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from perocav.designs.io import atomic_path  # noqa: E402


def plot_net_gain(*, curves: dict[str, tuple[np.ndarray, np.ndarray]], thresholds_nm: dict[str, float | None],
                  gain_per_cm: float, title: str, path: str | Path) -> Path:
    """g_net [1/cm] versus gain-layer thickness [nm], one curve per stack, crossings marked."""
    fig, ax = plt.subplots(figsize=(6.4, 4.4), dpi=120)
    marks: dict[float, str] = {}  # crossing thickness (rounded) -> colour (black when curves share it)
    for name, (t_nm, g) in curves.items():
        t0 = thresholds_nm.get(name)
        label = f"{name} (g_net > 0 from {t0:.0f} nm)" if t0 is not None else f"{name} (no net gain)"
        (line,) = ax.plot(t_nm, g, lw=2, label=label)
        if t0 is not None:
            ax.plot([t0], [0], "o", color=line.get_color())
            marks[round(t0)] = "k" if round(t0) in marks else line.get_color()
    span = max(float(np.ptp(np.concatenate([t for t, _ in curves.values()]))), 1.0)
    prev, dy = None, -4
    for t0, colour in sorted(marks.items()):
        # right of and just below its marker (curves rise through zero, so that corner is free); close crossings
        # step further down so that their labels do not overlap
        dy = dy - 11 if prev is not None and t0 - prev < 0.1 * span else -4
        ax.annotate(f"{t0:.0f} nm", (t0, 0), textcoords="offset points", xytext=(5, dy), color=colour, fontsize=8,
                    va="top")
        prev = t0
    ax.axhline(0, color="k", lw=0.8)
    ax.axhline(gain_per_cm, color="grey", lw=0.8, ls="--")
    finite = np.concatenate([g[np.isfinite(g)] for _, g in curves.values()])
    if finite.size:
        ax.set_ylim(max(finite.min(), -4 * gain_per_cm) * 1.05, gain_per_cm * 1.3)
    ax.annotate(f"g_i = {gain_per_cm:g} 1/cm", (0.01, gain_per_cm), xycoords=("axes fraction", "data"),
                textcoords="offset points", xytext=(0, 3), va="bottom", color="grey", fontsize=8)
    ax.set_xlabel("perovskite thickness [nm]")
    ax.set_ylabel("net modal gain g_net [1/cm]")
    ax.set_title(title, fontsize=10)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format="png")
    plt.close(fig)
    return Path(path)


def plot_mode_profile(*, z_nm: np.ndarray, e_abs2: np.ndarray, interfaces_nm: tuple[float, ...],
                      layer_labels: list[str], n_real: list[float], title: str, path: str | Path) -> Path:
    """|E|^2 of a slab mode over the index profile (real part), layers shaded."""
    fig, ax = plt.subplots(figsize=(6.4, 4.0), dpi=120)
    ax2 = ax.twinx()
    edges = [z_nm.min(), *interfaces_nm, z_nm.max()]
    for i, (a, b) in enumerate(zip(edges[:-1], edges[1:])):
        ax2.plot([a, b], [n_real[i], n_real[i]], color="tab:grey", lw=1.5)
        if 0 < i < len(edges) - 2:
            ax.axvspan(a, b, color=f"C{i % 10}", alpha=0.12)
            ax.text((a + b) / 2, 1.02, layer_labels[i], rotation=90, ha="center", va="bottom", fontsize=7)
    ax.plot(z_nm, e_abs2, color="tab:red", lw=2)
    ax.set_xlabel("z [nm] (substrate < 0)")
    ax.set_ylabel("|E|^2 (normalised)", color="tab:red")
    ax2.set_ylabel("Re n", color="tab:grey")
    ax.set_ylim(0, 1.25)
    ax.set_title(title, fontsize=10)
    fig.tight_layout()
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format="png")
    plt.close(fig)
    return Path(path)
