"""GDS regression: every cell (a few parameter sets) XOR its stored reference in tests/data/layout is
empty on every layer. Regenerate the references after an intended geometry change with

    PEROCAV_REGEN_GDS=1 .venv/bin/python -m pytest tests/test_layout_regression.py

and review the diff (``perocav show tests/data/layout/NAME.gds -o /tmp/NAME.png``) before committing."""

from __future__ import annotations

import os
from pathlib import Path

import klayout.db as kdb
import pytest

from perocav.layout import cells
from perocav.layout.gds_io import write_component_gds
from perocav.pdk.pdk import activate
from tests.paths import DATA_DIR

activate()
DATA = DATA_DIR / "layout"
REGEN = os.environ.get("PEROCAV_REGEN_GDS") == "1"

CASES: dict[str, tuple[str, dict]] = {
    "dfb_grating": ("dfb_grating", {}),
    "dfb_grating_mixed_qws_apod": ("dfb_grating", {"order": "mixed", "sections": ((1, 20), (2, 10), (1, 20)),
                                                   "quarter_wave_shift": True, "apodization": "gaussian"}),
    "dfb_grating_device": ("dfb_grating", {"device_sections": ((1, 193.5, 0.45, 20, 0.0), (2, 387.0, 0.3, 10, 0.0),
                                                               (1, 193.5, 0.45, 20, 96.75))}),
    "circular_grating": ("circular_grating", {"n_rings": 10, "disk_radius_nm": 500}),
    "ring_resonator": ("ring_resonator", {}),
    "disk_resonator": ("disk_resonator", {}),
    "led_pixel": ("led_pixel", {}),
    "led_pixel_stripe": ("led_pixel", {"opening": "stripe", "opening_diameter_um": 20}),
    "laser_device": ("laser_device", {"cavity": "circular_grating", "cavity_params": {"n_rings": 10}, "label": "A01"}),
    "alignment_mark": ("alignment_mark", {}),
    "vernier": ("vernier", {}),
    "die_frame": ("die_frame", {}),
    "label": ("label", {"text": "PEROCAV-0123456789"}),
}


def read(path: Path) -> kdb.Layout:
    layout = kdb.Layout()
    layout.read(str(path))
    return layout


def xor_area(a: kdb.Layout, b: kdb.Layout) -> dict[tuple[int, int], int]:
    """{(layer, datatype): XOR area in dbu^2} for every layer with a difference."""
    diffs = {}
    keys = {(i.layer, i.datatype) for ly in (a, b) for i in ly.layer_infos()}
    for key in sorted(keys):
        regions = []
        for ly in (a, b):
            idx = ly.find_layer(*key)
            regions.append(kdb.Region() if idx is None else kdb.Region(ly.top_cell().begin_shapes_rec(idx)))
        area = (regions[0] ^ regions[1]).area()
        if area:
            diffs[key] = area
    return diffs


@pytest.mark.parametrize("case", sorted(CASES))
def test_cell_matches_reference(case: str, tmp_path: Path) -> None:
    name, params = CASES[case]
    new = write_component_gds(cells[name](**params), tmp_path / f"{case}.gds")
    ref = DATA / f"{case}.gds"
    if REGEN:
        ref.write_bytes(new.read_bytes())
    assert ref.is_file(), f"missing reference {ref}; regenerate (see module docstring)"
    assert xor_area(read(ref), read(new)) == {}


def test_xor_sees_a_one_nanometre_change(tmp_path: Path) -> None:
    new = write_component_gds(cells["dfb_grating"](period_nm=401), tmp_path / "p401.gds")
    diffs = xor_area(read(DATA / "dfb_grating.gds"), read(new))
    assert list(diffs) == [(1, 0)]
