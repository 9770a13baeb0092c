"""A tapeout die from design blocks: bracketing DOE around each design, repeats, control devices, every
device in the manifest with its role and parameters where the GDS has it; cells named by device id;
per-level files with frame and level name that pass their own rules (the others listed as skipped);
a KLayout .lyp; the ITO-overlap rule catching a broken pixel at its place; the same bytes on rerun."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import gdsfactory as gf
import klayout.db as kdb
import pytest

from perocav.layout.drc import check_component, check_gds, check_gds_report, check_layout
from perocav.layout.level_frame import level_title
from perocav.layout.tapeout import tapeout_file
from perocav.pdk.layer_map import LAYER_NUMBERS, LITHO_LEVELS
from perocav.pdk.pdk import activate

activate()
PEROCAV = str(Path(sys.executable).with_name("perocav"))
PIXEL = "pixel_params: {opening: circle, opening_diameter_um: 50}"
MASK = f"""\
name: die_test
die: {{width_um: 5250, height_um: 3500, pitch_x_um: 420, pitch_y_um: 300}}
designs:
  - name: rank1
    params: {{cavity: dfb_grating, cavity_params: {{order: 2, period_nm: 380.0, duty_cycle: 0.3, n_periods: 250}},
             {PIXEL}}}
    bracket: {{cavity_params.period_nm: {{step: 5, steps: 2}}, cavity_params.duty_cycle: {{step: 0.1, steps: 1}}}}
  - name: rank2
    params: {{cavity: dfb_grating, cavity_params: {{order: 2, period_nm: 390.0, duty_cycle: 0.8, n_periods: 250}},
             {PIXEL}}}
    bracket: {{cavity_params.period_nm: {{step: 10, steps: 1}}, cavity_params.duty_cycle: {{step: 0.1, steps: 1}}}}
    repeats: 2
"""


@pytest.fixture(scope="module")
def die(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    d = tmp_path_factory.mktemp("die")
    (d / "die_test.yaml").write_text(MASK)
    result = tapeout_file(d / "die_test.yaml", d / "out")
    assert result.written and result.violations == (), [v.line() for v in result.violations]
    return d / "out", json.loads((d / "out" / "die_test_manifest.json").read_text())


def region(layout: kdb.Layout, layer: str, box: kdb.Box | None = None) -> kdb.Region:
    idx = layout.find_layer(*LAYER_NUMBERS[layer])
    r = kdb.Region() if idx is None else kdb.Region(layout.top_cell().begin_shapes_rec(idx)).merged()
    return r & kdb.Region(box) if box is not None else r


def read(path: Path) -> kdb.Layout:
    layout = kdb.Layout()
    layout.read(str(path))
    return layout


def window(d: dict, half_um: float = 150) -> kdb.Box:
    x, y, h = round(d["x_um"] * 1000), round(d["y_um"] * 1000), round(half_um * 1000)
    return kdb.Box(x - h, y - h, x + h, y + h)


def pixel_window(d: dict) -> kdb.Box:
    """The pixel and its grating without the device's id copies (below it, and the PEROVSKITE one above the film)."""
    x, y = round(d["x_um"] * 1000), round(d["y_um"] * 1000)
    return kdb.Box(x - 150_000, y - 88_000, x + 150_000, y + 58_000)


