"""Self-contained HTML report of a run: threshold and Q maps, spectrum, mode profile, g_net vs thickness."""

from __future__ import annotations

import base64
import html
import math
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from perocav.designs.io import atomic_path, write_text_atomic  # noqa: E402
from perocav.designs.spec import DesignSpec  # noqa: E402

LABELS = {
    "threshold_current_density_a_per_cm2": "J_th [A/cm^2]",
    "threshold_material_gain_per_cm": "material threshold gain [1/cm]",
    "threshold_modal_gain_per_cm": "modal threshold gain [1/cm]",
    "q_estimate": "Q (cold cavity)",
    "wavelength_nm": "lasing wavelength [nm]",
}


def _save(fig, path: Path) -> Path:
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format="png", dpi=110)
    plt.close(fig)
    return path


def _maps(table, axes: list[str], figdir: Path) -> list[Path]:
    """Heat maps over the first two numeric sweep axes (paper Fig. 4a style)."""
    x, y = (f"p.{a}" for a in axes[:2])
    out = []
    ok = table[table["status"] == "ok"]
    if ok.empty:
        return out
    xs, ys = np.sort(ok[x].unique()), np.sort(ok[y].unique())
    for metric, log in (("threshold_current_density_a_per_cm2", True), ("q_estimate", True), ("wavelength_nm", False)):
        if metric not in ok:
            continue
        grid = np.full((len(ys), len(xs)), np.nan)
        for _, r in ok.iterrows():
            grid[np.searchsorted(ys, r[y]), np.searchsorted(xs, r[x])] = r[metric]
        fig, ax = plt.subplots(figsize=(5.2, 4.0))
        data = np.log10(grid) if log else grid
        im = ax.pcolormesh(xs, ys, data, shading="nearest", cmap="viridis_r" if metric != "q_estimate" else "viridis")
        cb = fig.colorbar(im, ax=ax)
        cb.set_label(("log10 " if log else "") + LABELS[metric])
        best = ok[ok["rank"] == 1]
        if not best.empty:
            ax.plot(best[x], best[y], "r*", ms=14, label="best")
            ax.legend(loc="upper right", fontsize=8)
        ax.set_xlabel(axes[0])
        ax.set_ylabel(axes[1])
        ax.set_title(LABELS[metric], fontsize=10)
        fig.tight_layout()
        out.append(_save(fig, figdir / f"map_{metric}.png"))
    return out


def _circular_spectrum(best: dict, figdir: Path) -> list[Path]:
    """Resonances of the best circular design: Q versus wavelength, one colour per azimuthal order m."""
    modes = best.get("modes") or []
    if not modes:
        return []
    fig, ax = plt.subplots(figsize=(5.6, 3.6))
    for m in sorted({int(md[0]) for md in modes}):
        pts = [md for md in modes if int(md[0]) == m]
        ax.semilogy([p[1] for p in pts], [p[2] for p in pts], "o", label=f"m = {m}")
    ax.set_xlabel("wavelength [nm]")
    ax.set_ylabel("Q (radiation + absorption)")
    ax.set_title(f"best design: resonances near the gain peak (chosen: m = {best['m']}, "
                 f"{best['wavelength_nm']:.1f} nm)", fontsize=9)
    ax.legend(fontsize=7, ncol=2)
    fig.tight_layout()
    return [_save(fig, figdir / "spectrum_best.png")]


