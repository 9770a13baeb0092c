"""Numbers of a verified design's report section, per tier: the analytic model beside RCWA and (for an
FDTD-verified design) MEEP, with their differences; the band edges named by kind (radiating / dark edge), the
convergence ladder's rungs and the radiated vs absorbed Q split. Text only: the figures are in ``fdtd.py``."""

from __future__ import annotations

import math

from perocav.designs.records import DesignResult
from perocav.designs.report.parts import MODEL_NAMES

#: (quantity, field of the analytic record or metrics, field of a solver record or metrics, format); a field
#: "m:NAME" is read from the tier's metrics, "edge:radiating|dark" from the band edge of that kind
COMPARED = (
    ("lasing wavelength [nm]", "m:wavelength_nm", "m:wavelength_nm", ".2f"),
    ("Bragg wavelength [nm]", "bragg_wavelength_nm", "bragg_wavelength_nm", ".2f"),
    ("short band edge [nm]", "stopband_short_nm", "edge_short_nm", ".2f"),
    ("long band edge [nm]", "stopband_long_nm", "edge_long_nm", ".2f"),
    ("|κ| [1/cm]", "kappa_per_cm", "kappa_per_cm", ".0f"),
    ("radiation coupling h [1/cm]", "radiation_per_cm", "radiation_per_cm", ".1f"),
    ("Q of the lasing mode (from the threshold)", "m:q_estimate", "m:q_estimate", ".0f"),
    ("Q of the radiating edge", "-", "edge:radiating", ".0f"),
    ("Q of the dark edge", "-", "edge:dark", ".0f"),
    ("Γ in the gain layer (power-weighted)", "confinement_power", "confinement_power", ".3f"),
    ("absorption loss of the cold guide [1/cm]", "modal_loss_per_cm", "modal_loss_per_cm", ".1f"),
    ("modal threshold gain [1/cm]", "m:threshold_modal_gain_per_cm", "m:threshold_modal_gain_per_cm", ".1f"),
    ("J_th [A/cm²]", "m:threshold_current_density_a_per_cm2", "m:threshold_current_density_a_per_cm2", ".3g"),
)


def num(v) -> float:
    """``v`` as a float; NaN where absent or not a number."""
    try:
        return float(v)
    except (TypeError, ValueError):
        return math.nan


def tiers(result: DesignResult) -> dict[str, DesignResult]:
    """The ok results of a verified design's chain by fidelity ("analytic", "rcwa", "fdtd"), lowest first."""
    return {r.fidelity: r for r in result.chain() if r.ok}


def edge_q(solver, kind: str) -> float:
    """Q of the ``kind`` ("radiating" | "dark") band edge of a solver record; NaN when it has no radiating edge."""
    edge = getattr(solver, "radiating_edge", None)
    if edge not in ("short", "long"):
        return math.nan
    side = edge if kind == "radiating" else ("long" if edge == "short" else "short")
    return num(getattr(solver, f"q_{side}", None))


def tier_value(r: DesignResult | None, field: str) -> float:
    """One number of one tier's result (``field`` as in ``COMPARED``); |kappa| (the sign is a convention)."""
    if r is None or field == "-":
        return math.nan
    if field.startswith("m:"):
        return num(getattr(r.metrics, field[2:], None))
    if field.startswith("edge:"):
        return edge_q(r.solver, field[5:])
    v = num(getattr(r.solver, field, None))
    return abs(v) if field == "kappa_per_cm" else v


def _text(v: float, fmt: str) -> str:
    if math.isinf(v):
        return "∞ (lossless)"
    return f"{v:{fmt}}" if math.isfinite(v) else "-"


def _diff(a: float, b: float, fmt: str, *, relative: bool = True) -> str:
    """``a - b`` with its relative size (``relative``; not for wavelengths); "" where either is missing."""
    if not (math.isfinite(a) and math.isfinite(b)):
        return ""
    return f"{a - b:+{fmt}}" + (f" ({100 * (a - b) / b:+.0f} %)" if b and relative else "")


def header(result: DesignResult) -> tuple[str, ...]:
    """Column names of the comparison table of a verified design (its tiers, then the differences)."""
    have = [m for m in ("analytic", "rcwa", "fdtd") if m in tiers(result)]
    top = MODEL_NAMES[result.fidelity]
    diffs = [f"{top} − analytic"] + (["RCWA − FDTD"] if result.fidelity == "fdtd" and "rcwa" in have else [])
    return ("quantity", *(MODEL_NAMES[m] for m in have), *diffs)


