"""Report figures of the device model for the best designs: the intensity |R|^2 + |S|^2 of the two lowest device
modes along the grating, with the pumped opening shaded and the section boundaries drawn, from each design's
stored device record (its highest tier's). Nothing is solved here."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from perocav.designs.records import DesignResult  # noqa: E402
from perocav.designs.report.emission import emission_figure  # noqa: E402
from perocav.designs.report.parts import Figure, save_png  # noqa: E402

#: designs drawn (best first)
N_BEST = 3


def _device_of(result: DesignResult):
    """The highest tier's device record of a design's chain (None without one)."""
    return next((r.device for r in reversed(result.chain()) if r.ok and r.device is not None), None)


def device_figure(result: DesignResult, *, rank: int, figdir: Path) -> Figure | None:
    """The two lowest device modes of one design along the grating (None when it has no device record)."""
    rec = _device_of(result)
    if rec is None or not rec.solution.lines:
        return None
    sol, cav = rec.solution, result.point.cavity
    fig, ax = plt.subplots(figsize=(6.4, 3.2))
    ax.axvspan(*sol.pumped_um, color="tab:orange", alpha=0.15, label="pumped opening")
    for z in sol.section_bounds_um[1:-1]:
        ax.axvline(z, color="grey", lw=0.8, ls=":")
    for line, style in zip(sol.lines[:2], ("-", "--")):
        ax.plot(sol.z_um, line.intensity, style, label=f"{line.wavelength_nm:.2f} nm, g_p "
                f"{line.threshold_modal_gain_per_cm:.0f} /cm")
    ax.set_xlabel("position along the grating [µm]")
    ax.set_ylabel("|R|² + |S|² (max 1)")
    ax.set_title(f"#{rank}: period {cav.period_nm:g} nm, duty {cav.duty_cycle:g}; margin "
                 f"{sol.gain_margin_per_cm:.0f} /cm; couplings: {rec.model}", fontsize=8)
    ax.legend(fontsize=7, loc="upper right")
    fig.tight_layout()
    path = save_png(fig, figdir / f"device_modes_{rank}.png")
    return Figure(path, f"Design #{rank}: the two lowest modes of the device along the grating (coupled-mode "
                        f"device model, section couplings from {rec.model}); shaded: the pumped opening "
                        f"({sol.pumped_fraction:.0%} of the length), dotted: section boundaries. Outside the opening "
                        f"the perovskite absorbs {sol.absorption_per_cm:.0f} /cm at the lasing line (modal loss "
                        f"{sol.unpumped_loss_per_cm:.0f} /cm)." + _emission_text(sol.emission))


def _emission_text(e) -> str:
    """The lowest mode's power budget and beam in words (coupled-mode model)."""
    if e is None:
        return ""
    beam = ("a null at normal incidence, lobes at ±" if e.null_at_normal else "a central lobe at ") + (
        f"{e.lobe_angle_deg:.2f}° ({e.central_lobe_fraction:.0%} of the power in the central lobe)")
    return (f" Of the power its gain generates, the lowest mode emits {e.eta_up:.1%} upward through the LED stack "
            f"({e.radiated_fraction:.1%} radiated in all), loses {e.ends_fraction:.1%} out of the ends and "
            f"{e.absorbed_unpumped_fraction:.1%} to the unpumped film; its beam has {beam}.")


def device_figures(table, results: dict[str, DesignResult], figdir: Path) -> list[Figure]:
    """The device figures of the ``N_BEST`` best-ranked designs that have a device record: the modes along the
    grating and where their light goes (``emission.emission_figure``)."""
    ranked = table[table["rank"].notna()].sort_values("rank").head(N_BEST)
    figs = []
    for _, row in ranked.iterrows():
        result = results.get(str(row["key"]))
        fig = device_figure(result, rank=int(row["rank"]), figdir=figdir) if result is not None else None
        if fig is not None:
            figs.append(fig)
            light = emission_figure(_device_of(result), rank=int(row["rank"]), figdir=figdir)
            figs += [light] if light is not None else []
    return figs