def _spectrum(spec: DesignSpec, best: dict, figdir: Path) -> list[Path]:
    """Lasing-mode spectrum (wavelength vs threshold gain) and mode profile of the best design."""
    if best["point"]["cavity"]["type"] != "dfb":
        return _circular_spectrum(best, figdir)
    from perocav.designs.spec import DesignPoint
    from perocav.fdtd.dfb_analytic import analyze_dfb_on_stack
    from perocav.fdtd.slab_modes import solve_slab_mode

    point = DesignPoint.model_validate(best["point"])
    stack = point.stack.resolve()
    cav = point.cavity
    r = analyze_dfb_on_stack(stack=stack, period_nm=cav.period_nm, duty_cycle=cav.duty_cycle, order=cav.order,
                             length_um=cav.length_um, phase_shift_rad=math.pi if cav.phase_shift == "quarter_wave" else 0,
                             n_modes=8)
    fig, ax = plt.subplots(figsize=(5.6, 3.6))
    ax.axvspan(r.cmt.stopband_short_nm, r.cmt.stopband_long_nm, color="grey", alpha=0.2, label="stopband")
    for m in r.cmt.modes:
        ax.vlines(m.wavelength_nm, 0, m.power_gain_per_cm, color="tab:blue", lw=2)
    ax.plot([m.wavelength_nm for m in r.cmt.modes], [m.power_gain_per_cm for m in r.cmt.modes], "o", color="tab:blue",
            label="DFB modes (CMT)")
    ax.axvline(r.bragg_wavelength_nm, color="k", ls=":", lw=1, label="Bragg")
    ax.set_xlabel("wavelength [nm]")
    ax.set_ylabel("threshold power gain 2 alpha L / L [1/cm]")
    ax.set_title(f"best design: period {cav.period_nm:g} nm, duty {cav.duty_cycle:g}, kappa L = {r.kappa_L:.2f}", fontsize=9)
    ax.legend(fontsize=8)
    fig.tight_layout()
    out = [_save(fig, figdir / "spectrum_best.png")]
    # coupled-mode band diagram near the Bragg point: delta(q) = +/- sqrt(q^2 + kappa^2), q the Bloch detuning
    kap = abs(r.kappa_per_cm)
    q = np.linspace(-3, 3, 301) * max(kap, 1.0)
    lam_b, n_g = r.bragg_wavelength_nm, r.group_index
    fig, ax = plt.subplots(figsize=(5.0, 3.6))
    for sign in (1, -1):
        delta = sign * np.sqrt(q**2 + kap**2)
        ax.plot(q, lam_b - delta * lam_b**2 * 1e-7 / (2 * np.pi * n_g), color="tab:blue")
    ax.plot(q, lam_b - q * lam_b**2 * 1e-7 / (2 * np.pi * n_g), ":", color="grey", label="no grating")
    ax.axhspan(r.cmt.stopband_short_nm, r.cmt.stopband_long_nm, color="grey", alpha=0.2, label="stopband")
    if r.radiating_edge:
        ax.text(0.02, 0.95, f"radiating edge: {r.radiating_edge}-wavelength", transform=ax.transAxes, fontsize=8,
                va="top")
    ax.set_xlabel("Bloch detuning q = k - K_m/2 [1/cm]")
    ax.set_ylabel("wavelength [nm]")
    ax.set_title(f"band diagram near the Bragg point (CMT), kappa = {r.kappa_per_cm:.0f} 1/cm", fontsize=9)
    ax.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    out.append(_save(fig, figdir / "band_diagram_best.png"))
    mode = solve_slab_mode(profile=stack.index_profile(wavelength_nm=r.wavelength_nm), pol="TE")
    from perocav.designs.plots import plot_mode_profile

    prof = stack.index_profile(wavelength_nm=r.wavelength_nm)
    n_real = [prof.n_substrate.real, *(n.real for n in prof.n_layers), prof.n_cover.real]
    out.append(plot_mode_profile(z_nm=mode.z_nm, e_abs2=mode.e_abs2, interfaces_nm=mode.interfaces_nm,
                                 layer_labels=list(mode.names), n_real=n_real, path=figdir / "mode_best.png",
                                 title=f"{stack.name} TE0 at {r.wavelength_nm:.1f} nm (grating averaged)"))
    return out


def _gain_vs_thickness(spec: DesignSpec, figdir: Path) -> list[Path]:
    from perocav.designs.plots import plot_net_gain
    from perocav.fdtd.thickness_study import thickness_sweep, thinnest_net_gain_nm

    stack = spec.stack.resolve()
    if stack.gain_layer is None or stack.emission_wavelength_nm is None:
        return []
    t = np.arange(20.0, 301.0, 10.0)
    pts = thickness_sweep(stack=stack, thicknesses_nm=t, wavelength_nm=stack.emission_wavelength_nm, gain_per_cm=500.0)
    curves = {stack.name: (t, np.array([p.g_net_per_cm for p in pts]))}
    return [plot_net_gain(curves=curves, thresholds_nm={stack.name: thinnest_net_gain_nm(pts)}, gain_per_cm=500.0,
                          title=f"{stack.name}: g_net vs gain-layer thickness (g_i = 500 1/cm)",
                          path=figdir / "gnet_vs_thickness.png")]


