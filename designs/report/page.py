"""Self-contained HTML report of a run: the verdict in words, the top designs, design-space maps, one FDTD
section per verified design, the best design's analytic figures, the stack, the mask and links to the files."""

from __future__ import annotations

import base64
import html
import math
from pathlib import Path

import numpy as np

from perocav.designs.io import write_text_atomic
from perocav.designs.records import DesignResult
from perocav.designs.report.best import best_figures
from perocav.designs.report.device import device_figures
from perocav.designs.report.fdtd import sections_html, verified_sections
from perocav.designs.report.gain import gain_spectra
from perocav.designs.report.maps import design_maps
from perocav.designs.report.parts import MODEL_NAMES, Figure, label, label_value
from perocav.designs.report.stack import carrier_dynamics, gain_vs_thickness
from perocav.designs.report.table import best_note, tier_legend_html, top_designs_html
from perocav.designs.report.thermal import thermal_figures, thermal_table_html
from perocav.designs.run_record import record_line
from perocav.designs.spec import DesignSpec
from perocav.designs.studies import StackStudies

#: a PNG larger than this is linked (relative path) instead of embedded
EMBED_MAX_BYTES = 4_000_000

CSS = """body{font-family:system-ui,sans-serif;margin:24px auto;max-width:1180px;padding:0 16px;color:#222}
h1{margin-bottom:4px} h2{border-bottom:2px solid #ddd;padding-bottom:4px;margin-top:32px}
table{border-collapse:collapse;font-size:12.5px;margin:8px 0}
td,th{border:1px solid #ccc;padding:3px 7px;text-align:right} th{background:#f3f3f3;text-align:center}
table.legend td{text-align:left} table.top{width:100%} table.top th{white-space:normal;font-weight:600} tr.verified td{background:#fff3f0}
table.compare th:first-child{text-align:left;background:#fafafa}
figure{display:inline-block;vertical-align:top;width:calc(50% - 14px);margin:0 10px 18px 0}
figure.wide{width:calc(100% - 14px)} figure img{width:100%;border:1px solid #eee}
figcaption{font-size:12.5px;line-height:1.35;color:#333;margin-top:4px} .note{color:#666;font-size:13px}
.verdict{background:#f5f9ff;border-left:4px solid #3b7dd8;padding:8px 14px} ul.files li{margin:2px 0}"""


def _img(fig: Figure, out_dir: Path) -> str:
    data = fig.path.read_bytes()
    wide = " class='wide'" if fig.wide else ""
    if len(data) > EMBED_MAX_BYTES:
        src = html.escape(str(fig.path.relative_to(out_dir)))
    else:
        src = "data:image/png;base64," + base64.b64encode(data).decode()
    return (f"<figure{wide}><img src=\"{src}\" alt=\"{html.escape(fig.path.stem)}\">"
            f"<figcaption>{html.escape(fig.caption)}</figcaption></figure>")


def _params(row, axes: list[str]) -> str:
    return ", ".join(label_value(a, row[a].item() if hasattr(row[a], "item") else row[a])
                     for a in axes)


