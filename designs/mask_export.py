"""Chosen designs -> mask file (layout's schema) -> DRC-checked die, per-level GDS and manifest (layout.tapeout).

Each chosen design becomes a design block on the die: a bracketing DOE around it (by default period
+-2 sweep steps and duty cycle +-1 sweep step), repeats of the design and the control devices (the LED
pixel without a grating, the grating without electrodes); the die is sized to hold the blocks."""

from __future__ import annotations

import math
from pathlib import Path

import yaml

from perocav.designs.io import atomic_path, write_text_atomic
from perocav.designs.spec import DesignPoint, DesignSpec, MaskSection, Range
from perocav.pdk.errors import InputError

#: Default bracket (steps on each side) where the cavity has the parameter.
DEFAULT_BRACKET: dict[str, int] = {"period_nm": 2, "duty_cycle": 1}
#: Step used when the design does not sweep the bracketed parameter.
FALLBACK_STEP: dict[str, float] = {"period_nm": 5.0, "duty_cycle": 0.05}
#: Die layout: frame and margin band (um), die size granularity (um), extra room per device (um).
FRAME_UM, MARGIN_UM, DIE_STEP_UM, SLACK_UM = 50.0, 250.0, 250.0, 10.0


def _sweep_step(spec, key: str) -> float | None:
    """The step of the design's sweep along cavity parameter ``key`` (a Range's step, or the smallest
    spacing of a value list); None when ``key`` is not swept."""
    axis = spec.sweep.grid.get(key, spec.sweep.zip.get(key))
    if axis is None:
        return None
    if isinstance(axis, Range):
        if axis.step is not None:
            return axis.step
        return (axis.stop - axis.start) / (axis.num - 1) if axis.num and axis.num > 1 else None
    values = sorted({float(v) for v in axis if isinstance(v, int | float) and not isinstance(v, bool)})
    gaps = [round(b - a, 9) for a, b in zip(values, values[1:])]
    return min(gaps) if gaps else None


def bracket_axes(spec) -> dict[str, tuple[float, int]]:
    """{cavity parameter: (step, steps)} of the mask bracket of a design spec (``mask.bracket``, or the
    default where the cavity has the parameter); a parameter that is not a number of the cavity's
    layout cell, or has no step, raises InputError (field relative to the design file)."""
    mask: MaskSection = spec.mask or MaskSection()
    layout_params = spec.cavity.layout_cell()[1]
    if mask.bracket is None:
        wanted = {k: (None, n) for k, n in DEFAULT_BRACKET.items() if k in layout_params}
    else:
        wanted = {k: (b.step, b.steps) for k, b in mask.bracket.items()}
    numeric = sorted(k for k, v in layout_params.items()
                     if isinstance(v, int | float) and not isinstance(v, bool) and k != "order")
    out = {}
    for key, (step, steps) in wanted.items():
        if key not in numeric:
            raise InputError(f"not a numeric parameter of the {spec.cavity.type} cavity", field=f"mask.bracket.{key}",
                             allowed=", ".join(numeric), relative=True)
        step = step or _sweep_step(spec, key) or FALLBACK_STEP.get(key)
        if step is None:
            raise InputError(f"{key} is not swept, so the bracket needs its step", field=f"mask.bracket.{key}.step",
                             allowed="> 0", relative=True)
        if steps:
            out[key] = (float(step), steps)
    return out


def _params(point: DesignPoint, spec: DesignSpec) -> dict:
    cell, params = point.cavity.layout_cell()
    if cell == "dfb_grating":
        params = {**params, "stripe_width_um": spec.mask.stripe_width_um}
    return {"cavity": cell, "cavity_params": params,
            "pixel_params": {"opening": "circle", "opening_diameter_um": spec.mask.opening_diameter_um}}


def _block(rank: int, point: DesignPoint, spec: DesignSpec) -> dict:
    bracket = {f"cavity_params.{k}": {"step": step, "steps": n} for k, (step, n) in bracket_axes(spec).items()}
    return {"name": f"rank{rank}", "params": _params(point, spec), "bracket": bracket,
            "repeats": spec.mask.repeats, "controls": list(spec.mask.controls)}


def _pitch_um(blocks: list[dict]) -> tuple[float, float]:
    """Device pitch (um) that holds the largest design device (its label included) with the clearance."""
    from perocav.layout import cells
    from perocav.layout.laser_device import call_checked
    from perocav.layout.mask import CLEARANCE_UM
    from perocav.pdk.pdk import activate

    activate()
    half_x = half_y = 0.0
    for b in blocks:
        box = call_checked(cells["laser_device"], {**b["params"], "label": "A01"}, field="params").dbbox()
        half_x, half_y = max(half_x, -box.left, box.right), max(half_y, -box.bottom, box.top)
    step = 10.0
    return (math.ceil((2 * half_x + CLEARANCE_UM + SLACK_UM) / step) * step,
            math.ceil((2 * half_y + CLEARANCE_UM + SLACK_UM) / step) * step)


