"""FDTD section of the report: per FDTD-verified design, analytic vs MEEP numbers side by side, the band edges of
both models on one wavelength axis, and the MEEP |E|^2 over the simulated cross-section."""

from __future__ import annotations

import html
import math
from dataclasses import dataclass
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from perocav.designs.records import DesignResult  # noqa: E402
from perocav.designs.report.parts import Figure, label_value, save_png  # noqa: E402
from perocav.fdtd.extract.cross_section import CrossSection

#: (quantity, analytic value, FDTD value, format); values: (part, field) of the FDTD-verified design's result, part
#: "analytic" (its first, analytic result's metrics), "analytic_solver" (that result's analytic record), "metrics"
#: (its own) or "solver" (the MEEP record)
COMPARED = (
    ("lasing wavelength [nm]", ("analytic", "wavelength_nm"), ("metrics", "wavelength_nm"), ".2f"),
    ("Bragg wavelength [nm]", ("analytic_solver", "bragg_wavelength_nm"), ("solver", "bragg_wavelength_nm"), ".2f"),
    ("short band edge [nm]", ("analytic_solver", "stopband_short_nm"), ("solver", "edge_short_nm"), ".2f"),
    ("long band edge [nm]", ("analytic_solver", "stopband_long_nm"), ("solver", "edge_long_nm"), ".2f"),
    ("κ [1/cm]", ("analytic_solver", "kappa_per_cm"), ("solver", "kappa_per_cm"), ".0f"),
    ("radiation coupling h [1/cm]", ("analytic_solver", "radiation_per_cm"), ("solver", "radiation_per_cm"), ".1f"),
    ("confinement Γ in the gain layer (power)", ("analytic_solver", "confinement_power"),
     ("solver", "confinement_power"), ".3f"),
    ("modal loss [1/cm]", ("analytic_solver", "modal_loss_per_cm"), ("solver", "modal_loss_per_cm"), ".1f"),
    ("modal threshold gain [1/cm]", ("analytic", "threshold_modal_gain_per_cm"),
     ("solver", "threshold_modal_gain_per_cm"), ".1f"),
    ("cavity Q (from the threshold)", ("analytic", "q_estimate"), ("metrics", "q_estimate"), ".0f"),
    ("J_th [A/cm²]", ("analytic", "threshold_current_density_a_per_cm2"),
     ("metrics", "threshold_current_density_a_per_cm2"), ".3g"),
)


def _num(v) -> float:
    try:
        return float(v)
    except (TypeError, ValueError):
        return math.nan


def value(result: DesignResult, part: str, name: str) -> float:
    """A number of an FDTD-verified design's result (NaN where absent or not finite)."""
    first = result.first()
    analytic = first.solver if first.fidelity == "analytic" else None
    source = {"analytic": first.metrics, "analytic_solver": analytic, "metrics": result.metrics,
              "solver": result.solver}[part]
    v = _num(getattr(source, name, None))
    return abs(v) if name == "kappa_per_cm" else v


def comparison_rows(result: DesignResult) -> list[tuple[str, str, str, str]]:
    """(quantity, analytic, FDTD, FDTD - analytic) as text."""
    out = []
    for name, a_key, f_key, fmt in COMPARED:
        a, f = value(result, *a_key), value(result, *f_key)
        if not (math.isfinite(a) or math.isfinite(f)):
            continue
        diff = ""
        if math.isfinite(a) and math.isfinite(f):
            diff = f"{f - a:+{fmt}}" + (f" ({100 * (f - a) / a:+.0f} %)" if a else "")
        out.append((name, f"{a:{fmt}}" if math.isfinite(a) else "-", f"{f:{fmt}}" if math.isfinite(f) else "-", diff))
    s = result.solver
    if math.isfinite(_num(s.edge_short_nm)) or math.isfinite(_num(s.edge_long_nm)):
        qs = " / ".join(_q_text(_num(q)) for q in (s.q_short, s.q_long))
        out.append(("Q of the short / long band edge", "-", f"{qs} (radiating: {s.radiating_edge or '-'})", ""))
    return out


def _q_text(q: float) -> str:
    """A band edge's Q; a missing one (inf) is the lossless edge."""
    return f"{q:.0f}" if math.isfinite(q) else "∞ (lossless)"


