"""FDTD section of the report: per FDTD-verified design, analytic vs MEEP numbers side by side, the band edges of
both models on one wavelength axis, and the MEEP |E|^2 over the simulated cross-section."""

from __future__ import annotations

import html
import json
import math
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from perocav.designs.report_parts import Figure, label_value, save_png  # noqa: E402

#: (quantity, analytic field, FDTD field, format)
COMPARED = (
    ("lasing wavelength [nm]", "analytic.wavelength_nm", "wavelength_nm", ".2f"),
    ("Bragg wavelength [nm]", "bragg_wavelength_cmt_nm", "bragg_wavelength_fdtd_nm", ".2f"),
    ("short band edge [nm]", "stopband_cmt_short_nm", "edge_short_nm", ".2f"),
    ("long band edge [nm]", "stopband_cmt_long_nm", "edge_long_nm", ".2f"),
    ("κ [1/cm]", "kappa_cmt_per_cm", "kappa_per_cm", ".0f"),
    ("radiation coupling h [1/cm]", "radiation_cmt_per_cm", "radiation_per_cm", ".1f"),
    ("confinement Γ in the gain layer (field)", "confinement_slab", "confinement_fdtd", ".3f"),
    ("modal loss [1/cm]", "modal_loss_slab_per_cm", "modal_loss_fdtd_per_cm", ".1f"),
    ("modal threshold gain [1/cm]", "threshold_cmt_modal_gain_per_cm", "threshold_modal_gain_per_cm", ".1f"),
    ("cavity Q (from the threshold)", "analytic.q_estimate", "q_estimate", ".0f"),
    ("J_th [A/cm²]", "analytic.threshold_current_density_a_per_cm2", "threshold_current_density_a_per_cm2", ".3g"),
)


def fdtd_records(cache_dir: Path) -> list[dict]:
    """Every FDTD record in a run's cache (few: the screen's top k)."""
    out = []
    for path in sorted(Path(cache_dir).glob("*/*.json")):
        text = path.read_text()
        if '"fdtd"' not in text:
            continue
        try:
            rec = json.loads(text).get("record", {})
        except json.JSONDecodeError:
            continue
        if rec.get("fidelity") == "fdtd" and rec.get("status") == "ok":
            out.append(rec)
    return out


def _num(v) -> float:
    try:
        return float(v)
    except (TypeError, ValueError):
        return math.nan


def comparison_rows(row, rec: dict) -> list[tuple[str, str, str, str]]:
    """(quantity, analytic, FDTD, FDTD - analytic) as text; the record fills what the table row lacks."""
    def get(k):
        return _num(row.get(k) if k in row and row.get(k) is not None else rec.get(k))

    out = []
    for name, a_key, f_key, fmt in COMPARED:
        a, f = get(a_key), get(f_key)
        if not (math.isfinite(a) or math.isfinite(f)):
            continue
        diff = ""
        if math.isfinite(a) and math.isfinite(f):
            diff = f"{f - a:+{fmt}}" + (f" ({100 * (f - a) / a:+.0f} %)" if a else "")
        out.append((name, f"{a:{fmt}}" if math.isfinite(a) else "-", f"{f:{fmt}}" if math.isfinite(f) else "-", diff))
    if math.isfinite(get("edge_short_nm")) or math.isfinite(get("edge_long_nm")):
        edge = rec.get("radiating_edge") or "-"
        qs = " / ".join(_q_text(get(k)) for k in ("q_short", "q_long"))
        out.append(("Q of the short / long band edge", "-", f"{qs} (radiating: {edge})", ""))
    return out


def _q_text(q: float) -> str:
    """A band edge's Q; a missing one is the lossless edge (the record stores Q = inf as null)."""
    return f"{q:.0f}" if math.isfinite(q) else "∞ (lossless)"


def band_edge_figure(row, rec: dict, *, window_nm, path: Path) -> Path:
    """Stop band and lasing wavelength of the coupled-mode model and of MEEP on one wavelength axis."""
    fig, ax = plt.subplots(figsize=(6.4, 2.6))
    models = (("analytic (CMT + slab)", "stopband_cmt_short_nm", "stopband_cmt_long_nm", "analytic.wavelength_nm",
               "tab:blue"), ("FDTD (MEEP unit cell)", "edge_short_nm", "edge_long_nm", "wavelength_nm", "tab:red"))
    for yi, (name, s_key, l_key, lam_key, colour) in enumerate(models):
        s, l_, lam = _num(rec.get(s_key)), _num(rec.get(l_key)), _num(row.get(lam_key, rec.get(lam_key)))
        if math.isfinite(s) and math.isfinite(l_):
            ax.barh(yi, l_ - s, left=s, height=0.5, color=colour, alpha=0.3)
            ax.plot([s, l_], [yi, yi], "|", color=colour, ms=22, mew=2)
        if math.isfinite(lam):
            ax.plot([lam], [yi], "v", color=colour, ms=10)
    for key, q_key, dx, ha in (("edge_short_nm", "q_short", -3, "right"), ("edge_long_nm", "q_long", 3, "left")):
        if math.isfinite(_num(rec.get(key))):
            ax.annotate(f"Q {_q_text(_num(rec.get(q_key)))}", (_num(rec.get(key)), 1), xytext=(dx, 12),
                        textcoords="offset points", ha=ha, fontsize=8, color="tab:red")
    shown = [_num(rec.get(k)) for k in ("stopband_cmt_short_nm", "stopband_cmt_long_nm", "edge_short_nm",
                                        "edge_long_nm", "wavelength_nm")] + [_num(row.get("analytic.wavelength_nm"))]
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


