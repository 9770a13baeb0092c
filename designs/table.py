"""The results table (one row per design point, the records' field names as columns) and its ranking.

A row is the sweep values (``p.NAME``), the cavity (``cavity.NAME``) and the result's fields: the metrics and the
solver record, flat. A screened design's unprefixed columns are those of the highest stage that evaluated it, and
only those (an FDTD row has no analytic-only photon lifetime and no RCWA Fano fit); the stages below it keep all
their columns under their own prefix, ``analytic.NAME`` and ``rcwa.NAME``. A stage that failed on a design leaves
the design's own columns and adds ``<fidelity>_error``."""

from __future__ import annotations

import math
from dataclasses import fields
from pathlib import Path

from perocav.designs.io import atomic_path
from perocav.designs.records import CircularAnalyticRecord, DesignResult, DfbAnalyticRecord
from perocav.designs.spec import RANK_DIRECTION, DesignPoint, DesignSpec

#: a lower stage's columns that are not repeated under its prefix (they say what the row's own columns say)
NOT_PREFIXED = ("status", "error", "fidelity")

#: solver record fields that are not table columns (arrays, per-run history)
NOT_COLUMNS = ("history", "mode_profile_x_um", "mode_profile_abs2", "cross_section")


def _none_if_nonfinite(v):
    return None if isinstance(v, float) and not math.isfinite(v) else v


def _solver_columns(r: DesignResult) -> dict:
    """An FDTD / RCWA result's columns: the solver record's scalars (non-finite numbers empty, warnings joined),
    the metrics it does not carry, and the RCWA cross-check beside MEEP."""
    s, m = r.solver, r.metrics
    row = {k: _none_if_nonfinite(v) for k, v in s.columns().items()}  # shared fields and the backend's details
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


def result_columns(r: DesignResult) -> dict:
    """The table columns of one evaluation."""
    if not r.ok:
        row = {}
    elif isinstance(r.solver, (DfbAnalyticRecord, CircularAnalyticRecord)):
        values = {f.name: getattr(r.metrics, f.name) for f in fields(r.metrics)}
        values.update({f.name: getattr(r.solver, f.name) for f in fields(r.solver)})
        row = {name: values[name] for name in type(r.solver).COLUMNS}
    else:
        row = _solver_columns(r)
    row.update(status=r.status, error=r.error, wall_time_s=r.wall_time_s, fidelity=r.fidelity)
    return row


def result_row(point: DesignPoint, result: DesignResult) -> dict:
    """The table row of a design point: the highest stage's columns; each stage below it under its fidelity's
    prefix (``analytic.NAME``, ``rcwa.NAME``); ``<fidelity>_error`` for a stage that failed on it."""
    chain = result.chain()
    row = {"key": chain[0].key[:16], **{f"p.{n}": v for n, v in point.params.items()},
           "cavity": point.cavity.type, "stack": point.stack.name,
           **{f"cavity.{n}": v for n, v in point.cavity.model_dump().items() if n != "type"}}
    row.update(result_columns(chain[-1]))
    for lower in chain[:-1]:
        row.update({f"{lower.fidelity}.{n}": v for n, v in result_columns(lower).items() if n not in NOT_PREFIXED})
    for r in chain:
        row.update({f"{err.fidelity}_error": err.error for err in r.refine_errors})
    return row


def rank_table(spec: DesignSpec, points: list[DesignPoint], results: list[DesignResult]):
    """The table of ``points`` (row i: ``results[i]``) with ``feasible`` and ``rank`` (1 = best; verified tiers
    first: MEEP, then RCWA, then analytic only; within a tier by the objective's metric)."""
    import pandas as pd

    df = pd.DataFrame([result_row(p, r) for p, r in zip(points, results)])
    if spec.drive is not None:  # rise at each design's own J_th (issue 15): derived from the records, not cached
        from perocav.designs.thermal_rank import add_thermal_columns

        df = add_thermal_columns(df, points=points, drive=spec.drive)
    df["feasible"] = _feasible(spec, df)
    return _ranked(spec, df)


def _feasible(spec: DesignSpec, df):
    obj = spec.objective
    feasible = (df["status"] == "ok").copy()
    if obj.wavelength_window_nm and "wavelength_nm" in df:
        lo, hi = obj.wavelength_window_nm
        feasible &= df["wavelength_nm"].between(lo, hi)
    if obj.min_q and "q_estimate" in df:
        feasible &= df["q_estimate"] >= obj.min_q
    if obj.max_temperature_rise_k is not None and "temperature_rise_at_threshold_k" in df:
        feasible &= df["temperature_rise_at_threshold_k"] <= obj.max_temperature_rise_k
    return feasible


def _ranked(spec: DesignSpec, df):
    import pandas as pd

    metric = spec.objective.rank_by
    if metric not in df:
        df["rank"] = pd.Series([pd.NA] * len(df), dtype="Int64")
        return df
    feasible = df["feasible"]
    tier = df["fidelity"].map({"fdtd": 0, "rcwa": 1}).fillna(2) if "fidelity" in df else pd.Series(2, index=df.index)
    sign = -1.0 if RANK_DIRECTION[metric] == "max" else 1.0
    keyed = df[feasible].assign(_v=tier[feasible], _m=sign * pd.to_numeric(df[metric], errors="coerce"))
    order = keyed[keyed["_m"].notna()].sort_values(["_v", "_m"], kind="mergesort").index
    df["rank"] = pd.NA
    df.loc[order, "rank"] = range(1, len(order) + 1)
    df["rank"] = df["rank"].astype("Int64")
    return df


def ranked_keys(df) -> list[str]:
    """The rows' 16-character keys, best rank first (ranked rows only)."""
    return list(df[df["rank"].notna()].sort_values("rank")["key"])


def write_table(out: Path, df) -> dict[str, str]:
    """``results.parquet`` and ``results.csv`` in ``out``; returns their paths by name."""
    with atomic_path(out / "results.parquet") as tmp:
        df.to_parquet(tmp, index=False)
    with atomic_path(out / "results.csv") as tmp:
        df.to_csv(tmp, index=False, float_format="%.6g")
    return {"table_parquet": str(out / "results.parquet"), "table_csv": str(out / "results.csv")}


def best_row_json(df) -> dict | None:
    """The best-ranked row as JSON-ready values (non-finite numbers as None), for the run summary."""
    ranked = df[df["rank"].notna()].sort_values("rank")
    if ranked.empty:
        return None
    row = ranked.iloc[0].to_dict()
    return {k: (None if isinstance(v, float) and not math.isfinite(v) else v) for k, v in row.items()}
