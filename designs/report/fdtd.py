"""Verification sections of the report: per verified design (FDTD or RCWA), every tier it went through side by
side (analytic, RCWA, MEEP) with their differences, the band edges of all tiers on one wavelength axis, the
convergence ladder, the Q split, the band diagram (``bands.py``) and the MEEP |E|^2 over the simulated
cross-section of both band edges (each named by its edge)."""

from __future__ import annotations

import html
import math
from dataclasses import dataclass
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402

from perocav.designs.records import DesignResult  # noqa: E402
from perocav.designs.report.bands import band_diagram_figure  # noqa: E402
from perocav.designs.report.parts import MODEL_NAMES, Figure, label_value, save_png  # noqa: E402
from perocav.designs.report.verify import comparison_rows, header, ladder_note, ladder_rows, num, q_split_rows, tiers  # noqa: E402
from perocav.fdtd.extract.cross_section import CrossSection  # noqa: E402

#: a tier's stop band and lasing wavelength in the band-edge figure: (row name, short edge, long edge, colour)
EDGE_FIELDS = {"analytic": ("analytic (CMT + slab modes)", "stopband_short_nm", "stopband_long_nm", "tab:blue"),
               "rcwa": ("RCWA (meent unit cell)", "edge_short_nm", "edge_long_nm", "tab:orange"),
               "fdtd": ("FDTD (MEEP unit cell)", "edge_short_nm", "edge_long_nm", "tab:red")}


def _edge_rows(result: DesignResult) -> list[tuple[str, float, float, float, str, object]]:
    """(name, short edge, long edge, lasing wavelength, colour, solver record) of each tier of the design."""
    out = []
    for model, r in tiers(result).items():
        name, s_key, l_key, colour = EDGE_FIELDS[model]
        out.append((name, num(getattr(r.solver, s_key, None)), num(getattr(r.solver, l_key, None)),
                    num(getattr(r.metrics, "wavelength_nm", None)), colour, r.solver))
    return out


def _annotate_qs(ax, yi: int, solver, colour: str) -> None:
    """Each band edge's Q by kind (radiating / dark) beside it."""
    edge = getattr(solver, "radiating_edge", None)
    for side, dx, ha in (("short", -3, "right"), ("long", 3, "left")):
        lam, q = num(getattr(solver, f"edge_{side}_nm", None)), num(getattr(solver, f"q_{side}", None))
        if math.isfinite(lam) and (math.isfinite(q) or math.isinf(q)):
            kind = "" if edge not in ("short", "long") else ("radiating " if edge == side else "dark ")
            ax.annotate(f"{kind}Q {_q_text(q)}", (lam, yi), xytext=(dx, 11), textcoords="offset points", ha=ha,
                        fontsize=7, color=colour)


def band_edge_figure(result: DesignResult, *, window_nm, path: Path) -> Path:
    """Stop band and lasing wavelength of every tier the design went through on one wavelength axis, the band
    edges' Qs named by kind, the objective's window edges drawn (or pointed at when off the axis)."""
    rows = _edge_rows(result)
    fig, ax = plt.subplots(figsize=(6.6, 0.9 + 0.75 * len(rows)))
    shown = []
    for yi, (_name, s, l_, lam, colour, solver) in enumerate(rows):
        if math.isfinite(s) and math.isfinite(l_):
            ax.barh(yi, l_ - s, left=s, height=0.45, color=colour, alpha=0.3)
            ax.plot([s, l_], [yi, yi], "|", color=colour, ms=18, mew=2)
            shown += [s, l_]
        if math.isfinite(lam):
            ax.plot([lam], [yi], "v", color=colour, ms=9)
            shown.append(lam)
        if yi > 0:
            _annotate_qs(ax, yi, solver, colour)
    if shown:
        pad = max(2.0, 0.6 * (max(shown) - min(shown)))
        lo, hi = min(shown) - pad, max(shown) + pad
        near = [v for v in window_nm or () if lo - 15 <= v <= hi + 15]
        lo, hi = min([lo, *near]) - (1 if near else 0), max([hi, *near]) + (1 if near else 0)
        ax.set_xlim(lo, hi)
        for v in window_nm or ():
            if lo <= v <= hi:
                ax.axvline(v, color="grey", ls=":", lw=1.5)
            else:
                ax.annotate(f"window edge {v:g} nm →" if v > hi else f"← window edge {v:g} nm",
                            (0.99 if v > hi else 0.01, 0.03), xycoords="axes fraction", ha="right" if v > hi else "left", fontsize=7, color="grey")
    ax.set_yticks(range(len(rows)), [r[0] for r in rows], fontsize=8)
    ax.set_ylim(-0.6, len(rows) - 0.2)
    ax.set_xlabel("wavelength [nm]")
    ax.set_title("stop band, lasing λ (▼), band-edge Qs; dotted: window edge", fontsize=9)
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    return save_png(fig, path)


def _q_text(q: float) -> str:
    """A band edge's Q; a missing one (inf) is the lossless edge."""
    return f"{q:.0f}" if math.isfinite(q) else "∞ (lossless)"


