"""Chosen designs -> mask file (layout's schema) -> DRC-checked die, per-level GDS and manifest (layout.tapeout)."""

from __future__ import annotations

import math
from pathlib import Path

import yaml

from perocav.designs.io import atomic_path, write_text_atomic
from perocav.designs.spec import DesignPoint, DesignSpec


def _device(point: DesignPoint, spec: DesignSpec) -> dict:
    cell, params = point.cavity.layout_cell()
    if cell == "dfb_grating":
        params = {**params, "stripe_width_um": spec.mask.stripe_width_um}
    return {"cell": "laser_device", "params": {
        "cavity": cell,
        "cavity_params": params,
        "pixel_params": {"opening": "circle", "opening_diameter_um": spec.mask.opening_diameter_um},
    }}


def export_mask(*, out_dir: Path, spec: DesignSpec, table) -> dict[str, str]:
    """Tape out the ``mask.top_n`` best-ranked designs into ``out_dir/mask``; returns the files written.
    Refuses (writes no GDS, says why in ``mask_status.txt``) when the die violates the design rules."""
    import json

    from perocav.layout.tapeout import tapeout

    mask_dir = Path(out_dir) / "mask"
    chosen = table[table["rank"].notna()].sort_values("rank").head(spec.mask.top_n)
    if chosen.empty:
        path = write_text_atomic(mask_dir / "mask_status.txt", "no design satisfied the objective: no mask written\n")
        return {"mask_status": str(path)}
    points = []
    from perocav.designs.cache import ResultCache

    cache = ResultCache(Path(out_dir) / "cache")
    for key in chosen["key"]:
        rec = cache.find(key)  # verified entry (run_design wrote it moments ago)
        points.append(DesignPoint.model_validate(rec["point"]))
    n = len(points)
    cols = max(1, math.ceil(math.sqrt(n)))
    rows = math.ceil(n / cols)
    pitch_x, pitch_y, margin = 700.0, 500.0, 400.0
    mask = {
        "name": f"{spec.name}_mask",
        "die": {"width_um": max(3000.0, 2 * margin + cols * pitch_x + 400), "height_um": max(3000.0, 2 * margin + rows * pitch_y + 400),
                "margin_um": margin, "pitch_x_um": pitch_x, "pitch_y_um": pitch_y},
        "devices": [_device(p, spec) for p in points],
    }
    mask_file = mask_dir / f"{spec.name}_mask.yaml"
    write_text_atomic(mask_file, "# written by perocav run from the best-ranked designs\n"
                      + yaml.safe_dump(mask, sort_keys=False))
    result = tapeout(mask_file, mask_dir)
    files = {"mask_file": str(mask_file)}
    if not result.written:
        lines = [f"DRC: {len(result.violations)} violation(s); mask not written"] + [str(v) for v in result.violations[:50]]
        files["mask_status"] = str(write_text_atomic(mask_dir / "mask_status.txt", "\n".join(lines) + "\n"))
        return files
    gds = [p for p in result.files if p.endswith(".gds")]
    files["mask_gds"] = next(p for p in gds if not any(p.endswith(f"_{lvl}.gds") for lvl in (
        "GRATING", "ITO_BOTTOM", "PIXEL_DEF", "PEROVSKITE", "ITO_TOP", "METAL")))
    files["mask_levels"] = f"{len(gds) - 1} per-level GDS files in {mask_dir}"
    files["manifest"] = next(p for p in result.files if p.endswith("_manifest.csv"))
    # tie each device id on the die to its design (device ids: A01, A02, ... in placement order)
    import pandas as pd

    manifest = json.loads((mask_dir / f"{spec.name}_mask_manifest.json").read_text())
    ids = [d["device_id"] for d in manifest["devices"]]
    keep = [c for c in chosen.columns if c.startswith("p.") or c in (
        "rank", "key", "wavelength_nm", "q_estimate", "kappa_L", "threshold_current_density_a_per_cm2")]
    link = chosen[keep].copy()
    link.insert(0, "device_id", ids)
    with atomic_path(mask_dir / "chosen_designs.csv") as tmp:
        link.to_csv(tmp, index=False, float_format="%.6g")
    files["chosen_designs"] = str(mask_dir / "chosen_designs.csv")
    return files
