"""The results tables of a run: the table a person reads and the long table that keeps every number.

``results.csv`` / ``results.parquet`` (``rank_table``): one row per design point in rank order, one column per
quantity (units in the name), each quantity's value from the row's highest stage only, and a ``model`` column
naming that stage ("analytic", "rcwa", "fdtd"). ``confinement`` is the confinement the row's threshold used
(modal over material threshold gain) and ``confinement_model`` the tier that computed it.

``results_long.csv`` / ``results_long.parquet`` (``long_table``): every number of every stage, one per line:
design key, stage ("design", "analytic", "rcwa", "fdtd"), quantity (the record's field name), value (numbers;
booleans as 0/1), text (strings and booleans), unit (from the name's suffix)."""

from __future__ import annotations

import json
import math
from dataclasses import fields
from pathlib import Path

import pandas as pd

from perocav.designs.cavities import family
from perocav.designs.io import atomic_path
from perocav.designs.records import DesignResult
from perocav.designs.spec import RANK_DIRECTION, DesignPoint, DesignSpec
from perocav.designs.thermal_rank import add_thermal_columns
from perocav.fdtd.rcwa.cross_check import COMPARED

#: the reader's quantities, in column order; each is read from the row's highest stage under the first of its
#: names that the stage's metrics or record carries (records of different solvers name a few things differently)
QUANTITIES: dict[str, tuple[str, ...]] = {
    "wavelength_nm": ("wavelength_nm",),
    "threshold_current_density_a_per_cm2": ("threshold_current_density_a_per_cm2",),
    "threshold_material_gain_per_cm": ("threshold_material_gain_per_cm",),
    "threshold_modal_gain_per_cm": ("threshold_modal_gain_per_cm",),
    "confinement": (),  # derived: the confinement the threshold used (see _confinement)
    "confinement_model": ("confinement_model",),
    "q_estimate": ("q_estimate",),
    "threshold_density_per_cm3": ("threshold_density_per_cm3",),
    "gain_peak_detuning_nm": ("gain_peak_detuning_nm",),
    "gain_margin_per_cm": ("gain_margin_per_cm",),
    "pumped_fraction": ("pumped_fraction",),
    "unpumped_loss_per_cm": ("unpumped_loss_per_cm",),
    "device_model": ("device_model",),
    "eta_up": ("eta_up",),
    "central_lobe_fraction": ("central_lobe_fraction",),
    "lobe_angle_deg": ("lobe_angle_deg",),
    "slope_efficiency_w_per_a": ("slope_efficiency_w_per_a",),  # its quantum efficiency: the long table's
    "absorbed_by_layer": ("absorbed_by_layer",),  # text: each layer's share of the stimulated emission
    "plqy_at_threshold": ("plqy_at_threshold",),
    "below_auger_limit": ("below_auger_limit",),
    "kappa_per_cm": ("kappa_per_cm",),
    "kappa_L": ("kappa_L",),
    "radiation_per_cm": ("radiation_per_cm",),
    "radiating_edge": ("radiating_edge",),
    "group_index": ("group_index",),
    "modal_loss_per_cm": ("modal_loss_per_cm", "modal_loss_fdtd_per_cm"),
    "bragg_wavelength_nm": ("bragg_wavelength_nm", "bragg_wavelength_fdtd_nm"),
    "band_edge_short_nm": ("band_edge_short_nm", "edge_short_nm", "stopband_short_nm"),
    "band_edge_long_nm": ("band_edge_long_nm", "edge_long_nm", "stopband_long_nm"),
    "q_edge_short": ("q_edge_short", "q_short"),
    "q_edge_long": ("q_edge_long", "q_long"),
    "gain_thickness_nm": ("gain_thickness_nm",),
    "converged": ("converged",),
    "resolution_px_per_um": ("resolution_px_per_um",),
    "warnings": ("warnings",),
}
#: quantities shown as magnitudes (the coupled-mode kappa carries a sign convention the reader does not need)
MAGNITUDES = ("kappa_per_cm", "kappa_L")