def _draw_teeth(ax, cs, *, period_nm: float, duty_cycle: float) -> None:
    """Outline the grating's teeth on the cross-section: centred on the cell's centre and every period from it
    (the MEEP unit cell puts its tooth in the middle), over the grating level's height."""
    level = cs.levels_um.get("grating")
    if level is None or not (period_nm > 0 and 0 < duty_cycle < 1):
        return
    period, half = period_nm / 1000.0, 0.5 * duty_cycle * period_nm / 1000.0
    x0, x1 = float(cs.x_um[0]), float(cs.x_um[-1])
    centre = 0.5 * (x0 + x1)
    k = np.arange(np.floor((x0 - centre) / period) - 1, np.ceil((x1 - centre) / period) + 2)
    for c in centre + k * period:
        a, b = max(c - half, x0), min(c + half, x1)
        if b > a:
            ax.add_patch(Rectangle((a, level[0]), b - a, level[1] - level[0], fill=False, ec="cyan", lw=1.0))


def profile_figure(cs, *, path: Path, title: str = "", period_nm: float = math.nan,
                   duty_cycle: float = math.nan) -> Path | None:
    """MEEP |E|^2 over the cross-section ``cs`` (left, the grating's teeth outlined when ``period_nm`` and
    ``duty_cycle`` are given) and averaged along x versus height (right), levels marked."""
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
    _draw_teeth(ax, cs, period_nm=period_nm, duty_cycle=duty_cycle)
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
    if title:
        fig.suptitle(title, fontsize=9)
    fig.tight_layout()
    return save_png(fig, path)


def _settings_text(solver) -> str:
    """The run settings of a solver record in one line (MEEP: resolution, ring-down; RCWA: harmonics)."""
    details = solver.details
    done = "converged" if solver.converged else "not converged"
    if solver.model == "rcwa":
        return (f"RCWA ({getattr(details, 'rcwa_library', '') or 'meent'}) unit cell, "
                f"{solver.n_harmonics} harmonics, {done} in harmonics"
                + (f"; warnings: {'; '.join(solver.warnings)}" if solver.warnings else ""))
    text = (f"MEEP {getattr(details, 'meep_version', '?')} 2D TE (E_z), {solver.mode.replace('_', ' ')}, "
            f"{num(solver.resolution_px_per_um):.0f} px/µm, ring-down {num(getattr(details, 'ring_down_um', None)):.0f}"
            f" µm/c, {done} in resolution")
    return text + (f"; warnings: {'; '.join(solver.warnings)}" if solver.warnings else "")


@dataclass(frozen=True)
class VerifiedSection:
    """The report's section of one verified design (RCWA or FDTD): its tiers side by side, the ladder, the Q
    split and its figures."""

    title: str
    settings: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]  # quantity, one value per tier, the differences
    ladder_note: str
    ladder: tuple[tuple[str, ...], ...]  # MEEP rungs
    q_split: tuple[tuple[str, str, str, str], ...]  # edge, Q, Q_rad, Q_abs
    figures: tuple[Figure, ...]
    profile_missing: bool


def verified_sections(table, *, results: dict[str, DesignResult], window_nm, figdir: Path) -> list[VerifiedSection]:
    """One section per verified design (model FDTD or RCWA) in rank order (``results``: each row's result by key)."""
    if "model" not in table:
        return []
    verified = table[table["model"].isin(("fdtd", "rcwa"))].sort_values("rank", na_position="last")
    sections = []
    for _, row in verified.iterrows():
        result = results.get(str(row["key"]))
        if result is None or result.fidelity not in ("fdtd", "rcwa") or not result.ok:
            continue
        params = dict(result.point.params)
        rank = row.get("rank")
        title = ("" if rank is None or pd.isna(rank) else f"rank {int(rank)}: ") + ", ".join(
            label_value(k, v.item() if hasattr(v, "item") else v) for k, v in params.items()) \
            + f" ({MODEL_NAMES[result.fidelity]}-verified)"
        tag = "_".join(f"{k}{v:g}" if isinstance(v, (int, float)) else f"{k}{v}" for k, v in params.items())
        sections.append(_section(result, title=title, tag=tag, window_nm=window_nm, figdir=figdir))
    return sections


def _section(result: DesignResult, *, title: str, tag: str, window_nm, figdir: Path) -> VerifiedSection:
    solver = result.solver
    names = " and ".join(EDGE_FIELDS[m][0].split(" (")[0] for m in tiers(result))
    figs = [Figure(band_edge_figure(result, window_nm=window_nm, path=figdir / f"{result.fidelity}_edges_{tag}.png"),
                   f"Band edges of {names} on one wavelength axis (blue: coupled-mode stop band from the slab-mode "
                   "indices; orange: RCWA unit cell, Q from the reflection poles"
                   + ("; red: MEEP unit cell, Q from the matrix pencil" if result.fidelity == "fdtd" else "")
                   + "); each band edge's Q named by kind (radiating / dark edge); ▼: the lasing wavelength each "
                   "model predicts; dotted: the objective's wavelength window edges.")]
    bands_png, bands_caption = band_diagram_figure(result, path=figdir / f"{result.fidelity}_bands_{tag}.png")
    figs.append(Figure(bands_png, bands_caption))
    prof = _profiles(solver, tag=tag, figdir=figdir) if result.fidelity == "fdtd" else []
    figs += prof
    return VerifiedSection(title=title, settings=_settings_text(solver), header=header(result),
                           rows=tuple(comparison_rows(result)), ladder_note=ladder_note(solver),
                           ladder=tuple(ladder_rows(solver)), q_split=tuple(q_split_rows(solver)),
                           figures=tuple(figs), profile_missing=result.fidelity == "fdtd" and not prof)