def comparison_rows(result: DesignResult) -> list[tuple[str, ...]]:
    """One row per compared quantity: the value of each tier the design went through, the top tier minus the
    analytic model and (FDTD-verified) RCWA minus FDTD; rows with no number at any tier are left out."""
    t = tiers(result)
    have = [m for m in ("analytic", "rcwa", "fdtd") if m in t]
    top = result.fidelity
    out = []
    for name, a_field, s_field, fmt in COMPARED:
        vals = {m: tier_value(t[m], a_field if m == "analytic" else s_field) for m in have}
        if not any(math.isfinite(v) or math.isinf(v) for v in vals.values()):
            continue
        rel = "[nm]" not in name  # a wavelength's difference in nm says it; its percentage is always ~0
        row = [name, *(_text(vals[m], fmt) for m in have), _diff(vals.get(top, math.nan),
                                                               vals.get("analytic", math.nan), fmt, relative=rel)]
        if top == "fdtd" and "rcwa" in have:
            row.append(_diff(vals["rcwa"], vals["fdtd"], fmt, relative=rel))
        out.append(tuple(row))
    return out


def q_split_rows(solver) -> list[tuple[str, str, str, str]]:
    """MEEP's band-edge Q split into radiation and absorption (1/Q = 1/Q_rad + 1/Q_abs): (edge, Q, Q_rad, Q_abs);
    empty when the run stored no absorption Q (the first-order / unit-cell paths without it)."""
    details = getattr(solver, "details", None)
    out = []
    for side in ("short", "long"):
        q, q_abs = num(getattr(solver, f"q_{side}", None)), num(getattr(details, f"q_{side}_absorption", None))
        if not (math.isfinite(q) and math.isfinite(q_abs)):
            continue
        inv = 1 / q - 1 / q_abs
        rad = (f"{1 / inv:.0f}" if inv > 0 else
               "n/a: Q_abs ≤ Q (the edge's Q is the self-consistent rerun's, Q_abs the last rung's)")
        kind = "radiating" if solver.radiating_edge == side else "dark"
        out.append((f"{side} edge ({kind})", f"{q:.0f}", rad, f"{q_abs:.0f}"))
    return out


def ladder_rows(solver) -> list[tuple[str, ...]]:
    """The MEEP convergence ladder, one row per rung: resolution, ring-down, status, the tracked wavelengths and Qs
    (intermediate: only the last converged rung's numbers are the result) and the wall time."""
    history = getattr(getattr(solver, "details", None), "history", ()) or ()
    rows = []
    for i, s in enumerate(history):
        lam = " / ".join(f"{w:.2f}" for w in s.wavelengths_nm) or "-"
        qs = " / ".join(f"{q:.0f}" + ("" if ok else " (≥)") for q, ok in zip(s.qs, s.q_resolved or (True,) * len(s.qs)))
        rows.append((f"{i + 1}", f"{s.resolution_px_per_um:.0f}", f"{s.ring_down_um:.0f}", s.status, lam,
                     qs or "-", f"{s.wall_time_s:.1f}"))
    return rows


def ladder_note(solver) -> str:
    """One line on the ladder: the MEEP rungs' resolutions, the Richardson extrapolation and the self-consistent
    freezing residual; RCWA: the harmonics tried and the last rung's change."""
    d = getattr(solver, "details", None)
    if d is None:
        return ""
    if solver.model == "rcwa":
        return (f"RCWA ladder: harmonics {d.harmonics_tried or '-'}; last rung moved the edges "
                f"{_text(num(d.edge_change_nm), '.2g')} nm and the Qs by {_text(100 * num(d.q_change_relative), '.2g')} "
                f"%; {'converged' if solver.converged else 'not converged'} ({solver.convergence_reason or '-'}).")
    rich = (f"Richardson extrapolation moved the edges {num(d.extrapolation_nm):.3f} nm" if d.extrapolated
            else "no Richardson extrapolation")
    freeze = (f"media frozen self-consistently: largest |mode − freeze| {num(d.freeze_residual_nm):.3f} nm after "
              f"{d.freeze_passes} extra run(s)" if math.isfinite(num(d.freeze_residual_nm))
              else "media frozen at the analytic Bragg point (no freezing residual stored)")
    tried = ", ".join(f"{num(r):.0f}" for r in str(d.resolutions_tried).replace(",", " ").split()) or "-"
    return (f"MEEP ladder: resolutions {tried} px/µm; {rich}; {freeze}; "
            f"{'converged' if solver.converged else 'not converged'} ({solver.convergence_reason or '-'}).")