def profile_figure(rec: dict, *, path: Path) -> Path | None:
    """MEEP |E|^2 over the cross-section (left) and averaged along x versus height (right), levels marked."""
    prof = rec.get("mode_profile")
    if not prof:
        return None
    from perocav.fdtd.extract.cross_section import CrossSection

    cs = CrossSection.from_record(prof)
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


def _settings_text(rec: dict) -> str:
    res, conv = _num(rec.get("resolution_px_per_um")), rec.get("converged")
    text = (f"MEEP {rec.get('meep_version', '')} 2D TE (E_z), {rec.get('mode', 'unit_cell').replace('_', ' ')}, "
            f"{res:.0f} px/µm, ring-down {_num(rec.get('ring_down_um')):.0f} µm/c, "
            + ("converged in resolution" if conv else "not converged in resolution"))
    return text + (f"; warnings: {rec['warnings']}" if rec.get("warnings") else "")


def fdtd_sections(table, *, cache_dir: Path, window_nm, figdir: Path) -> list[dict]:
    """One section per FDTD-verified design in rank order: title, settings, comparison rows, figures."""
    if "fidelity" not in table:
        return []
    verified = table[table["fidelity"] == "fdtd"].sort_values("rank", na_position="last")
    records = fdtd_records(cache_dir)
    sections = []
    for _, row in verified.iterrows():
        params = {c[2:]: row[c] for c in table.columns if c.startswith("p.")}
        rec = next((r for r in records if all(_same(r.get("params", {}).get(k), v) for k, v in params.items())), None)
        rec = rec or {k: row[k] for k in row.index}
        tag = "_".join(f"{k}{v:g}" if isinstance(v, (int, float)) else f"{k}{v}" for k, v in params.items())
        figs = [Figure(band_edge_figure(row, rec, window_nm=window_nm, path=figdir / f"fdtd_edges_{tag}.png"),
                       "Band edges of the coupled-mode model (blue: CMT stop band from the slab-mode indices) and of "
                       "the MEEP unit cell (red: the two band-edge resonances, Q from the matrix pencil); ▼: the "
                       "lasing wavelength each model predicts; dotted: the objective's wavelength window.")]
        prof = profile_figure(rec, path=figdir / f"fdtd_profile_{tag}.png")
        if prof is not None:
            along = "one period" if rec.get("mode", "unit_cell") == "unit_cell" else "the whole grating"
            figs.append(Figure(prof, f"FDTD mode profile: MEEP |E_z|² over the simulated cross-section ({along} "
                                     "along x, the stack ± 0.35 µm in height) at the end of the ring-down, where the "
                                     "longest-lived band edge dominates; right: averaged along x, with the stack "
                                     "levels. " + _settings_text(rec) + "."))
        rank = row.get("rank")
        title = ("" if rank is None or pd.isna(rank) else f"rank {int(rank)}: ") + ", ".join(
            label_value(k, v.item() if hasattr(v, "item") else v) for k, v in params.items())
        sections.append({"title": title, "settings": _settings_text(rec), "rows": comparison_rows(row, rec),
                         "figures": figs, "profile_missing": prof is None})
    return sections


def _same(a, b) -> bool:
    try:
        return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-12)
    except (TypeError, ValueError):
        return a == b


def sections_html(sections: list[dict], img) -> str:
    """HTML of the FDTD sections; ``img(figure)`` renders one figure with its caption."""
    parts = []
    for s in sections:
        rows = "".join(f"<tr><th>{html.escape(q)}</th><td>{html.escape(a)}</td><td>{html.escape(f)}</td>"
                       f"<td>{html.escape(d)}</td></tr>" for q, a, f, d in s["rows"])
        missing = ("<p class='note'>No MEEP field snapshot stored for this design (its FDTD result was cached "
                   "before snapshots were kept): rerun without the cache to get the mode profile.</p>"
                   if s["profile_missing"] else "")
        parts.append(f"<h3>{html.escape(s['title'])}</h3><p class='note'>{html.escape(s['settings'])}</p>"
                     "<table class='compare'><tr><th>quantity</th><th>analytic (coupled modes + slab modes)</th>"
                     f"<th>FDTD (MEEP)</th><th>FDTD − analytic</th></tr>{rows}</table>{missing}"
                     + "".join(img(f) for f in s["figures"]))
    return "\n".join(parts)