def _verdict(table, spec: DesignSpec, axes: list[str], results: dict[str, DesignResult]) -> str:
    """Best design, why it won, and how far the verifying solvers and the analytic model agree, in plain words;
    every number names the model (tier) that produced it."""
    metric = spec.objective.rank_by
    ranked = table[table["rank"].notna()].sort_values("rank")
    if ranked.empty:
        return "<p class='verdict'>No design meets the constraints: see the maps and the failed designs.</p>"
    best = ranked.iloc[0]
    lines = [f"<b>Best design</b>: {html.escape(_params(best, axes))} → lasing at {best['wavelength_nm']:.1f} nm, "
             f"{html.escape(label_value(metric, float(best[metric])))} ({MODEL_NAMES[best['model']]})."]
    window = spec.objective.wavelength_window_nm
    constraints = ((f"lasing within {window[0]:g}-{window[1]:g} nm" if window else "")
                   + (f", Q ≥ {spec.objective.min_q:g}" if spec.objective.min_q else "")
                   + (f", heating ≤ {spec.objective.max_temperature_rise_k:g} K at J_th"
                      if spec.objective.max_temperature_rise_k is not None else "")) or "no constraints"
    name = html.escape(label(metric).split(" [")[0])
    tier = MODEL_NAMES[best["model"]]
    if best["model"] != "analytic":
        n_tier = int((ranked["model"] == best["model"]).sum())
        among = (f"among the {n_tier} {tier}-verified designs that meet the constraints ({constraints}) it has the "
                 f"lowest {name}" if n_tier > 1 else
                 f"it is the {tier}-verified design that meets the constraints ({constraints})")
        why = (f"<b>Why</b>: verified designs rank first (FDTD, then RCWA, then the analytic model; the analytic "
               f"screen picked them as its best); {among}.")
    else:
        why = (f"<b>Why</b>: the lowest {name} of the {len(ranked)} designs that meet the constraints "
               f"({constraints}).")
    if len(ranked) > 1:
        second = ranked.iloc[1]
        why += (f" Next: {html.escape(_params(second, axes))} with "
                f"{html.escape(label_value(metric, float(second[metric])))} ({MODEL_NAMES[second['model']]}).")
    lines.append(why)
    agree = [_against_analytic(r, axes, results) for _, r in ranked[ranked["model"] != "analytic"].iterrows()]
    if any(agree):
        lines.append("<b>Verified vs analytic</b> (same definitions at every tier: modal threshold gain over the "
                     "power-weighted Γ of the tier's own mode): " + "; ".join(a for a in agree if a) + ".")
    return "<div class='verdict'>" + "<br>".join(lines) + "</div>"


def _against_analytic(row, axes: list[str], results: dict[str, DesignResult]) -> str:
    """One verified row beside its analytic result: the wavelength difference and the J_th ratio split into its
    modal-gain and confinement ratios ("" when the analytic result is missing)."""
    result = results.get(str(row["key"]))
    first = result.first() if result is not None else None
    if first is None or not first.ok or first.fidelity != "analytic" or first.metrics is None:
        return ""
    a = first.metrics
    if not (math.isfinite(a.wavelength_nm) and a.threshold_current_density_a_per_cm2 > 0):
        return ""
    g_ratio = row["threshold_modal_gain_per_cm"] / a.threshold_modal_gain_per_cm
    gamma_a = a.threshold_modal_gain_per_cm / a.threshold_material_gain_per_cm
    gamma_ratio = row["confinement"] / gamma_a if row.get("confinement") is not None else math.nan
    return (f"{html.escape(_params(row, axes))} ({MODEL_NAMES[row['model']]}): "
            f"λ {row['wavelength_nm'] - a.wavelength_nm:+.2f} nm, "
            f"J_th ×{row['threshold_current_density_a_per_cm2'] / a.threshold_current_density_a_per_cm2:.2f} "
            f"(modal gain ×{g_ratio:.2f}, Γ ×{gamma_ratio:.2f})")


def _gain_chain(spec: DesignSpec) -> str:
    """How the material threshold gain becomes N_th under the design's gain model (the caption of the top table)."""
    if spec.gain_material.gain_model == "spectral":
        return ("N_th from the spectral gain at the mode's own wavelength, g(λ_lasing, N) = material threshold gain "
                "(Urbach-tailed absorption × Lasher-Stern inversion; docs/physics.md)")
    return "N_th from the seed gain g(N) = g0 ln(N/N_tr) (paper eq. 6, no wavelength dependence)"


