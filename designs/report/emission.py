"""Report figure of where a device design's light goes (coupled-mode device model, "device CMT"): the power budget of
its two lowest modes as bars (fractions of the generated power: up, down, left end, right end, absorbed in the
unpumped sections by the gain layer and by the other layers, net loss of pumped sections; their sum shown) and their
far fields up (in air) and down (in the substrate), from the stored device record (``DeviceSolution.mode_emissions``).
Nothing is solved here."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from perocav.designs.report.parts import Figure, save_png  # noqa: E402

#: the model every number of this figure comes from
MODEL = "device CMT"
STYLES = ("-", "--")


def budget_bars(mode) -> tuple[tuple[str, float], ...]:
    """(label, fraction of the generated power) of each bar of one ``ModeEmission``: its budget, the unpumped
    sections' absorption split into the gain layer's and the other layers' parts."""
    b = mode.budget
    return (("up", b.radiated_up), ("down", b.radiated_down), ("left end", b.left_end), ("right end", b.right_end),
            ("unpumped film", mode.absorbed_unpumped_film), ("unpumped other layers", mode.absorbed_unpumped_other),
            ("loss pumped", b.other_modal_loss))


def budget_text(mode) -> str:
    """The bars in words, with their sum."""
    bars = budget_bars(mode)
    return ", ".join(f"{name} {v:.1%}" for name, v in bars) + f"; sum {sum(v for _, v in bars):.1%}"


def _bars(ax, modes) -> None:
    width = 0.8 / len(modes)
    for k, m in enumerate(modes):
        bars = budget_bars(m)
        x = np.arange(len(bars)) + (k - 0.5 * (len(modes) - 1)) * width
        total = sum(v for _, v in bars)
        ax.bar(x, [v for _, v in bars], width, label=f"mode {k + 1} ({m.wavelength_nm:.2f} nm): sum {total:.1%}")
        ax.set_xticks(np.arange(len(bars)), [name for name, _ in bars], rotation=30, fontsize=7)
    ax.set_ylabel("fraction of the generated power")
    ax.set_title(f"power budget at threshold ({MODEL})", fontsize=8)
    ax.legend(fontsize=6)


def _far(ax, modes) -> None:
    for k, (m, style) in enumerate(zip(modes, STYLES)):
        if m.theta_up_deg:
            ax.plot(m.theta_up_deg, m.power_up_per_rad, style, color="tab:blue", label=f"mode {k + 1} up (air)")
            ax.plot(m.theta_down_deg, m.power_down_per_rad, style, color="tab:red",
                    label=f"mode {k + 1} down (substrate n={m.n_substrate:.2f})")
    ax.set_xlim(*_visible(modes))
    ax.set_xlabel("angle from normal, along the grating [°]")
    ax.set_ylabel("power / generated power [1/rad]")
    ax.set_title(f"far field ({MODEL})", fontsize=8)
    ax.legend(fontsize=6)


def _visible(modes, *, floor: float = 0.05) -> tuple[float, float]:
    """Symmetric angle limits [deg] holding every far-field sample above ``floor`` x its curve's peak (padded)."""
    edge = 0.0
    for m in modes:
        for theta, p in ((m.theta_up_deg, m.power_up_per_rad), (m.theta_down_deg, m.power_down_per_rad)):
            if p and max(p) > 0:
                edge = max([edge, *(abs(t) for t, v in zip(theta, p) if v >= floor * max(p))])
    return (-1.2 * edge, 1.2 * edge) if edge > 0 else (-1.0, 1.0)


def emission_figure(record, *, rank: int, figdir: Path) -> Figure | None:
    """The budget bars and far fields of the two lowest modes of one device record (None without emission)."""
    modes = record.solution.mode_emissions[:2]
    if not modes:
        return None
    fig, (left, right) = plt.subplots(1, 2, figsize=(10.0, 3.4))
    _bars(left, modes)
    _far(right, modes)
    fig.suptitle(f"#{rank}: where the light goes ({MODEL}; couplings: {record.model})", fontsize=8)
    fig.tight_layout()
    path = save_png(fig, figdir / f"device_emission_{rank}.png")
    words = " ".join(f"Mode {k + 1} ({m.wavelength_nm:.2f} nm, g_p {m.threshold_modal_gain_per_cm:.0f} /cm): "
                     f"{budget_text(m)}; the zone's stimulated emission {m.budget.stimulated:.2f}x the generated "
                     f"power; slope {m.slope.slope_w_per_a:.3f} W/A up (η_d "
                     f"{m.slope.differential_quantum_efficiency:.1%}, injection efficiency "
                     f"{m.slope.injection_efficiency:g})." for k, m in enumerate(modes))
    return Figure(path, f"Design #{rank} ({MODEL} model): power budget of the two lowest modes as fractions of the "
                        f"power their gain generates, and their far fields up (air) and down (substrate) as shares "
                        f"of it per radian. {words} Slope: above threshold, clamped carrier density, single mode, "
                        f"no heating (docs/physics.md).", wide=True)