@pytest.mark.slow
def test_blocks_hold_bracket_repeats_and_controls(die: tuple[Path, dict]) -> None:
    _, doc = die
    a = [d for d in doc["devices"] if d["group"] == "rank1"]
    roles = [d["role"] for d in a]
    assert len(a) == 20 and roles.count("design") == 1 and roles.count("bracket") == 14
    assert roles.count("repeat") == 3 and [d["control"] for d in a if d["role"] == "control"] == [
        "no_grating", "no_electrodes"]
    grid = {(d["offsets"]["cavity_params.period_nm"], d["offsets"]["cavity_params.duty_cycle"]): d
            for d in a if d["role"] in ("design", "bracket")}
    assert sorted(grid) == [(p, q) for p in range(-2, 3) for q in range(-1, 2)]
    for (p, q), d in grid.items():
        cav = d["params"]["cavity_params"]
        assert cav["period_nm"] == pytest.approx(380 + 5 * p) and cav["duty_cycle"] == pytest.approx(0.3 + 0.1 * q)
        same_row = grid[(0, q)]
        assert d["y_um"] == same_row["y_um"] and d["x_um"] == pytest.approx(same_row["x_um"] + 420 * p)
    assert grid[(0, 0)]["role"] == "design" and grid[(0, 0)]["device_id"] == "A08"
    for d in a:
        if d["role"] == "repeat":
            assert d["params"] == {**grid[(0, 0)]["params"], "label": d["device_id"]}
    ids = [d["device_id"] for d in doc["devices"]]
    assert len(set(ids)) == len(ids) == doc["n_devices"]
    assert doc["n_devices_by_role"] == {"bracket": 14 + 5, "control": 4, "design": 2, "repeat": 5}


@pytest.mark.slow
def test_infeasible_bracket_points_are_left_out_and_listed(die: tuple[Path, dict]) -> None:
    """Duty 0.9 of the 0.8 design leaves 39-40 nm gaps (GRATING min space 50 nm): not placed, but listed."""
    _, doc = die
    b = [d for d in doc["devices"] if d["group"] == "rank2"]
    duties = {d["params"]["cavity_params"]["duty_cycle"] for d in b if d["role"] == "bracket"}
    assert duties == {0.7, 0.8}
    assert len(doc["left_out"]) == 3 and all("duty_cycle': 0.9" in s and "below GRATING min space" in s
                                             for s in doc["left_out"])


@pytest.mark.slow
def test_controls_are_the_pixel_without_grating_and_the_grating_without_electrodes(die: tuple[Path, dict]) -> None:
    out, doc = die
    layout = read(out / "die_test.gds")
    a = {d["control"] or d["role"]: d for d in doc["devices"] if d["group"] == "rank1"}
    design, bare, pumped = a["design"], a["no_grating"], a["no_electrodes"]
    for layer in ("ITO_BOTTOM", "PIXEL_DEF", "PEROVSKITE", "ITO_TOP"):  # same pixel where it has one
        ref = region(layout, layer, pixel_window(design)).moved(*_shift(design, bare))
        assert (ref ^ region(layout, layer, pixel_window(bare))).is_empty(), layer
    assert region(layout, "GRATING", window(bare)).is_empty()  # no grating, nor a GRATING id copy
    ref = region(layout, "GRATING", pixel_window(design)).moved(*_shift(design, pumped))
    assert not ref.is_empty() and (ref ^ region(layout, "GRATING", pixel_window(pumped))).is_empty()
    for layer in ("ITO_BOTTOM", "PIXEL_DEF", "ITO_TOP"):
        assert region(layout, layer, window(pumped)).is_empty(), layer  # no electrodes, nor their id copies
    film = region(layout, "PEROVSKITE", pixel_window(pumped))
    assert (film ^ region(layout, "PEROVSKITE", pixel_window(design)).moved(*_shift(design, pumped))).is_empty()
    assert (region(layout, "GRATING", pixel_window(pumped)) - film).is_empty()  # the grating lies under the film


def _shift(a: dict, b: dict) -> tuple[int, int]:
    return round((b["x_um"] - a["x_um"]) * 1000), round((b["y_um"] - a["y_um"]) * 1000)