#: a "single central lobe": the central lobe holds at least this share of the radiated power
SINGLE_LOBE_FRACTION = 0.5

#: stage order of the ranking: verified tiers first
TIER = {"fdtd": 0, "rcwa": 1, "analytic": 2}

#: solver-record fields that are arrays, histories or pictures, not numbers of the long table
NOT_NUMBERS = ("history", "mode_profile_x_um", "mode_profile_abs2", "cross_section", "side_modes", "modes", "details")

#: the cross-check's copies of RCWA's own numbers: in a screen with an RCWA stage, the long table keeps them there
REPEATED_RCWA = tuple(f"rcwa_{name}" for name in COMPARED)

_UNITS = (("_a_per_cm2", "A/cm^2"), ("_w_per_a", "W/A"),
          ("_w_per_cm2", "W/cm^2"), ("_per_cm3", "cm^-3"), ("_per_cm", "1/cm"),
          ("_px_per_um", "px/um"), ("_nm", "nm"), ("_um", "um"), ("_ps", "ps"), ("_us", "us"), ("_ns", "ns"),
          ("_s", "s"), ("_k", "K"), ("_v", "V"), ("_rad", "rad"))


def unit_of(name: str) -> str:
    """The unit a field name carries in its suffix ("" for dimensionless numbers and text)."""
    return next((u for suffix, u in _UNITS if name.endswith(suffix)), "")


def _finite(v):
    return None if isinstance(v, float) and not math.isfinite(v) else v


def _stage_values(r: DesignResult) -> dict:
    """Every scalar a stage's result holds by name: metrics, then the device record, the solver record, the RCWA
    cross-check."""
    values = {}
    for part in (r.metrics, r.device, r.solver, r.cross_check):
        if part is None:
            continue
        flat = part.columns() if hasattr(part, "columns") else {f.name: getattr(part, f.name) for f in fields(part)}
        for name, v in flat.items():  # a solver record's columns(): its shared fields and its backend's details
            if name not in NOT_NUMBERS:
                values.setdefault(name, "; ".join(v) if name == "warnings" else v)
    return values


def _confinement(values: dict):
    """The confinement the threshold used: modal over material threshold gain (None when either is missing)."""
    modal, material = values.get("threshold_modal_gain_per_cm"), values.get("threshold_material_gain_per_cm")
    if modal is None or material is None or not (math.isfinite(modal) and math.isfinite(material)) or material == 0:
        return None
    return modal / material


def result_columns(r: DesignResult) -> dict:
    """The reader's columns of one (highest-stage) result: the shared ``QUANTITIES`` and its cavity family's
    ``reader_columns`` present in it, non-finite as empty."""
    row = {"model": r.fidelity, "status": r.status}
    if r.ok:
        values = _stage_values(r)
        extra = {name: (name,) for name in family(r.point.cavity).reader_columns}
        for name, aliases in {**QUANTITIES, **extra}.items():
            v = _confinement(values) if name == "confinement" else next(
                (values[a] for a in aliases if a in values), None)
            if name == "confinement_model" and v is None and row.get("confinement") is not None:
                v = r.fidelity
            if v is not None:
                row[name] = abs(v) if name in MAGNITUDES and isinstance(v, (int, float)) else _finite(v)
        for note in ("gain_note", "bragg_note"):  # no lasing below the ceiling; the spectrum's choice among roots
            if values.get(note):
                row["warnings"] = "; ".join(w for w in (row.get("warnings"), values[note]) if w)
    row.update(error=r.error, wall_time_s=r.wall_time_s)
    return row