def band_edge_figure(result: DesignResult, *, window_nm, path: Path) -> Path:
    """Stop band and lasing wavelength of the coupled-mode model and of MEEP on one wavelength axis."""
    fig, ax = plt.subplots(figsize=(6.4, 2.6))
    models = (("analytic (CMT + slab)", ("analytic_solver", "stopband_short_nm"), ("analytic_solver", "stopband_long_nm"),
               ("analytic", "wavelength_nm"), "tab:blue"),
              ("FDTD (MEEP unit cell)", ("solver", "edge_short_nm"), ("solver", "edge_long_nm"),
               ("metrics", "wavelength_nm"), "tab:red"))
    solver = (lambda name: value(result, "solver", name))  # noqa: E731
    for yi, (name, s_key, l_key, lam_key, colour) in enumerate(models):
        s, l_, lam = value(result, *s_key), value(result, *l_key), value(result, *lam_key)
        if math.isfinite(s) and math.isfinite(l_):
            ax.barh(yi, l_ - s, left=s, height=0.5, color=colour, alpha=0.3)
            ax.plot([s, l_], [yi, yi], "|", color=colour, ms=22, mew=2)
        if math.isfinite(lam):
            ax.plot([lam], [yi], "v", color=colour, ms=10)
    for key, q_key, dx, ha in (("edge_short_nm", "q_short", -3, "right"), ("edge_long_nm", "q_long", 3, "left")):
        if math.isfinite(solver(key)):
            ax.annotate(f"Q {_q_text(solver(q_key))}", (solver(key), 1), xytext=(dx, 12),
                        textcoords="offset points", ha=ha, fontsize=8, color="tab:red")
    shown = [value(result, "analytic_solver", k) for k in ("stopband_short_nm", "stopband_long_nm")]
    shown += [solver(k) for k in ("edge_short_nm", "edge_long_nm")]
    shown += [value(result, "metrics", "wavelength_nm"), value(result, "analytic", "wavelength_nm")]
    shown = [v for v in shown if math.isfinite(v)]
    if shown:
        pad = max(2.0, 0.6 * (max(shown) - min(shown)))
        ax.set_xlim(min(shown) - pad, max(shown) + pad)
    for v in window_nm or ():
        ax.axvline(v, color="grey", ls=":")
    ax.set_yticks([0, 1], [m[0] for m in models])
    ax.set_ylim(-0.6, 1.8)
    ax.set_xlabel("wavelength [nm]")
    ax.set_title("stop band (shaded) and lasing wavelength (▼); dotted: window edge", fontsize=9)
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    return save_png(fig, path)


def profile_figure(cs, *, path: Path) -> Path | None:
    """MEEP |E|^2 over the cross-section ``cs`` (left) and averaged along x versus height (right), levels marked."""
    if cs is None:
        return None

    lo = min(a for a, _ in cs.levels_um.values()) - 0.35
    hi = max(b for _, b in cs.levels_um.values()) + 0.35
    keep = (cs.y_um >= lo) & (cs.y_um <= hi)
    if keep.sum() >= 4:
        cs = CrossSection(x_um=cs.x_um, y_um=cs.y_um[keep], abs2=cs.abs2[:, keep], levels_um=cs.levels_um)
    fig, (ax, ax2) = plt.subplots(1, 2, figsize=(6.4, 4.0), gridspec_kw={"width_ratios": [1.3, 1]}, sharey=True)
    im = ax.imshow(cs.abs2.T, origin="lower", aspect="auto", cmap="magma", vmin=0, vmax=1,
                   extent=(cs.x_um[0], cs.x_um[-1], cs.y_um[0], cs.y_um[-1]))
    fig.colorbar(im, ax=ax, label="|E_z|² / max")
    avg = cs.abs2.mean(axis=0)
    ax2.plot(avg / avg.max(), cs.y_um, color="tab:red", lw=2)
    for i, (name, (y0, y1)) in enumerate(sorted(cs.levels_um.items(), key=lambda kv: kv[1][0])):
        for a in (ax, ax2):
            a.axhline(y0, color="white" if a is ax else "grey", lw=0.6, ls="--")
            a.axhline(y1, color="white" if a is ax else "grey", lw=0.6, ls="--")
        ax2.axhspan(y0, y1, color=f"C{i % 10}", alpha=0.15)
        ax2.text(0.98, 0.5 * (y0 + y1), name, fontsize=7, va="center", ha="right",
                 transform=ax2.get_yaxis_transform())
    ax.set_xlabel("x along the grating [µm]")
    ax.set_ylabel("height y [µm]")
    ax2.set_xlabel("|E_z|² averaged over x")
    ax2.set_xlim(0, 1.05)
    fig.tight_layout()
    return save_png(fig, path)