@pytest.mark.slow
def test_cells_are_named_by_device_id(die: tuple[Path, dict]) -> None:
    out, doc = die
    layout = read(out / "die_test.gds")
    names = {c.name for c in layout.each_cell()}
    ids = {d["device_id"] for d in doc["devices"]}
    assert ids <= names
    allowed = re.compile(r"^([A-Z]\d\d(_[a-z_]+)?|die_test|die_frame|die_name|alignment_mark|vernier_(y_)?[A-Z_]+)$")
    assert [n for n in names if not allowed.match(n)] == []
    top = layout.top_cell()
    placed = {layout.cell(i.cell_index).name: i.dtrans.disp for i in top.each_inst()}
    for d in doc["devices"]:  # the cell named A01 sits where the manifest says A01 is
        assert (placed[d["device_id"]].x, placed[d["device_id"]].y) == pytest.approx((d["x_um"], d["y_um"]))


@pytest.mark.slow
def test_level_files_have_frame_and_name_and_pass_their_own_rules(die: tuple[Path, dict]) -> None:
    out, _ = die
    full = read(out / "die_test.gds")
    frame_in = kdb.Box(50_000, 50_000, 5_200_000, 3_450_000)
    for level in LITHO_LEVELS:
        path = out / f"die_test_{level}.gds"
        one = read(path)
        assert [(i.layer, i.datatype) for i in one.layer_infos()] == [LAYER_NUMBERS[level]]
        assert one.top_cell().name == f"die_test_{level}"
        extra = region(one, level) - region(full, level)
        assert (region(full, level) - region(one, level)).is_empty(), level
        assert (kdb.Region(kdb.Box(0, 0, 5_250_000, 3_500_000)) - kdb.Region(frame_in) - extra).is_empty(), level
        title = extra & kdb.Region(frame_in)
        assert title.bbox().top < 3_450_000 and title.bbox().bottom > 3_050_000 and \
            abs(title.bbox().center().x - 2_625_000) <= 1, level
        assert len(list(title.each())) >= len(level_title(level).replace(" ", "")) - 2  # drawn letters
        report = check_gds_report(path)
        assert report.violations == () and report.checked == (f"{level} min_width/min_space",), level
        assert len(report.skipped) == 12 and all(s.missing for s in report.skipped)  # 13 rules in all


@pytest.mark.slow
def test_a_one_level_file_is_checked_on_its_layer_and_says_what_it_skipped(die: tuple[Path, dict],
                                                                             tmp_path: Path) -> None:
    """Issue 13: `perocav drc` on a level file reported enclosure "violations" against absent layers."""
    out, _ = die
    p = subprocess.run([PEROCAV, "drc", str(out / "die_test_PIXEL_DEF.gds")], capture_output=True, text=True)
    assert p.returncode == 0, p.stdout + p.stderr
    lines = p.stdout.strip().splitlines()
    assert lines[-1].endswith("DRC clean") and lines[0].startswith("skipped 12 rule(s), layers not in the file: ")
    assert "ITO_TOP>PIXEL_OPENING min_enclosure (needs ITO_TOP)" in lines[0]
    # the level's own rule still bites: a 1 um sliver of dielectric
    layout = read(out / "die_test_PIXEL_DEF.gds")
    layout.top_cell().shapes(layout.find_layer(20, 0)).insert(kdb.Box(1_000_000, 1_000_000, 1_001_000, 1_050_000))
    layout.write(str(tmp_path / "sliver.gds"))
    p = subprocess.run([PEROCAV, "drc", str(tmp_path / "sliver.gds"), "--json"], capture_output=True, text=True)
    doc = json.loads(p.stdout)
    assert p.returncode == 1 and doc["n_violations"] == 1 and doc["checked"] == ["PIXEL_DEF min_width/min_space"]
    assert doc["violations"][0]["rule"] == "min_width" and doc["violations"][0]["x_um"] == pytest.approx(1000.5)
    assert len(doc["skipped"]) == 12


