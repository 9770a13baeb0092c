"""The results-table row of perocav before the reader/long split (2026-11-30, designs/table.py at c593162): every
stage's columns in one wide row (``analytic.NAME``, ``rcwa.NAME``, ``p.NAME``, ``cavity.NAME``). Kept as the oracle
of "no number of the old table is lost": each of its cells must be found in the long table."""

from __future__ import annotations

import math
from dataclasses import fields

from perocav.fdtd.rcwa.cross_check import COMPARED

NOT_PREFIXED = ("status", "error", "fidelity")


#: the analytic records' columns of the old table (their ``COLUMNS`` then), metrics interleaved
OLD_COLUMNS = {
    "DfbAnalyticRecord": (
        "wavelength_nm", "bragg_wavelength_nm", "bragg_residual_nm", "stopband_short_nm", "stopband_long_nm",
        "neff_high", "neff_low", "group_index", "kappa_per_cm", "kappa_L", "radiation_per_cm", "radiating_edge",
        "confinement", "confinement_power", "modal_loss_per_cm", "mirror_loss_per_cm", "threshold_modal_gain_per_cm",
        "threshold_material_gain_per_cm", "q_estimate", "photon_lifetime_ps", "threshold_density_per_cm3",
        "plqy_at_threshold", "threshold_current_density_a_per_cm2", "below_auger_limit", "gain_thickness_nm"),
    "CircularAnalyticRecord": (
        "wavelength_nm", "m", "q_estimate", "q_radiation", "q_absorption", "n_modes_found", "resonance_residual_nm",
        "resonance_passes", "neff_high", "neff_low", "group_index", "confinement", "confinement_power",
        "modal_loss_per_cm", "threshold_modal_gain_per_cm", "threshold_material_gain_per_cm", "photon_lifetime_ps",
        "threshold_density_per_cm3", "plqy_at_threshold", "threshold_current_density_a_per_cm2", "below_auger_limit",
        "gain_thickness_nm"),
}


def _none_if_nonfinite(v):
    return None if isinstance(v, float) and not math.isfinite(v) else v


def _solver_columns(r) -> dict:
    s, m = r.solver, r.metrics
    row = {k: _none_if_nonfinite(v) for k, v in s.columns().items()}  # the one solver record, details flat
    row["warnings"] = "; ".join(s.warnings)
    row.update(wavelength_nm=_none_if_nonfinite(m.wavelength_nm), q_estimate=m.q_estimate,
               threshold_density_per_cm3=m.threshold_density_per_cm3, plqy_at_threshold=m.plqy_at_threshold,
               threshold_current_density_a_per_cm2=m.threshold_current_density_a_per_cm2,
               below_auger_limit=m.below_auger_limit, gain_thickness_nm=m.gain_thickness_nm)
    cross = r.cross_check
    if cross is not None:
        failed = cross.rcwa_status.startswith("failed")
        row.update({f.name: getattr(cross, f.name) for f in fields(cross) if not failed or f.name == "rcwa_status"})
    return row


def result_columns(r) -> dict:
    if not r.ok:
        row = {}
    elif type(r.solver).__name__ in OLD_COLUMNS:  # the analytic records listed their columns
        values = {f.name: getattr(r.metrics, f.name) for f in fields(r.metrics)}
        values.update({f.name: getattr(r.solver, f.name) for f in fields(r.solver)})
        row = {name: values[name] for name in OLD_COLUMNS[type(r.solver).__name__]}
    else:
        row = _solver_columns(r)
    row.update(status=r.status, error=r.error, wall_time_s=r.wall_time_s, fidelity=r.fidelity)
    return row


def _nested(prefix: str, values: dict) -> dict:
    """The cavity's parameters; a nested section (the DFB device's ``pump``, added after the old table) by its
    dotted names, the way the new tables name it."""
    out = {}
    for n, v in values.items():
        if isinstance(v, dict):
            out.update(_nested(f"{prefix}{n}.", v))
        else:
            out[f"{prefix}{n}"] = v
    return out


def wide_row(point, result) -> dict:
    """The old table's row of a design point."""
    chain = result.chain()
    row = {"key": chain[0].key[:16], **{f"p.{n}": v for n, v in point.params.items()},
           "cavity": point.cavity.type, "stack": point.stack.name,
           **_nested("cavity.", {n: v for n, v in point.cavity.model_dump().items() if n != "type"})}
    row.update(result_columns(chain[-1]))
    for lower in chain[:-1]:
        row.update({f"{lower.fidelity}.{n}": v for n, v in result_columns(lower).items() if n not in NOT_PREFIXED})
    for r in chain:
        row.update({f"{err.fidelity}_error": err.error for err in r.refine_errors})
    return row


def where_in_long(column: str, row: dict) -> tuple[str, str]:
    """(stage, quantity) of an old column in the long table."""
    if column in ("cavity", "stack"):
        return "design", column
    if column.startswith("p."):
        return "design", column[2:]
    if column.startswith("cavity."):
        return "design", column[len("cavity."):]
    stage, dot, name = column.partition(".")
    if dot and stage in ("analytic", "rcwa"):
        return stage, name
    if column.endswith("_error") and column.split("_")[0] in ("analytic", "rcwa", "fdtd"):
        return column.split("_")[0], "error"
    if column[5:] in COMPARED and column.startswith("rcwa_") and f"rcwa.{column[5:]}" in row:  # the cross-check's
        # copy of the RCWA stage's own number
        return "rcwa", column[5:]
    return row["fidelity"], column