def _settings_text(solver) -> str:
    res = _num(solver.resolution_px_per_um)
    details = solver.details
    text = (f"MEEP {getattr(details, 'meep_version', '?')} 2D TE (E_z), {solver.mode.replace('_', ' ')}, "
            f"{res:.0f} px/µm, ring-down {_num(getattr(details, 'ring_down_um', None)):.0f} µm/c, "
            + ("converged in resolution" if solver.converged else "not converged in resolution"))
    return text + (f"; warnings: {'; '.join(solver.warnings)}" if solver.warnings else "")


@dataclass(frozen=True)
class FdtdSection:
    """The report's section of one FDTD-verified design."""

    title: str
    settings: str
    rows: tuple[tuple[str, str, str, str], ...]  # quantity, analytic, FDTD, FDTD - analytic
    figures: tuple[Figure, ...]
    profile_missing: bool


def fdtd_sections(table, *, results: dict[str, DesignResult], window_nm, figdir: Path) -> list[FdtdSection]:
    """One section per FDTD-verified design in rank order (``results``: each row's result by its key)."""
    if "model" not in table:
        return []
    verified = table[table["model"] == "fdtd"].sort_values("rank", na_position="last")
    sections = []
    for _, row in verified.iterrows():
        result = results.get(str(row["key"]))
        if result is None or result.fidelity != "fdtd":
            continue
        params = dict(result.point.params)
        rank = row.get("rank")
        title = ("" if rank is None or pd.isna(rank) else f"rank {int(rank)}: ") + ", ".join(
            label_value(k, v.item() if hasattr(v, "item") else v) for k, v in params.items())
        tag = "_".join(f"{k}{v:g}" if isinstance(v, (int, float)) else f"{k}{v}" for k, v in params.items())
        sections.append(_section(result, title=title, tag=tag, window_nm=window_nm, figdir=figdir))
    return sections


def _section(result: DesignResult, *, title: str, tag: str, window_nm, figdir: Path) -> FdtdSection:
    solver = result.solver
    figs = [Figure(band_edge_figure(result, window_nm=window_nm, path=figdir / f"fdtd_edges_{tag}.png"),
                   "Band edges of the coupled-mode model (blue: CMT stop band from the slab-mode indices) and of "
                   "the MEEP unit cell (red: the two band-edge resonances, Q from the matrix pencil); ▼: the "
                   "lasing wavelength each model predicts; dotted: the objective's wavelength window.")]
    prof = profile_figure(getattr(solver.details, "cross_section", None), path=figdir / f"fdtd_profile_{tag}.png")
    if prof is not None:
        along = "one period" if solver.mode == "unit_cell" else "the whole grating"
        figs.append(Figure(prof, f"FDTD mode profile: MEEP |E_z|² over the simulated cross-section ({along} "
                                 "along x, the stack ± 0.35 µm in height) at the end of the ring-down, where the "
                                 "longest-lived band edge dominates; right: averaged along x, with the stack "
                                 "levels. " + _settings_text(solver) + "."))
    return FdtdSection(title=title, settings=_settings_text(solver), rows=tuple(comparison_rows(result)),
                       figures=tuple(figs), profile_missing=prof is None)


def sections_html(sections: list[FdtdSection], img) -> str:
    """HTML of the FDTD sections; ``img(figure)`` renders one figure with its caption."""
    parts = []
    for s in sections:
        rows = "".join(f"<tr><th>{html.escape(q)}</th><td>{html.escape(a)}</td><td>{html.escape(f)}</td>"
                       f"<td>{html.escape(d)}</td></tr>" for q, a, f, d in s.rows)
        missing = ("<p class='note'>No MEEP field snapshot stored for this design (its FDTD result was cached "
                   "before snapshots were kept): rerun without the cache to get the mode profile.</p>"
                   if s.profile_missing else "")
        parts.append(f"<h3>{html.escape(s.title)}</h3><p class='note'>{html.escape(s.settings)}</p>"
                     "<table class='compare'><tr><th>quantity</th><th>analytic (coupled modes + slab modes)</th>"
                     f"<th>FDTD (MEEP)</th><th>FDTD − analytic</th></tr>{rows}</table>{missing}"
                     + "".join(img(f) for f in s.figures))
    return "\n".join(parts)