def _files_html(out_dir: Path) -> str:
    """Links (relative) to the results table, the design as run, the mask GDS, levels, manifest and .lyp."""
    names = [("results.csv", "results table (CSV)"), ("results.parquet", "results table (Parquet)"),
             ("results_long.csv", "every stage's numbers, one per line (CSV)"),
             ("results_long.parquet", "every stage's numbers, one per line (Parquet)"),
             ("design.yaml", "the design as run"), ("summary.json", "run summary")]
    mask = out_dir / "mask"
    if mask.is_dir():
        for p in sorted(mask.iterdir()):
            kind = ("mask GDS (all levels)" if p.suffix == ".gds" and not any(
                p.stem.endswith(f"_{lvl}") for lvl in ("GRATING", "ITO_BOTTOM", "PIXEL_DEF", "PEROVSKITE",
                                                       "ITO_TOP", "METAL")) else
                    f"mask level {p.stem.rsplit('_mask_', 1)[-1]} (GDS)" if p.suffix == ".gds" else
                    "device manifest" + (" (CSV)" if p.suffix == ".csv" else " (JSON)") if "manifest" in p.stem else
                    "KLayout layer properties" if p.suffix == ".lyp" else
                    "chosen designs and their device ids" if p.stem == "chosen_designs" else
                    "mask plan (YAML)" if p.suffix == ".yaml" else "mask status" if p.suffix == ".txt" else None)
            if kind:
                names.append((f"mask/{p.name}", kind))
    items = "".join(f"<li><a href=\"{html.escape(n)}\">{html.escape(n)}</a>: {html.escape(k)}</li>"
                    for n, k in names if (out_dir / n).exists() or n == "summary.json")
    return f"<ul class='files'>{items}</ul>"


def _mask_figures(out_dir: Path) -> tuple[list[Figure], str]:
    mask = out_dir / "mask"
    if not mask.is_dir():
        return [], "<p class='note'>No mask for this run (the design file has no <code>mask:</code> section, or "\
                   "<code>--no-mask</code>).</p>"
    status = mask / "mask_status.txt"
    if status.is_file():
        return [], f"<p class='note'>Mask not written: {html.escape(status.read_text()[:2000])}</p>"
    pngs = sorted(mask.glob("*.png"))
    caption = ("The die: every device with its id (red: the chosen designs, black: bracketing designs, blue: "
               "repeats, green: controls); levels drawn in their mask colours. The GDS, per-level files, manifest "
               "and KLayout layer properties are linked below.")
    return [Figure(p, caption, wide=True) for p in pngs], ""


def write_report(*, out_dir: Path, spec: DesignSpec, table, results: dict[str, DesignResult],
                 studies: StackStudies, record: dict | None = None) -> Path:
    """Write ``report.html`` (figures embedded and also saved under ``figures/``) from the ranked ``table``, its
    rows' stored ``results`` (by row key) and the run's stored ``studies``; ``record``: the run record
    (``run_record``) printed in the footer. Nothing is solved here."""
    out_dir = Path(out_dir)
    figdir = out_dir / "figures"
    figdir.mkdir(parents=True, exist_ok=True)
    axes = [a for a in list(spec.sweep.grid) + list(spec.sweep.zip) if np.issubdtype(table[a].dtype, np.number)]
    window = spec.objective.wavelength_window_nm
    model = "the analytic model" if spec.fidelity != "fdtd" else "FDTD"
    maps = design_maps(table, axes=axes, rank_by=spec.objective.rank_by, window_nm=window, figdir=figdir,
                       model=model) if len(axes) >= 2 else []
    verified = verified_sections(table, results=results, window_nm=window, figdir=figdir)
    best_figs = _best_figures(table, results, figdir)
    device_figs = device_figures(table, results, figdir)
    thermal_figs = thermal_figures(spec=spec, table=table, heating=studies.heating, axes=axes,
                                   figdir=figdir)  # needs a drive section
    stack_figs = gain_vs_thickness(studies.thickness, figdir) + carrier_dynamics(studies.carriers, figdir)
    stack_figs = gain_spectra(spec=spec, table=table, figdir=figdir) + stack_figs  # the gain spectrum (issue 23)
    mask_figs, mask_note = _mask_figures(out_dir)
    img = (lambda f: _img(f, out_dir))
    n_ok, n_fail = int((table["status"] == "ok").sum()), int((table["status"] != "ok").sum())
    failures = table[table["status"] != "ok"]
    fail_html = "".join(f"<tr><td>{html.escape(_params(r, axes))}</td><td style='text-align:left'>"
                        f"{html.escape(str(r.get('error', '')))}</td></tr>" for _, r in failures.iterrows())
    top_note = ("; verified designs (model FDTD, then RCWA, shaded) rank ahead of the analytic-only ones"
                if (table["model"] != "analytic").any() else "")
    body = f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>perocav: {html.escape(spec.name)}</title><style>{CSS}</style></head><body>