def design_columns(point: DesignPoint) -> dict:
    """A point's design: cavity type, stack, the cavity's parameters by their own names (``period_nm``, ...) and
    the stack's thickness overrides (``thickness_nm.LAYER``); a sweep axis is one of these names."""
    return {"cavity": point.cavity.type, "stack": point.stack.name,
            **_flat({n: v for n, v in point.cavity.model_dump(mode="json").items() if n != "type"}),
            **{f"thickness_nm.{layer}": v for layer, v in point.stack.thickness_nm.items()}}


#: the DFB device's optional sections: no columns when unset
OPTIONAL_SECTIONS = ("pump", "sections", "mixed_order", "apodization")


def _flat(values: dict, prefix: str = "") -> dict:
    """Nested sections as dotted names (``pump.opening_um``), lists as JSON text, unset sections left out."""
    out = {}
    for name, v in values.items():
        if v is None and name in OPTIONAL_SECTIONS:
            continue
        if isinstance(v, dict):
            out.update(_flat(v, f"{prefix}{name}."))
        elif isinstance(v, list):
            out[f"{prefix}{name}"] = json.dumps(v, separators=(",", ":"))
        else:
            out[f"{prefix}{name}"] = v
    return out


def result_row(point: DesignPoint, result: DesignResult) -> dict:
    """The reader's row of a design point: key, its design (``design_columns``), the highest stage's quantities,
    and ``<fidelity>_error`` for a screen stage that failed on it."""
    chain = result.chain()
    row = {"key": chain[0].key[:16], **design_columns(point)}
    row.update(result_columns(chain[-1]))
    for r in chain:
        row.update({f"{err.fidelity}_error": err.error for err in r.refine_errors})
    return row


def long_rows(point: DesignPoint, result: DesignResult) -> list[dict]:
    """Every number of a design point, one dict per (stage, quantity): the design's parameters (stage "design")
    and each stage's metrics, record and cross-check, failures as ``error``."""
    key = result.first().key[:16]
    stages = [("design", design_columns(point))]
    has_rcwa = any(r.fidelity == "rcwa" and r.ok for r in result.chain())
    for r in result.chain():
        values = _stage_values(r)
        if has_rcwa and r.fidelity == "fdtd":  # its cross-check compared the RCWA stage's record: not repeated
            values = {k: v for k, v in values.items() if k not in REPEATED_RCWA}
        stages.append((r.fidelity, {**values, "status": r.status, "error": r.error, "wall_time_s": r.wall_time_s}))
        stages.extend((e.fidelity, {"status": "failed", "error": e.error}) for e in r.refine_errors)
    return [_long_row(key, stage, name, v) for stage, values in stages for name, v in values.items()
            if not (name == "error" and not v)]


def _long_row(key: str, stage: str, name: str, v) -> dict:
    if isinstance(v, bool):
        value, text = float(v), "true" if v else "false"
    elif isinstance(v, (int, float)):
        value, text = float(v), ""
    else:
        value, text = math.nan, "" if v is None else str(v)
    return {"key": key, "stage": stage, "quantity": name, "value": value, "text": text, "unit": unit_of(name)}


def long_table(points: list[DesignPoint], results: list[DesignResult]):
    """The long table of a run (pandas): key, stage, quantity, value, text, unit."""
    rows = [row for p, r in zip(points, results) for row in long_rows(p, r)]
    return pd.DataFrame(rows, columns=["key", "stage", "quantity", "value", "text", "unit"])