def _profiles(solver, *, tag: str, figdir: Path) -> list[Figure]:
    """MEEP mode profiles of the band edges: the longest-lived edge (end of the ladder's run) and, where the parity
    path stored it, the other edge (its own parity run), each titled with its kind, wavelength and Q."""
    d = solver.details
    longest = _longest_side(solver)
    other = "long" if longest == "short" else "short"
    along = "one period" if solver.mode == "unit_cell" else "the whole grating"
    out = []
    for side, cs, how in ((longest, getattr(d, "cross_section", None), "the end of the ring-down, where the "
                           "longest-lived band edge dominates"),
                          (other, getattr(d, "cross_section_other", None), "the end of that edge's own x-parity run")):
        title = _profile_title(solver, side)
        png = profile_figure(cs, path=figdir / f"fdtd_profile_{side}_{tag}.png", title=title,
                             period_nm=solver.period_nm, duty_cycle=solver.duty_cycle)
        if png is not None:
            out.append(Figure(png, f"FDTD mode profile ({title}): MEEP |E_z|² over the simulated cross-section "
                                   f"({along} along x, the stack ± 0.35 µm in height) at {how}; teeth outlined in "
                                   "cyan; right: averaged along x, with the stack levels. " + _settings_text(solver) + "."))
    return out


def _longest_side(solver) -> str:
    """The band edge with the higher Q (the one the end of a ring-down shows)."""
    qs = {side: num(getattr(solver, f"q_{side}", None)) for side in ("short", "long")}
    return max(qs, key=lambda k: qs[k] if not math.isnan(qs[k]) else -1.0)


def _profile_title(solver, side: str | None = None) -> str:
    """Which band edge a profile shows (default: the longest-lived one): its kind, wavelength and Q."""
    side = side or _longest_side(solver)
    qs = {s: num(getattr(solver, f"q_{s}", None)) for s in ("short", "long")}
    lam = num(getattr(solver, f"edge_{side}_nm", None))
    kind = ("" if solver.radiating_edge not in ("short", "long") else
            " radiating" if solver.radiating_edge == side else " dark")
    return f"{side}{kind} edge, {lam:.2f} nm, Q {_q_text(qs[side])}"


def _table(head, rows, cls: str = "compare") -> str:
    h = "".join(f"<th>{html.escape(c)}</th>" for c in head)
    body = "".join("<tr><th>" + html.escape(r[0]) + "</th>" + "".join(f"<td>{html.escape(v)}</td>" for v in r[1:])
                   + "</tr>" for r in rows)
    return f"<table class='{cls}'><tr>{h}</tr>{body}</table>"


def sections_html(sections: list[VerifiedSection], img) -> str:
    """HTML of the verification sections; ``img(figure)`` renders one figure with its caption."""
    parts, seen = [], {"fdtd": 0, "rcwa": 0}
    for s in sections:
        tier = "fdtd" if s.title.endswith("(FDTD-verified)") else "rcwa"
        seen[tier] += 1  # an anchor per section: #fdtd-verified-1, #rcwa-verified-1, ...
        missing = ("<p class='note'>No MEEP field snapshot stored for this design (its FDTD result was cached "
                   "before snapshots were kept): rerun without the cache to get the mode profile.</p>"
                   if s.profile_missing else "")
        split = ("<p class='note'>Band-edge Q split (MEEP): 1/Q = 1/Q_rad + 1/Q_abs.</p>"
                 + _table(("band edge", "Q (total)", "Q radiated", "Q absorbed"), s.q_split, "ladder")
                 if s.q_split else "")
        ladder = ("<p class='note'>Convergence ladder, one MEEP run per rung (intermediate numbers: the result is "
                  "the last rung's); (≥): Q only bounded by the ring-down.</p>"
                  + _table(("rung", "resolution [px/µm]", "ring-down [µm/c]", "status", "band edges [nm]", "Qs",
                            "wall [s]"), s.ladder, "ladder") if s.ladder else "")
        parts.append(f"<h3 id='{tier}-verified-{seen[tier]}'>{html.escape(s.title)}</h3><p class='note'>{html.escape(s.settings)}</p>"
                     f"{_table(s.header, s.rows)}<p class='note'>{html.escape(s.ladder_note)}</p>{ladder}{split}"
                     f"{missing}" + "".join(img(f) for f in s.figures))
    return "\n".join(parts)
