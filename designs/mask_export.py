"""Chosen designs -> mask spec (layout's schema, also written as the mask file) -> DRC-checked die, per-level GDS
and manifest (layout.tapeout), all from the results in memory.

Each chosen design becomes a design block on the die: a bracketing DOE around it (by default period
+-2 sweep steps and duty cycle +-1 sweep step), repeats of the design and the control devices (the LED
pixel without a grating, the grating without electrodes); the die is sized to hold the blocks."""

from __future__ import annotations

import hashlib
import itertools
import math
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from perocav.designs.cavities import family
from perocav.designs.io import atomic_path, write_text_atomic
from perocav.designs.mask_bracket import bracket_axes, is_sectioned, neighbour_cavity
from perocav.designs.mask_predictions import add_predictions
from perocav.designs.records import DesignResult
from perocav.designs.spec import DesignPoint, DesignSpec
from perocav.layout import cells
from perocav.layout.device_cell_params import laser_device_params
from perocav.layout.laser_device import call_checked
from perocav.layout.mask import CLEARANCE_UM
from perocav.layout.mask_doe import DesignBlockSpec, expand_block
from perocav.layout.mask_spec import MaskSpec
from perocav.layout.tapeout import MaskSource, tapeout
from perocav.pdk.pdk import activate

if TYPE_CHECKING:
    from perocav.layout.mask_spec import MaskSpec

#: Die layout: frame and margin band (um), die size granularity (um), extra room per device (um).
FRAME_UM, MARGIN_UM, DIE_STEP_UM, SLACK_UM = 50.0, 250.0, 250.0, 10.0




def _params(point: DesignPoint, spec: DesignSpec) -> dict:
    fam = family(point.cavity)
    cell, params = fam.cell_params(point)
    params = {**params, **fam.mask_params(spec.mask)}
    out = {"cavity": cell, "cavity_params": params,
           "pixel_params": {"opening": "circle", "opening_diameter_um": opening_um(point, spec.mask)}}
    pump = getattr(point.cavity, "pump", None)
    if pump is not None:  # the opening over the pumped stretch, as simulated; electrodes wide enough to hold it
        drawn = laser_device_params(point.cavity.geometry(), stripe_width_um=spec.mask.stripe_width_um)
        out["pixel_params"] = drawn["pixel_params"]
        if drawn["opening_offset_um"]:
            out["opening_offset_um"] = drawn["opening_offset_um"]
    return out


def opening_um(point: DesignPoint, mask) -> float:
    """The LED opening drawn [um]: the mask section's, else the cavity's pump opening (the simulated one), else
    50."""
    pump = getattr(point.cavity, "pump", None)
    if mask.opening_diameter_um is not None:
        return mask.opening_diameter_um
    return pump.opening_um if pump is not None else 50.0


def _block(rank: int, point: DesignPoint, spec: DesignSpec) -> dict:
    block = {"name": f"rank{rank}", "params": _params(point, spec)}
    if is_sectioned(point.cavity):
        block["variants"] = variants(point, spec)
    else:
        block["bracket"] = {f"cavity_params.{k}": {"step": step, "steps": n}
                            for k, (step, n) in bracket_axes(spec).items()}
    return block | {"repeats": spec.mask.repeats, "controls": list(spec.mask.controls)}


def variants(point: DesignPoint, spec: DesignSpec) -> list[dict]:
    """A sectioned design's bracket as whole devices (``mask_doe.BracketVariant``): each neighbouring design
    (``cavity.period_nm`` / ``cavity.duty_cycle`` moved by whole steps, the first axis fastest) drawn from its own
    geometry, every section re-derived, the pump opening kept; a neighbour the cavity refuses (a duty past its
    limits or the grating rules) is left out."""
    axes = bracket_axes(spec)
    keys = list(axes)
    ranges = [range(-n, n + 1) for _, n in axes.values()]
    out = []
    for combo in itertools.product(*ranges[1:], *ranges[:1]):
        offsets = dict(zip(keys[1:] + keys[:1], combo, strict=True))
        values = {k: round(getattr(point.cavity, k) + offsets[k] * axes[k][0], 9) for k in keys}
        try:
            cavity = neighbour_cavity(point.cavity, values)
        except ValueError:
            continue
        neighbour = point.model_copy(update={"cavity": cavity})
        out.append({"offsets": {f"cavity.{k}": offsets[k] for k in keys},
                    "varied": {f"cavity.{k}": values[k] for k in keys}, "params": _params(neighbour, spec)})
    return out


def _pitch_um(blocks: list[dict]) -> tuple[float, float]:
    """Device pitch (um) that holds the largest design device (its label included) with the clearance."""
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


@dataclass(frozen=True)
class MaskPlan:
    """The mask of the chosen designs: the validated spec and the mask file text it is the YAML of."""

    spec: MaskSpec
    text: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode()).hexdigest()