<h1>{html.escape(spec.name)}</h1><p>{html.escape(spec.description)}</p>
<p class="note">stack <b>{html.escape(Path(spec.stack.name).name)}</b>, cavity <b>{spec.cavity.type}</b>, fidelity
<b>{spec.fidelity}</b>, ranked by <b>{html.escape(label(spec.objective.rank_by))}</b>; {len(table)} designs:
{n_ok} evaluated, {n_fail} failed, {int(table['feasible'].sum())} meet the constraints.</p>
{_verdict(table, spec, axes, results)}
<h2>Top designs</h2><p class="note">Best first{top_note}. Thresholds, at every tier: modal threshold gain (mirror loss + absorption; for a
device with a pump opening, the gain the pumped zone supplies at the device's lowest mode, with the unpumped film
absorbing) / power-weighted confinement Γ of the tier's own mode (of the recombination zone for a device; the Γ
column: the one each row used; "Γ from" names the tier that computed it) →
{_gain_chain(spec)} → J_th = q d k2 N_th² / PLQY (paper eqs. 3, 5).</p>
{tier_legend_html(table)}
{top_designs_html(table, axes=axes, rank_by=spec.objective.rank_by)}
{"<h2>Design space</h2>" + "".join(img(f) for f in maps) if maps else ""}
{"<h2>The device along the grating</h2>" + _device_note(spec) + "".join(img(f) for f in device_figs)
 if device_figs else ""}
{"<h2 id='verification'>Verification (RCWA and FDTD)</h2>" + sections_html(verified, img) if verified else ""}
{"<h2>Best design: the analytic model's figures</h2>" + best_note(table) + "".join(img(f) for f in best_figs)
 if best_figs else ""}
{"<h2>Heating at threshold</h2>" + thermal_table_html(table, limit_k=spec.objective.max_temperature_rise_k)
 + "".join(img(f) for f in thermal_figs) if thermal_figs else ""}
<h2>Stack and gain material</h2>{"".join(img(f) for f in stack_figs)}
<h2>Mask</h2>{mask_note}{"".join(img(f) for f in mask_figs)}
<h2>Files</h2>{_files_html(out_dir)}
{"<h2>Failed designs</h2><table><tr><th>design</th><th>error</th></tr>" + fail_html + "</table>" if n_fail else ""}
<footer class="note"><hr>{html.escape(record_line(record))}</footer>
</body></html>"""
    return write_text_atomic(out_dir / "report.html", body)


def _device_note(spec: DesignSpec) -> str:
    """What the device model assumed: the opening and the recombination zone."""
    pump = getattr(spec.cavity, "pump", None)
    if pump is None:
        return "<p class='note'>The whole grating is pumped, uniformly through the perovskite.</p>"
    z = pump.recombination_zone
    zone = ("the whole perovskite thickness" if z.side == "uniform" else
            f"a zone of {z.fraction:.0%} of the perovskite thickness at its {z.side}-side interface")
    return (f"<p class='note'>Coupled-mode device model (1D along the grating, broad area across it): current through "
            f"a {pump.opening_um:g} µm opening (offset {pump.offset_um:g} µm) recombines in {zone}; the rest of the "
            f"perovskite absorbs at the lasing line (material spectrum α0(λ)). J_th is the current density in the "
            f"opening.</p>")


def _best_figures(table, results: dict[str, DesignResult], figdir: Path) -> list[Figure]:
    ranked = table[table["rank"].notna()].sort_values("rank")
    if ranked.empty:
        return []
    best = results.get(str(ranked.iloc[0]["key"]))
    return best_figures(best, figdir) if best is not None else []
