"""Test manifest: one row per placed device (id, group, role, control kind, cell, centre in um, bracket
offsets in steps, every parameter), as CSV (flat, dotted parameter names, lists as JSON) and JSON (nested).
Roles: design, bracket, repeat, control (design blocks), sweep, device."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from typing import Any

from perocav.layout.mask import PlacedDevice

FIXED_COLUMNS = ("device_id", "group", "role", "control", "cell", "x_um", "y_um")


def flatten(params: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested dicts to dotted keys; other values kept."""
    out: dict[str, Any] = {}
    for key, value in params.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            out.update(flatten(value, f"{name}."))
        else:
            out[name] = value
    return out


def rows(devices: Sequence[PlacedDevice]) -> list[dict[str, Any]]:
    """Flat rows: the fixed columns, ``offset.<dotted name>`` (bracket steps), then ``param.<dotted name>``
    for every parameter."""
    out = []
    for d in devices:
        row: dict[str, Any] = {"device_id": d.device_id, "group": d.group, "role": d.role, "control": d.control,
                               "cell": d.cell, "x_um": d.x_um, "y_um": d.y_um}
        row.update({f"offset.{k}": v for k, v in d.offsets.items()})
        row.update({f"param.{k}": v for k, v in flatten(d.settings).items()})
        out.append(row)
    return out


def to_csv(devices: Sequence[PlacedDevice]) -> str:
    """CSV text; columns: fixed ones, then all parameter columns sorted; empty where a cell has no such parameter."""
    flat = rows(devices)
    params = sorted({k for r in flat for k in r} - set(FIXED_COLUMNS))
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([*FIXED_COLUMNS, *params])
    for r in flat:
        cells = []
        for k in (*FIXED_COLUMNS, *params):
            v = r.get(k, "")
            cells.append(json.dumps(v) if isinstance(v, list | tuple | dict | bool) or v is None and k in r else v)
        writer.writerow(cells)
    return buf.getvalue()


def to_json(devices: Sequence[PlacedDevice], header: Mapping[str, Any]) -> str:
    """JSON text: ``header`` (mask name, file hash, ...) and a ``devices`` list with nested parameters."""
    doc = dict(header)
    doc["devices"] = [{"device_id": d.device_id, "group": d.group, "role": d.role, "control": d.control,
                       "cell": d.cell, "x_um": d.x_um, "y_um": d.y_um, "offsets": d.offsets, "varied": d.varied,
                       "params": d.settings} for d in devices]
    return json.dumps(doc, indent=1, sort_keys=True, default=list) + "\n"
