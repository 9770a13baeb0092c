"""Mask file -> DRC-checked die -> combined GDS, one GDS per lithography level, manifest CSV and JSON.

Nothing is written when the die violates the design rules (unless allowed) or when any input is bad;
every file is written through a temporary file and a rename."""

from __future__ import annotations

import hashlib
from importlib.metadata import version
from pathlib import Path
from typing import Any

import klayout.db as kdb
from pydantic import BaseModel, ConfigDict

from perocav.layout import drc
from perocav.layout.gds_io import canonical_layout, component_cell_metadata, write_gds, write_text_atomic
from perocav.layout.manifest import to_csv, to_json
from perocav.layout.mask import MaskLayout, build_mask
from perocav.layout.mask_spec import load_mask_spec
from perocav.pdk.layer_map import LAYER_NUMBERS, LITHO_LEVELS


class TapeoutResult(BaseModel):
    """What a tapeout did: files written (path -> sha256), device count, DRC violations."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    mask: str
    written: bool
    files: dict[str, str]
    n_devices: int
    violations: tuple[drc.Violation, ...]


def _header(ml: MaskLayout, mask_file: Path, sha: str) -> dict[str, Any]:
    return {
        "mask_name": ml.spec.name,
        "mask_file": mask_file.name,
        "mask_sha256": sha,
        "n_devices": len(ml.devices),
        "die_size_um": [ml.spec.die.width_um, ml.spec.die.height_um],
        "levels": list(LITHO_LEVELS),
        "perocav_version": version("perocav"),
        "gdsfactory_version": version("gdsfactory"),
    }


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def tapeout(mask_file: str | Path, out_dir: str | Path, *, allow_drc_violations: bool = False) -> TapeoutResult:
    """Build the mask of ``mask_file`` and, if DRC-clean (or allowed), write into ``out_dir``:
    ``<name>.gds`` (all layers, metadata), ``<name>_<LEVEL>.gds`` per lithography level,
    ``<name>_manifest.csv`` and ``<name>_manifest.json``."""
    from perocav.pdk.pdk import activate

    activate()
    mask_file = Path(mask_file)
    spec, sha = load_mask_spec(mask_file)
    ml = build_mask(spec, source=str(mask_file))
    comp = ml.component
    header = _header(ml, mask_file, sha)
    meta = dict(header, devices=[{"device_id": d.device_id, "cell": d.cell, "x_um": d.x_um, "y_um": d.y_um}
                                 for d in ml.devices])
    full = canonical_layout(comp.kcl.layout, comp.kdb_cell, metadata=meta,
                            cell_metadata=component_cell_metadata(comp), top_name=spec.name)
    violations = tuple(drc.check_layout(full, full.top_cell()))
    if violations and not allow_drc_violations:
        return TapeoutResult(mask=spec.name, written=False, files={}, n_devices=len(ml.devices),
                             violations=violations)
    out = Path(out_dir)
    paths = [write_gds(full, out / f"{spec.name}.gds")]
    for level in LITHO_LEVELS:
        one = canonical_layout(full, full.top_cell(), layers=[LAYER_NUMBERS[level]])
        paths.append(write_gds(one, out / f"{spec.name}_{level}.gds", context_info=False))
    paths.append(write_text_atomic(out / f"{spec.name}_manifest.csv", to_csv(ml.devices)))
    paths.append(write_text_atomic(out / f"{spec.name}_manifest.json", to_json(ml.devices, header)))
    return TapeoutResult(mask=spec.name, written=True, files={str(p): _sha(p) for p in paths},
                         n_devices=len(ml.devices), violations=violations)


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
