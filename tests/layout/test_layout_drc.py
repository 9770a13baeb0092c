"""DRC catches deliberately broken designs, with layer, rule and location; the CLI exits 1 on
violations, 0 when clean, 2 on bad input (one line)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import gdsfactory as gf
import klayout.db as kdb
import pytest

from perocav.layout.drc import check_gds
from perocav.layout.gds_io import write_component_gds
from perocav.layout.shapes import annulus, disk
from perocav.pdk.pdk import activate

activate()
PEROCAV = str(Path(sys.executable).with_name("perocav"))


def broken_component() -> gf.Component:
    """One violation of each kind, each at a known place (nm)."""
    c = gf.Component()
    g = c.shapes(gf.get_layer("GRATING"))
    g.insert(kdb.Box(0, 0, 49, 10_000))  # tooth 49 nm wide at x = 0
    g.insert(kdb.Box(1_000, 0, 1_200, 10_000))
    g.insert(kdb.Box(1_240, 0, 1_440, 10_000))  # 40 nm space at x = 1.2 um
    g.insert(annulus(29_960, 30_000, n=256))  # ring 40 nm wide, centred at 0
    # a pixel at (200, 0) um whose opening pokes out of the bottom ITO and has only 3 um of top ITO
    cx = 200_000
    c.shapes(gf.get_layer("ITO_BOTTOM")).insert(kdb.Box(cx - 20_000, -30_000, cx + 30_000, 30_000))
    c.shapes(gf.get_layer("ITO_TOP")).insert(kdb.Box(cx - 28_000, -30_000, cx + 30_000, 30_000))
    c.shapes(gf.get_layer("PEROVSKITE")).insert(kdb.Box(cx - 40_000, -40_000, cx + 40_000, 40_000))
    pd = kdb.Region(kdb.Box(cx - 60_000, -60_000, cx + 60_000, 60_000)) - kdb.Region(disk(25_000, cx_nm=cx))
    c.shapes(gf.get_layer("PIXEL_DEF")).insert(pd)
    c.shapes(gf.get_layer("METAL")).insert(kdb.Box(cx + 35_000, -5_000, cx + 45_000, 5_000))  # 10 um from opening
    return c


@pytest.fixture(scope="module")
def broken_gds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_component_gds(broken_component(), tmp_path_factory.mktemp("drc") / "broken.gds", top_name="BROKEN")


def find(violations, layer: str, rule: str) -> list:
    return [v for v in violations if v.layer == layer and v.rule == rule]


@pytest.mark.slow
def test_each_broken_feature_is_caught_at_its_location(broken_gds: Path) -> None:
    v = check_gds(broken_gds)
    narrow = find(v, "GRATING", "min_width")
    assert any(x.measured_nm == 49 and x.bbox_um[0] == 0 and x.bbox_um[2] == pytest.approx(0.049) for x in narrow)
    ring = [x for x in narrow if x.bbox_um[2] > 29]
    assert len(ring) == 1 and 39 <= ring[0].measured_nm <= 41 and (ring[0].x_um, ring[0].y_um) == (0, 0)
    (space,) = find(v, "GRATING", "min_space")
    assert space.measured_nm == 40 and space.x_um == pytest.approx(1.22) and space.bbox_um[0] == pytest.approx(1.2)
    (out,) = find(v, "ITO_BOTTOM>PIXEL_OPENING", "not_enclosed")
    assert out.bbox_um[0] == pytest.approx(175, abs=0.01) and out.bbox_um[2] == pytest.approx(180)
    crossing = find(v, "ITO_BOTTOM>PIXEL_OPENING", "min_enclosure")  # where the opening crosses the ITO edge
    assert len(crossing) == 2 and all(x.measured_nm == 0 and 180 <= x.x_um <= 185 for x in crossing)
    top = find(v, "ITO_TOP>PIXEL_OPENING", "min_enclosure")
    assert len(top) == 1 and 2_990 <= top[0].measured_nm <= 3_010 and top[0].bbox_um[0] == pytest.approx(172)
    (metal,) = find(v, "METAL-PIXEL_OPENING", "metal_to_opening")
    assert 9_990 <= metal.measured_nm <= 10_010 and 225 <= metal.x_um <= 235
    assert not find(v, "PEROVSKITE>PIXEL_OPENING", "min_enclosure")  # 15 um: fine
    assert len(v) == 8


def test_fixing_the_design_clears_it(tmp_path: Path) -> None:
    c = gf.Component()
    c.shapes(gf.get_layer("GRATING")).insert(kdb.Box(0, 0, 50, 10_000))
    c.shapes(gf.get_layer("GRATING")).insert(kdb.Box(100, 0, 150, 10_000))
    c.shapes(gf.get_layer("GRATING")).insert(annulus(29_950, 30_000, n=256))
    assert check_gds(write_component_gds(c, tmp_path / "ok.gds", top_name="OK")) == []


@pytest.mark.slow
def test_cli_lists_violations_and_exits_1(broken_gds: Path) -> None:
    p = subprocess.run([PEROCAV, "drc", str(broken_gds)], capture_output=True, text=True)
    assert p.returncode == 1
    lines = p.stdout.strip().splitlines()
    assert lines[-1].endswith("8 DRC violations")
    assert "GRATING: min_space: 40 nm < 50 nm at (1.220, 5.000) um, bbox (1.200, 0.000; 1.240, 10.000) um" in lines
    p = subprocess.run([PEROCAV, "drc", str(broken_gds), "--json"], capture_output=True, text=True)
    doc = json.loads(p.stdout)
    assert p.returncode == 1 and doc["n_violations"] == 8
    assert {"layer", "rule", "x_um", "y_um", "bbox_um"} <= set(doc["violations"][0])


@pytest.mark.slow
def test_cli_clean_and_bad_input(tmp_path: Path) -> None:
    ok = write_component_gds(gf.components.rectangle(size=(10, 10), layer="ITO_TOP"), tmp_path / "ok.gds")
    p = subprocess.run([PEROCAV, "drc", str(ok)], capture_output=True, text=True)
    assert p.returncode == 0 and "DRC clean" in p.stdout
    p = subprocess.run([PEROCAV, "drc", str(tmp_path / "missing.gds")], capture_output=True, text=True)
    assert p.returncode == 2
    assert p.stderr.strip() == f"error: {tmp_path / 'missing.gds'}: gds: no such file (allowed: an existing GDS file)"