def _die(blocks: list[dict], pitch: tuple[float, float]) -> dict:
    """The smallest die (width + height, then the squarer) holding the blocks side by side in bands."""
    from perocav.layout.mask_doe import DesignBlockSpec, expand_block

    shapes = []
    for b in blocks:
        devs = expand_block(DesignBlockSpec.model_validate(b))
        shapes.append((1 + max(d.row for d in devs), 1 + max(d.col for d in devs)))
    cols = max(c for _, c in shapes)
    best = None
    for per_band in range(1, len(blocks) + 1):
        bands = [shapes[i:i + per_band] for i in range(0, len(shapes), per_band)]
        n_cols = max(cols, max(sum(c for _, c in band) for band in bands))
        n_rows = sum(max(r for r, _ in band) for band in bands)
        w = max(3000.0, math.ceil((2 * (FRAME_UM + MARGIN_UM) + n_cols * pitch[0]) / DIE_STEP_UM) * DIE_STEP_UM)
        h = max(3000.0, math.ceil((2 * (FRAME_UM + MARGIN_UM) + n_rows * pitch[1]) / DIE_STEP_UM) * DIE_STEP_UM)
        key = (w + h, abs(w - h))
        if best is None or key < best[0]:
            best = (key, w, h)
    _, w, h = best
    return {"width_um": w, "height_um": h, "frame_width_um": FRAME_UM, "margin_um": MARGIN_UM,
            "pitch_x_um": pitch[0], "pitch_y_um": pitch[1]}


def export_mask(*, out_dir: Path, spec: DesignSpec, table) -> dict[str, str]:
    """Tape out the ``mask.top_n`` best-ranked designs, each with its bracket, repeats and controls, into
    ``out_dir/mask``; returns the files written (GDS, per-level GDS, .lyp, manifest, die picture). Refuses
    (writes no GDS, says why in ``mask_status.txt``) when the die violates the design rules."""
    import json

    from perocav.layout.tapeout import tapeout_file

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
    blocks = [_block(rank, p, spec) for rank, p in enumerate(points, start=1)]
    mask = {"name": f"{spec.name}_mask", "die": _die(blocks, _pitch_um(blocks)), "designs": blocks}
    mask_file = mask_dir / f"{spec.name}_mask.yaml"
    write_text_atomic(mask_file, "# written by perocav run from the best-ranked designs\n"
                      + yaml.safe_dump(mask, sort_keys=False))
    result = tapeout_file(mask_file, mask_dir)
    files = {"mask_file": str(mask_file)}
    if not result.written:
        lines = [f"DRC: {len(result.violations)} violation(s); mask not written"]
        lines += [v.line() for v in result.violations[:50]]
        files["mask_status"] = str(write_text_atomic(mask_dir / "mask_status.txt", "\n".join(lines) + "\n"))
        return files
    gds = [p for p in result.files if p.endswith(".gds")]
    files["mask_gds"] = next(p for p in gds if not any(p.endswith(f"_{lvl}.gds") for lvl in (
        "GRATING", "ITO_BOTTOM", "PIXEL_DEF", "PEROVSKITE", "ITO_TOP", "METAL")))
    files["mask_levels"] = f"{len(gds) - 1} per-level GDS files in {mask_dir}"
    files["manifest"] = next(p for p in result.files if p.endswith("_manifest.csv"))
    files["manifest_json"] = next(p for p in result.files if p.endswith("_manifest.json"))
    files["mask_lyp"] = next(p for p in result.files if p.endswith(".lyp"))
    files["mask_png"] = next(p for p in result.files if p.endswith(".png"))
    die = mask["die"]
    files["mask_die"] = (f"{result.n_devices} devices (" + ", ".join(f"{n} {r}" for r, n in result.roles.items())
                         + f") on {die['width_um'] / 1000:g} x {die['height_um'] / 1000:g} mm, "
                         f"{result.slot_fill:.0%} of the DOE slots, DRC clean"
                         + (f", {len(result.left_out)} infeasible bracket points left out" if result.left_out else ""))
    # tie each chosen design to its block on the die: the design device's id and the block's ids
    manifest = json.loads(Path(files["manifest_json"]).read_text())
    by_block: dict[str, list[dict]] = {}
    for d in manifest["devices"]:
        by_block.setdefault(d["group"], []).append(d)
    keep = [c for c in chosen.columns if c.startswith("p.") or c in (
        "rank", "key", "wavelength_nm", "q_estimate", "kappa_L", "threshold_current_density_a_per_cm2")]
    link = chosen[keep].copy()
    blocks = [by_block[f"rank{r}"] for r in range(1, len(link) + 1)]
    link.insert(0, "device_id", [next(d["device_id"] for d in b if d["role"] == "design") for b in blocks])
    link.insert(1, "block", [f"rank{r}" for r in range(1, len(link) + 1)])
    link.insert(2, "block_devices", [f"{b[0]['device_id']}-{b[-1]['device_id']} ({len(b)})" for b in blocks])
    with atomic_path(mask_dir / "chosen_designs.csv") as tmp:
        link.to_csv(tmp, index=False, float_format="%.6g")
    files["chosen_designs"] = str(mask_dir / "chosen_designs.csv")
    return files