def mask_plan(spec: DesignSpec, points: list[DesignPoint], *, pitch_from: int | None = None) -> MaskPlan:
    """The mask of ``points`` (best first): one design block each (bracket, repeats, controls) on a die sized to
    them; the device pitch from the first ``pitch_from`` blocks (default: all)."""
    blocks = [_block(rank, p, spec) for rank, p in enumerate(points, start=1)]
    plan = {"name": f"{spec.name}_mask", "die": _die(blocks, _pitch_um(blocks[:pitch_from])), "designs": blocks}
    text = "# written by perocav run from the best-ranked designs\n" + yaml.safe_dump(plan, sort_keys=False)
    return MaskPlan(spec=MaskSpec.model_validate(plan), text=text)


def export_mask(*, out_dir: Path, spec: DesignSpec, table, chosen: list[DesignResult]) -> dict[str, str]:
    """Tape out the ``chosen`` designs (best first; ``table``: the ranked results table), each with its bracket,
    repeats and controls, into ``out_dir/mask``; returns the files written (mask file, GDS, per-level GDS, .lyp,
    manifest, die picture, chosen designs). Refuses (writes no GDS, says why in ``mask_status.txt``) when the die
    violates the design rules."""
    mask_dir = Path(out_dir) / "mask"
    if not chosen:
        path = write_text_atomic(mask_dir / "mask_status.txt", "no design satisfied the objective: no mask written\n")
        return {"mask_status": str(path)}
    plan = mask_plan(spec, [r.point for r in chosen])
    mask_file = write_text_atomic(mask_dir / f"{spec.name}_mask.yaml", plan.text)  # the plan, for `perocav mask`
    result = tapeout(plan.spec, mask_dir, source=MaskSource(path=str(mask_file), sha256=plan.sha256))
    files = {"mask_file": str(mask_file)}
    if not result.written:
        lines = [f"DRC: {len(result.violations)} violation(s); mask not written"]
        lines += [v.line() for v in result.violations[:50]]
        files["mask_status"] = str(write_text_atomic(mask_dir / "mask_status.txt", "\n".join(lines) + "\n"))
        return files
    files.update(_written(result, plan.spec, mask_dir))
    add_predictions(Path(files["manifest"]), Path(files["manifest_json"]), table, chosen)
    files["chosen_designs"] = str(_chosen_designs(table, chosen, result.devices, mask_dir))
    return files


def _written(result, mask: MaskSpec, mask_dir: Path) -> dict[str, str]:
    """The tapeout's files by name and a one-line description of the die."""
    gds = [p for p in result.files if p.endswith(".gds")]
    levels = ("GRATING", "ITO_BOTTOM", "PIXEL_DEF", "PEROVSKITE", "ITO_TOP", "METAL")
    files = {"mask_gds": next(p for p in gds if not any(p.endswith(f"_{lvl}.gds") for lvl in levels)),
             "mask_levels": f"{len(gds) - 1} per-level GDS files in {mask_dir}"}
    for name, suffix in (("manifest", "_manifest.csv"), ("manifest_json", "_manifest.json"), ("mask_lyp", ".lyp"),
                         ("mask_png", ".png")):
        files[name] = next(p for p in result.files if p.endswith(suffix))
    die = mask.die
    files["mask_die"] = (f"{result.n_devices} devices (" + ", ".join(f"{n} {r}" for r, n in result.roles.items())
                         + f") on {die.width_um / 1000:g} x {die.height_um / 1000:g} mm, "
                         f"{result.slot_fill:.0%} of the DOE slots, DRC clean"
                         + (f", {len(result.left_out)} infeasible bracket points left out" if result.left_out else "")
                         + (f", {len(result.merged)} overlapping bracket points placed once" if result.merged else ""))
    return files


def _chosen_designs(table, chosen: list[DesignResult], devices, mask_dir: Path) -> Path:
    """``chosen_designs.csv``: each chosen design's table numbers, its design device's id and its block's ids."""
    by_block: dict[str, list] = {}
    for d in devices:
        by_block.setdefault(d.group, []).append(d)
    rows = table[table["rank"].notna()].sort_values("rank").head(len(chosen))  # the chosen designs' rows
    named = ("wavelength_nm", "kappa_L", "q_estimate", "threshold_current_density_a_per_cm2", "rank")
    axes = [a for a in (chosen[0].point.params if chosen else {}) if a in rows.columns]
    keep = ["key", *axes, *[c for c in named if c in rows.columns]]
    link = rows[keep].copy()
    blocks = [by_block[f"rank{r}"] for r in range(1, len(link) + 1)]
    link.insert(0, "device_id", [next(d.device_id for d in b if d.role == "design") for b in blocks])
    link.insert(1, "block", [f"rank{r}" for r in range(1, len(link) + 1)])
    link.insert(2, "block_devices", [f"{b[0].device_id}-{b[-1].device_id} ({len(b)})" for b in blocks])
    with atomic_path(mask_dir / "chosen_designs.csv") as tmp:
        link.to_csv(tmp, index=False, float_format="%.6g")
    return mask_dir / "chosen_designs.csv"