def _carrier_dynamics(spec: DesignSpec, figdir: Path) -> list[Path]:
    """Paper Fig. 1d: peak carrier density versus pump pulse width (with and without Auger), and PLQY(N) (eq. 3)."""
    from perocav.designs.threshold import auger_critical_density_per_cm3, peak_density_for_pulse_per_cm3, plqy

    mat = spec.gain_material
    widths = np.logspace(-13, -7, 25)
    fig, (ax, ax2) = plt.subplots(1, 2, figsize=(10, 3.8))
    for i, fluence in enumerate((10.0, 100.0, 500.0)):
        for auger, ls in ((False, "--"), (True, "-")):
            peak = [peak_density_for_pulse_per_cm3(material=mat, fluence_uJ_per_cm2=fluence, pulse_fwhm_s=w,
                                                   absorption=0.5, thickness_nm=200.0, auger=auger) for w in widths]
            ax.loglog(widths, peak, ls, color=f"C{i}", label=f"{fluence:g} uJ/cm^2" + (" (Auger)" if auger else ""))
    ax.set_xlabel("pump pulse width (FWHM) [s]")
    ax.set_ylabel("peak carrier density [cm^-3]")
    ax.set_title("rate equation (paper eq. 2), 200 nm film, 50% absorbed", fontsize=9)
    ax.legend(fontsize=7)
    n = np.logspace(14, 20, 200)
    ax2.semilogx(n, [plqy(material=mat, carrier_density_per_cm3=x) for x in n])
    ax2.axvline(auger_critical_density_per_cm3(material=mat), color="grey", ls=":", label="N_C (k2 = k3 N_C)")
    ax2.set_xlabel("carrier density N [cm^-3]")
    ax2.set_ylabel("PLQY (paper eq. 3)")
    ax2.legend(fontsize=8)
    fig.tight_layout()
    return [_save(fig, figdir / "carrier_dynamics.png")]


def write_report(*, out_dir: Path, spec: DesignSpec, table) -> Path:
    """Write ``report.html`` (figures embedded and also saved under ``figures/``)."""
    figdir = Path(out_dir) / "figures"
    figdir.mkdir(parents=True, exist_ok=True)
    axes = [a for a in list(spec.sweep.grid) + list(spec.sweep.zip) if np.issubdtype(table[f"p.{a}"].dtype, np.number)]
    figs: list[Path] = []
    if len(axes) >= 2:
        figs += _maps(table, axes, figdir)
    ranked = table[table["rank"].notna()].sort_values("rank")
    if not ranked.empty:
        best_key = ranked.iloc[0]["key"]
        from perocav.designs.cache import ResultCache

        full = ResultCache(Path(out_dir) / "cache").find(str(best_key))  # verified entry, or None
        if full is not None:
            figs += _spectrum(spec, full, figdir)
    figs += _gain_vs_thickness(spec, figdir)
    figs += _carrier_dynamics(spec, figdir)
    cols = [c for c in ["rank", *[f"p.{a}" for a in axes], "wavelength_nm", "kappa_L", "radiating_edge", "q_estimate",
                        "confinement_power", "modal_loss_per_cm", "threshold_material_gain_per_cm",
                        "threshold_density_per_cm3", "threshold_current_density_a_per_cm2", "status"] if c in table]
    top = ranked[cols].head(15) if not ranked.empty else table[cols].head(15)
    n_ok, n_fail = int((table["status"] == "ok").sum()), int((table["status"] != "ok").sum())
    failures = table[table["status"] != "ok"][[c for c in ["key", *[f"p.{a}" for a in axes], "error"] if c in table]]
    imgs = "\n".join(
        f'<figure><img src="data:image/png;base64,{base64.b64encode(p.read_bytes()).decode()}" alt="{p.stem}">'
        f"<figcaption>{html.escape(p.stem)}</figcaption></figure>" for p in figs)
    body = f"""<!doctype html><html><head><meta charset="utf-8"><title>perocav: {html.escape(spec.name)}</title>
<style>body{{font-family:sans-serif;margin:2em;max-width:1200px}} table{{border-collapse:collapse;font-size:12px}}
td,th{{border:1px solid #ccc;padding:3px 6px;text-align:right}} figure{{display:inline-block;margin:8px}}
img{{max-width:560px}}</style></head><body>
<h1>{html.escape(spec.name)}</h1><p>{html.escape(spec.description)}</p>
<p>stack <b>{html.escape(spec.stack.name)}</b>, cavity <b>{spec.cavity.type}</b>, fidelity <b>{spec.fidelity}</b>,
ranked by <b>{spec.objective.rank_by}</b>; {len(table)} designs: {n_ok} evaluated, {n_fail} failed,
{int(table['feasible'].sum())} inside the constraints.</p>
<h2>Top designs</h2>{top.to_html(index=False, float_format=lambda v: f"{v:.4g}", na_rep="-")}
<h2>Figures</h2>{imgs}
{"<h2>Failed designs</h2>" + failures.to_html(index=False) if len(failures) else ""}
<p style="color:#777">Thresholds: modal threshold gain (Kogelnik-Shank mirror loss + absorption) / power-weighted
confinement -> N_th from g(N) = g0 ln(N/N_tr) -> J_th = q d k2 N_th^2 / PLQY (paper eqs. 3, 5, 6).</p>
</body></html>"""
    return write_text_atomic(Path(out_dir) / "report.html", body)
