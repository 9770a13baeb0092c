"""Report figure of where a device design's light goes (coupled-mode device model, "device CMT"): the power budget of
its two lowest modes as bars (shares of the zone's stimulated emission g_p x stored energy: up, down, left end,
right end, and the absorption of each layer of the stack in the unpumped and the pumped sections, the gain layer
there outside the recombination zone; their sum shown) and their
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
    """(label, share of the zone's stimulated emission) of each bar of one ``ModeEmission``: up, down, the ends and
    every layer that absorbs (``PowerBudget.destinations``)."""
    b = mode.budget
    rows = [("up", b.radiated_up), ("down", b.radiated_down), ("left end", b.left_end), ("right end", b.right_end),
            *((a.label_for(gain_layer=mode.gain_layer), a.fraction) for a in b.absorbed_by_layer
              if a.fraction != 0.0)]
    return tuple((name, v / b.stimulated) for name, v in rows)


def budget_text(mode) -> str:
    """The bars in words, with their sum."""
    bars = budget_bars(mode)
    return ", ".join(f"{name} {v:.1%}" for name, v in bars) + f"; sum {sum(v for _, v in bars):.1%}"


def _bars(ax, modes) -> None:
    width = 0.8 / len(modes)
    per_mode = [dict(budget_bars(m)) for m in modes]
    names = list(dict.fromkeys(n for bars in per_mode for n in bars))  # every mode's bars, in order
    for k, (m, bars) in enumerate(zip(modes, per_mode)):
        x = np.arange(len(names)) + (k - 0.5 * (len(modes) - 1)) * width
        ax.bar(x, [bars.get(n, 0.0) for n in names], width,
               label=f"mode {k + 1} ({m.wavelength_nm:.2f} nm): sum {sum(bars.values()):.1%}")
    ax.set_xticks(np.arange(len(names)), names, rotation=35, ha="right", fontsize=6)
    ax.set_ylabel("share of the stimulated emission")
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
    return Figure(path, f"Design #{rank} ({MODEL} model): power budget of the two lowest modes as shares of the "
                        f"recombination zone's stimulated emission (g_p x stored energy; each layer's absorption "
                        f"from its power-weighted overlap), and their far fields up (air) and down (substrate) as "
                        f"shares of the generated power per radian. {words} Slope: above threshold, clamped carrier "
                        f"density, single mode, no heating (docs/physics.md).", wide=True)
