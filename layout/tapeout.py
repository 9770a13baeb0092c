"""Mask file -> DRC-checked die -> combined GDS, one GDS per lithography level (with the die frame and
the level name drawn on it), a KLayout layer-properties file, manifest CSV and JSON, a die picture.

Nothing is written when the die violates the design rules (unless allowed) or when any input is bad;
every file is written through a temporary file and a rename."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

import klayout.db as kdb
from pydantic import BaseModel, ConfigDict, Field

from perocav.layout import drc
from perocav.layout.die_picture import render_die
from perocav.layout.gds_io import canonical_layout, component_cell_metadata, write_gds, write_text_atomic
from perocav.layout.layer_props import lyp_text
from perocav.layout.level_frame import level_frame_region
from perocav.layout.litho_note import level_notes
from perocav.layout.manifest import to_csv, to_json
from perocav.layout.mask import MaskLayout, PlacedDevice, build_mask
from perocav.layout.mask_spec import MaskSpec, load_mask_spec
from perocav.pdk.errors import InputError
from perocav.pdk.layer_map import LAYER_NUMBERS, LITHO_LEVELS
from perocav.pdk.pdk import activate


class TapeoutResult(BaseModel):
    """What a tapeout did: files written (path -> sha256), device count (and per role), DOE slot fill,
    bracket points left out, DRC violations (combined die, then each level file's own rules)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    mask: str
    written: bool
    files: dict[str, str]
    n_devices: int
    violations: tuple[drc.Violation, ...]
    roles: dict[str, int] = {}
    slot_fill: float = 0.0
    left_out: tuple[str, ...] = ()
    merged: tuple[str, ...] = ()  # bracket points placed once: another chosen design's device ("A05 = B13")
    devices: tuple[PlacedDevice, ...] = Field((), exclude=True)  # the manifest's rows (not in the JSON summary)


def _roles(ml: MaskLayout) -> dict[str, int]:
    roles: dict[str, int] = {}
    for d in ml.devices:
        roles[d.role] = roles.get(d.role, 0) + 1
    return dict(sorted(roles.items()))


@dataclass(frozen=True)
class MaskSource:
    """Where a mask spec comes from: the mask file's path (named in errors, its name in the GDS metadata and the
    manifest) and the sha256 of its bytes."""

    path: str
    sha256: str


def _header(ml: MaskLayout, source: MaskSource) -> dict[str, Any]:
    used, slots = ml.slots
    return {
        "mask_name": ml.spec.name,
        "mask_file": Path(source.path).name,
        "mask_sha256": source.sha256,
        "n_devices": len(ml.devices),
        "n_devices_by_role": _roles(ml),
        "doe_slots": slots,
        "slot_fill": round(used / slots, 4) if slots else 0.0,
        "left_out": list(ml.left_out),
        "merged": list(ml.merged),
        "die_size_um": [ml.spec.die.width_um, ml.spec.die.height_um],
        "levels": list(LITHO_LEVELS),
        "perocav_version": version("perocav"),
        "gdsfactory_version": version("gdsfactory"),
    }


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _level_layout(full: kdb.Layout, ml: MaskLayout, level: str) -> kdb.Layout:
    """One level of ``full`` with the die frame and the level name drawn on it, top cell ``<name>_<LEVEL>``."""
    die = ml.spec.die
    one = canonical_layout(full, full.top_cell(), layers=[LAYER_NUMBERS[level]], top_name=f"{ml.spec.name}_{level}")
    idx = one.find_layer(*LAYER_NUMBERS[level])
    if idx is None:
        idx = one.layer(*LAYER_NUMBERS[level])
    top = one.top_cell()
    extra = level_frame_region(level, width_nm=round(die.width_um * 1000), height_nm=round(die.height_um * 1000),
                               frame_nm=round(die.frame_width_um * 1000), margin_nm=round(die.margin_um * 1000),
                               keep_out=kdb.Region(top.begin_shapes_rec(idx)))
    top.shapes(idx).insert(extra)
    return one


def tapeout_file(mask_file: str | Path, out_dir: str | Path, *, allow_drc_violations: bool = False,
                 picture: bool = True) -> TapeoutResult:
    """``tapeout`` of the mask file ``mask_file`` (YAML)."""
    spec, sha = load_mask_spec(mask_file)
    return tapeout(spec, out_dir, source=MaskSource(path=str(mask_file), sha256=sha),
                   allow_drc_violations=allow_drc_violations, picture=picture)


def tapeout(spec: MaskSpec, out_dir: str | Path, *, source: MaskSource, allow_drc_violations: bool = False,
            picture: bool = True) -> TapeoutResult:
    """Build the mask ``spec`` and, if DRC-clean (or allowed), write into ``out_dir``:
    ``<name>.gds`` (all layers, metadata; cells named by device id), ``<name>_<LEVEL>.gds`` per
    lithography level (with frame and level name), ``<name>.lyp`` (KLayout layer properties),
    ``<name>_manifest.csv`` and ``<name>_manifest.json``, and (``picture``) ``<name>.png`` with the ids.
    ``source``: the mask file the spec is (or would be) read from. ``TapeoutResult.devices``: the placed devices
    (the manifest's rows)."""
    activate()
    mask_file = Path(source.path)
    ml = build_mask(spec, source=str(mask_file))
    comp = ml.component
    header = _header(ml, source)
    meta = dict(header, devices=[{"device_id": d.device_id, "role": d.role, "cell": d.cell, "x_um": d.x_um,
                                  "y_um": d.y_um} for d in ml.devices])
    full = canonical_layout(comp.kcl.layout, comp.kdb_cell, metadata=meta,
                            cell_metadata=component_cell_metadata(comp), top_name=spec.name,
                            cell_names=ml.cell_names)
    levels = {}
    for level in LITHO_LEVELS:
        try:
            levels[level] = _level_layout(full, ml, level)
        except InputError as err:
            raise err.with_source(str(mask_file)) from None
    violations = tuple(drc.check_layout(full, full.top_cell()))
    seen = set(violations)
    for one in levels.values():  # each level file against its own rules: what its frame and name add
        violations += tuple(v for v in drc.check_layout_report(one, one.top_cell()).violations if v not in seen)
    summary = {"mask": spec.name, "n_devices": len(ml.devices), "violations": violations, "roles": _roles(ml),
               "slot_fill": header["slot_fill"], "left_out": ml.left_out, "merged": ml.merged,
               "devices": tuple(ml.devices)}
    if violations and not allow_drc_violations:
        return TapeoutResult(written=False, files={}, **summary)
    out = Path(out_dir)
    paths = [write_gds(full, out / f"{spec.name}.gds")]
    for level, one in levels.items():
        paths.append(write_gds(one, out / f"{spec.name}_{level}.gds", context_info=False))
    paths.append(write_text_atomic(out / f"{spec.name}.lyp", lyp_text()))
    paths.append(write_text_atomic(out / f"{spec.name}_manifest.csv", to_csv(ml.devices)))
    litho = level_notes(full, full.top_cell(), {lvl: LAYER_NUMBERS[lvl] for lvl in LITHO_LEVELS})
    paths.append(write_text_atomic(out / f"{spec.name}_manifest.json",
                                   to_json(ml.devices, {**header, "lithography": litho})))
    if picture:
        paths.append(render_die(paths[0], out / f"{spec.name}.png", manifest=out / f"{spec.name}_manifest.json"))
    return TapeoutResult(written=True, files={str(p): _sha(p) for p in paths}, **summary)


def gds_labels(path: str | Path) -> dict[str, tuple[float, float]]:
    """{text: (x_um, y_um)} of every GDS text on the TEXT layer, in top-cell coordinates."""
    layout = kdb.Layout()
    layout.read(str(path))
    idx = layout.find_layer(*LAYER_NUMBERS["TEXT"])
    found: dict[str, tuple[float, float]] = {}
    if idx is None:
        return found
    it = layout.top_cell().begin_shapes_rec(idx)
    while not it.at_end():
        shape = it.shape()
        if shape.is_text():
            t = shape.text.transformed(it.trans())
            found[t.string] = (t.x * layout.dbu, t.y * layout.dbu)
        it.next()
    return found