@pytest.mark.slow
def test_lyp_names_every_layer_of_the_die(die: tuple[Path, dict]) -> None:
    import klayout.lay as lay

    out, _ = die
    view = lay.LayoutView()
    view.load_layout(str(out / "die_test.gds"))
    view.load_layer_props(str(out / "die_test.lyp"))
    named = {}
    it = view.begin_layers()
    while not it.at_end():
        node = it.current()
        named[(node.source_layer, node.source_datatype)] = node.name
        it.next()
    layout = read(out / "die_test.gds")
    for info in layout.layer_infos():
        name = next(n for n, v in LAYER_NUMBERS.items() if v == (info.layer, info.datatype))
        assert named[(info.layer, info.datatype)] == f"{name} {info.layer}/{info.datatype}"


@pytest.mark.slow
def test_die_picture_is_written(die: tuple[Path, dict]) -> None:
    import matplotlib.image

    out, _ = die
    img = matplotlib.image.imread(out / "die_test.png")
    assert img.shape[0] > 900 and img.shape[1] > 1500


@pytest.mark.slow
def test_rerun_gives_the_same_bytes(die: tuple[Path, dict], tmp_path: Path) -> None:
    out, _ = die
    (tmp_path / "die_test.yaml").write_text(MASK)
    tapeout_file(tmp_path / "die_test.yaml", tmp_path / "again")
    for f in sorted(out.iterdir()):
        assert hashlib.sha256((tmp_path / "again" / f.name).read_bytes()).digest() == \
            hashlib.sha256(f.read_bytes()).digest(), f.name


@pytest.mark.slow
def test_a_broken_pixel_on_the_die_is_caught_where_it_is(die: tuple[Path, dict], tmp_path: Path) -> None:
    """Top ITO dropped on the bottom electrode's lead of device A05, outside the pixel dielectric: a short."""
    out, doc = die
    a05 = next(d for d in doc["devices"] if d["device_id"] == "A05")
    x, y = round(a05["x_um"] * 1000), round(a05["y_um"] * 1000)
    layout = read(out / "die_test.gds")
    patch = kdb.Box(x - 88_000, y - 10_000, x - 78_000, y + 10_000)  # dielectric ends at x - 70 um
    layout.top_cell().shapes(layout.find_layer(*LAYER_NUMBERS["ITO_TOP"])).insert(patch)
    layout.write(str(tmp_path / "broken.gds"))
    (v,) = check_gds(tmp_path / "broken.gds")
    assert (v.layer, v.rule) == ("ITO_TOP&ITO_BOTTOM", "ito_short")
    assert v.bbox_um == pytest.approx((patch.left / 1000, patch.bottom / 1000, patch.right / 1000, patch.top / 1000))
    nearest = min(doc["devices"], key=lambda d: (d["x_um"] - v.x_um) ** 2 + (d["y_um"] - v.y_um) ** 2)
    assert nearest["device_id"] == "A05"
    p = subprocess.run([PEROCAV, "drc", str(tmp_path / "broken.gds")], capture_output=True, text=True)
    assert p.returncode == 1 and f"ITO_TOP&ITO_BOTTOM: ito_short: shape outside (rule 5000 nm) at " \
        f"({v.x_um:.3f}, {v.y_um:.3f}) um" in p.stdout


def test_a_pixel_whose_dielectric_barely_covers_the_overlap_is_caught() -> None:
    """A legal-looking led_pixel with a 2 um dielectric margin: the ITO overlap comes 2 um from the
    dielectric edge (rule 5 um) on all four sides; the default 20 um margin is clean."""
    from perocav.layout.led_pixel import led_pixel

    assert check_component(led_pixel()) == []
    v = check_component(led_pixel(pixel_def_margin_um=2.0))
    assert v and all((x.layer, x.rule, x.measured_nm) == ("ITO_TOP&ITO_BOTTOM", "ito_overlap_margin", 2000) for x in v)
    box = kdb.Box()
    for x in v:
        box += kdb.Box(*(round(c * 1000) for c in x.bbox_um))
    assert box == kdb.Box(-52_000, -52_000, 52_000, 52_000)  # overlap 100 um square, dielectric 104 um


