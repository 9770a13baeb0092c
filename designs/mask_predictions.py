"""What the results table predicts for each device on the die, written into the manifest (CSV: ``predicted.*``
columns; JSON: a ``predicted`` object per device): the design point's stack, lasing wavelength, Qs (lasing mode,
radiating and dark edge), J_th and the model (tier) behind them, equal to its row of the results table. A bracket
point the run did not compute (outside the sweep) says so; controls have no prediction."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd

from perocav.designs.io import atomic_path, write_text_atomic
from perocav.designs.records import DesignResult

#: results-table columns copied into the manifest as ``predicted.<name>``
PREDICTED = ("model", "stack", "wavelength_nm", "q_estimate", "radiating_edge", "q_edge_short", "q_edge_long",
             "threshold_current_density_a_per_cm2", "rank")


def _norm(v):
    return round(float(v), 6) if isinstance(v, (int, float)) and not isinstance(v, bool) else str(v)


def _device_point(device: dict, chosen: list[DesignResult]) -> dict | None:
    """The sweep parameters of a device: its block's chosen design point with the bracket's varied values."""
    group = str(device.get("group", ""))
    if not group.startswith("rank") or device.get("role") == "control":
        return None
    base = dict(chosen[int(group[4:]) - 1].point.params)
    return base | {k.rsplit(".", 1)[-1]: v for k, v in (device.get("varied") or {}).items()}


def predictions(devices: list[dict], table, chosen: list[DesignResult]) -> dict[str, dict]:
    """device id -> {predicted quantity: value} from the results table row of the device's design point (an
    ``status`` "not computed" where the run has no row for it; nothing for controls)."""
    out = {}
    for d in devices:
        point = _device_point(d, chosen)
        if point is None:
            continue
        axes = [a for a in point if a in table.columns]
        sel = pd.Series(True, index=table.index)
        for a in axes:
            sel &= table[a].map(_norm) == _norm(point[a])
        rows = table[sel]
        if rows.empty:
            out[d["device_id"]] = {"status": "not computed (outside the sweep)"}
            continue
        r = rows.iloc[0]
        vals = {c: (None if not isinstance(r[c], str) and pd.isna(r[c]) else
                    r[c].item() if hasattr(r[c], "item") else r[c]) for c in PREDICTED if c in table.columns}
        out[d["device_id"]] = {"status": str(r["status"]), **vals}
    return out


def add_predictions(manifest_csv: Path, manifest_json: Path, table, chosen: list[DesignResult]) -> None:
    """Rewrite the tapeout's manifest (CSV and JSON) with each device's predictions."""
    doc = json.loads(Path(manifest_json).read_text())
    pred = predictions(doc["devices"], table, chosen)
    for d in doc["devices"]:
        d["predicted"] = pred.get(d["device_id"])
    doc["predicted_from"] = ("results table of the run (results.csv): each device's design point; model names the "
                             "tier (analytic / rcwa / fdtd) of its numbers")
    write_text_atomic(manifest_json, json.dumps(doc, indent=1, sort_keys=True, default=_clean) + "\n")
    flat = pd.read_csv(manifest_csv, dtype=str, keep_default_na=False)
    for c in ("status", *PREDICTED):
        flat[f"predicted.{c}"] = [_text(pred.get(i, {}).get(c)) for i in flat["device_id"]]
    with atomic_path(Path(manifest_csv)) as tmp:
        flat.to_csv(tmp, index=False)


def _text(v) -> str:
    if v is None or (isinstance(v, float) and not math.isfinite(v)):
        return ""
    return f"{v:.6g}" if isinstance(v, float) else str(v)


def _clean(v):
    return None if isinstance(v, float) and not math.isfinite(v) else list(v) if isinstance(v, (set, tuple)) else str(v)