def rank_table(spec: DesignSpec, points: list[DesignPoint], results: list[DesignResult]):
    """The reader's table of ``points`` (row i: ``results[i]``) with ``feasible`` and ``rank`` (1 = best; verified
    tiers first: MEEP, then RCWA, then analytic only; within a tier by the objective's metric), in rank order."""
    df = pd.DataFrame([result_row(p, r) for p, r in zip(points, results)])
    if spec.drive is not None:  # rise at each design's own J_th (issue 15): derived from the records, not cached

        df = add_thermal_columns(df, points=points, drive=spec.drive)
    df["feasible"] = _feasible(spec, df)
    return _in_rank_order(_ranked(spec, df))


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
    if obj.max_threshold_a_per_cm2 is not None:  # a J_th cap (e.g. with rank_by: eta_up)
        j_th = pd.to_numeric(df.get("threshold_current_density_a_per_cm2", pd.Series(index=df.index, dtype=float)),
                             errors="coerce")
        feasible &= j_th <= obj.max_threshold_a_per_cm2
    if obj.min_eta_up is not None:  # a design without a device record has no eta_up: it cannot meet it
        feasible &= pd.to_numeric(df.get("eta_up", pd.Series(index=df.index, dtype=float)), errors="coerce") >= obj.min_eta_up
    if obj.single_central_lobe:
        lobe = pd.to_numeric(df.get("central_lobe_fraction", pd.Series(index=df.index, dtype=float)), errors="coerce")
        feasible &= lobe >= SINGLE_LOBE_FRACTION
    return feasible


def _ranked(spec: DesignSpec, df):
    metric = spec.objective.rank_by
    if metric not in df:
        df["rank"] = pd.Series([pd.NA] * len(df), dtype="Int64")
        return df
    feasible = df["feasible"]
    tier = df["model"].map(TIER).fillna(len(TIER))
    sign = -1.0 if RANK_DIRECTION[metric] == "max" else 1.0
    # the feasible rows only (a full-length column assigned to an empty frame would bring every row back)
    keyed = df[feasible].assign(_v=tier[feasible], _m=sign * pd.to_numeric(df.loc[feasible, metric], errors="coerce"))
    order = keyed[keyed["_m"].notna()].sort_values(["_v", "_m"], kind="mergesort").index
    df["rank"] = pd.NA
    df.loc[order, "rank"] = range(1, len(order) + 1)
    df["rank"] = df["rank"].astype("Int64")
    return df


def _in_rank_order(df):
    """Rank first, then key, model, status, feasible and the rest; rows by rank, unranked rows after, in sweep
    order."""
    head = [c for c in ("rank", "key", "model", "status", "feasible") if c in df]
    df = df[head + [c for c in df.columns if c not in head]]
    return df.sort_values("rank", kind="mergesort", na_position="last").reset_index(drop=True)


def ranked_keys(df) -> list[str]:
    """The rows' 16-character keys, best rank first (ranked rows only)."""
    return list(df[df["rank"].notna()].sort_values("rank")["key"])


def write_table(out: Path, df, long=None) -> dict[str, str]:
    """``results.parquet`` / ``results.csv`` (and the long table ``results_long.*``) in ``out``; their paths."""
    files = {}
    for stem, table, key in (("results", df, "table"), ("results_long", long, "long_table")):
        if table is None:
            continue
        with atomic_path(out / f"{stem}.parquet") as tmp:
            table.to_parquet(tmp, index=False)
        with atomic_path(out / f"{stem}.csv") as tmp:
            table.to_csv(tmp, index=False, float_format="%.6g")
        files.update({f"{key}_parquet": str(out / f"{stem}.parquet"), f"{key}_csv": str(out / f"{stem}.csv")})
    return files


def stage_value(long, *, key: str, stage: str, quantity: str):
    """One number (or text) of the long table; None when the stage did not report it."""
    hit = long[(long["key"] == key) & (long["stage"] == stage) & (long["quantity"] == quantity)]
    if hit.empty:
        return None
    row = hit.iloc[0]
    return row["text"] if row["text"] and not math.isfinite(row["value"]) else float(row["value"])


def best_row_json(df) -> dict | None:
    """The best-ranked row as JSON-ready values (non-finite numbers as None), for the run summary."""
    ranked = df[df["rank"].notna()].sort_values("rank")
    if ranked.empty:
        return None
    row = ranked.iloc[0].to_dict()
    return {k: (None if isinstance(v, float) and not math.isfinite(v) else v) for k, v in row.items()}