def test_overlap_outside_any_pixel_is_a_short_at_its_place() -> None:
    c = gf.Component()
    c.shapes(gf.get_layer("ITO_BOTTOM")).insert(kdb.Box(0, 0, 50_000, 10_000))
    c.shapes(gf.get_layer("ITO_TOP")).insert(kdb.Box(40_000, -20_000, 60_000, 30_000))
    c.shapes(gf.get_layer("PIXEL_DEF")).insert(kdb.Box(-100_000, 100_000, -50_000, 150_000))
    (v,) = check_layout(c.kcl.layout, c.kdb_cell)
    assert (v.rule, v.bbox_um, v.x_um, v.y_um) == ("ito_short", (40.0, 0.0, 50.0, 10.0), 45.0, 5.0)


@pytest.mark.slow
def test_alignment_marks_on_all_four_sides(die: tuple[Path, dict]) -> None:
    """Issue 26: marks on every edge of the die: two on top, one on the bottom, one turned on each side."""
    out, _ = die
    layout = read(out / "die_test.gds")
    W, H, band = 5_250_000, 3_500_000, 50_000 + 250_000  # die, frame + margin
    sides = {"top": 0, "bottom": 0, "left": 0, "right": 0}
    for inst in layout.top_cell().each_inst():
        if layout.cell(inst.cell_index).name != "alignment_mark":
            continue
        b = inst.bbox()
        assert b.left >= 50_000 and b.right <= W - 50_000 and b.bottom >= 50_000 and b.top <= H - 50_000
        side = ("top" if b.bottom >= H - band else "bottom" if b.top <= band else
                "left" if b.right <= band else "right" if b.left >= W - band else "inside")
        sides[side] += 1
    assert sides == {"top": 2, "bottom": 1, "left": 1, "right": 1}
    assert check_gds(out / "die_test.gds") == []


@pytest.mark.slow
def test_every_level_file_carries_each_device_id(die: tuple[Path, dict]) -> None:
    """Issue 26: ids on every level. Each level file holds, around a laser device, that device exactly as the cell
    draws it, and the id (what the device with its label adds to the one without) on every level it is drawn on:
    the design all six, its controls their own (the level name on each file: the test above)."""
    from perocav.layout import cells
    from perocav.layout.laser_device import call_checked

    out, doc = die
    devices = [d for d in doc["devices"] if d["device_id"] in ("A08", "A19", "A20")]  # design and its two controls
    assert [d["role"] for d in devices] == ["design", "control", "control"]
    for level in LITHO_LEVELS:
        one = read(out / f"die_test_{level}.gds")
        for d in devices:
            drawn = [call_checked(cells["laser_device"], {**d["params"], "label": lab}, field="")
                     for lab in (d["device_id"], "")]
            with_id, bare = (kdb.Region(c.kdb_cell.begin_shapes_rec(gf.get_layer(level))).merged().moved(
                *_shift({"x_um": 0, "y_um": 0}, d)) for c in drawn)
            x, y = _shift({"x_um": 0, "y_um": 0}, d)
            got = region(one, level, kdb.Box(x - 200_000, y - 140_000, x + 200_000, y + 140_000))  # this device only
            assert (got ^ with_id).is_empty(), (level, d["device_id"])
            assert (got - bare).is_empty() is (level not in drawn[0].info["id_levels"]), (level, d["device_id"])


@pytest.mark.slow
def test_manifest_states_each_levels_resist_tone(die: tuple[Path, dict]) -> None:
    from perocav.pdk.level_polarity import POLARITY

    _, doc = die
    for level in LITHO_LEVELS:
        note, pol = doc["lithography"][level], POLARITY[level]
        assert note["resist_tone"] == pol.tone in ("positive", "negative")
        assert note["drawn_exposed"] is pol.drawn_exposed and note["mask_field"] == pol.mask_field
        assert note["drawn_is"] in ("kept", "removed") and note["process"]
    assert doc["lithography"]["GRATING"]["drawn_exposed"] is True
    assert doc["lithography"]["ITO_BOTTOM"]["drawn_exposed"] is False
