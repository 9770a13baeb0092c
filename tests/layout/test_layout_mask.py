"""Mask assembly from the example YAML through the CLI: a DRC-clean die, the same bytes every time,
one GDS per level, GDS metadata, a manifest whose every row points at the right device, refusal to
write a mask that violates the rules, and one-line errors for bad mask files."""

from __future__ import annotations

import csv
import hashlib
import json
import math
import subprocess
import sys
from pathlib import Path

import klayout.db as kdb
import pytest

from perocav.layout.drc import check_gds
from perocav.layout.gds_io import read_metadata
from perocav.layout.tapeout import gds_labels
from perocav.pdk.layer_map import LAYER_NUMBERS, LITHO_LEVELS
from tests.paths import REPO_ROOT

ROOT = REPO_ROOT
EXAMPLE = ROOT / "designs" / "masks" / "example_mask.yaml"
PEROCAV = str(Path(sys.executable).with_name("perocav"))
NAME = "perocav_demo"


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([PEROCAV, *args], capture_output=True, text=True, cwd=ROOT)


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("mask")
    p = run("mask", str(EXAMPLE), "-o", str(d), "--json")
    assert p.returncode == 0, p.stderr
    summary = json.loads(p.stdout)
    assert summary["written"] and summary["violations"] == [] and summary["n_devices"] == 34
    return d


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def region(layout: kdb.Layout, layer: str, box: kdb.Box | None = None) -> kdb.Region:
    idx = layout.find_layer(*LAYER_NUMBERS[layer])
    r = kdb.Region(layout.top_cell().begin_shapes_rec(idx)).merged()
    return r & kdb.Region(box) if box is not None else r


@pytest.mark.slow
def test_outputs_and_no_temp_files(out: Path) -> None:
    names = sorted(p.name for p in out.iterdir() if p.name != ".perocav.lock")  # the output folder's lock
    assert names == sorted([f"{NAME}.gds", *(f"{NAME}_{lv}.gds" for lv in LITHO_LEVELS), f"{NAME}.lyp",
                            f"{NAME}.png", f"{NAME}_manifest.csv", f"{NAME}_manifest.json"])


@pytest.mark.slow
def test_die_is_drc_clean(out: Path) -> None:
    assert check_gds(out / f"{NAME}.gds") == []


@pytest.mark.slow
def test_same_mask_file_gives_same_bytes(out: Path, tmp_path: Path) -> None:
    p = run("mask", str(EXAMPLE), "-o", str(tmp_path))
    assert p.returncode == 0, p.stderr
    for f in out.iterdir():
        if f.name != ".perocav.lock":
            assert sha(tmp_path / f.name) == sha(f), f.name


@pytest.mark.slow
def test_one_gds_per_level_holds_only_that_level(out: Path) -> None:
    """Each level file: that level's shapes of the die, plus its frame and level name outside the DOE area."""
    full = kdb.Layout()
    full.read(str(out / f"{NAME}.gds"))
    doe = kdb.Box(450_000, 450_000, 3_550_000, 3_050_000)  # inside frame (50 um) and margin (400 um)
    for level in LITHO_LEVELS:
        one = kdb.Layout()
        one.read(str(out / f"{NAME}_{level}.gds"))
        assert [(i.layer, i.datatype) for i in one.layer_infos()] == [LAYER_NUMBERS[level]]
        assert (region(full, level) - region(one, level)).is_empty(), level
        assert (region(one, level) - region(full, level)).inside(kdb.Region(doe)).is_empty(), level


@pytest.mark.slow
def test_gds_metadata(out: Path) -> None:
    meta = read_metadata(out / f"{NAME}.gds")
    assert meta["mask_name"] == NAME and meta["mask_sha256"] == sha(EXAMPLE) and meta["n_devices"] == 34
    assert meta["levels"] == list(LITHO_LEVELS)
    assert [d["device_id"] for d in meta["devices"]][:3] == ["A01", "A02", "A03"]


@pytest.mark.slow
def test_manifest_csv_and_json_agree_and_ids_are_unique(out: Path) -> None:
    rows = list(csv.DictReader((out / f"{NAME}_manifest.csv").open()))
    doc = json.loads((out / f"{NAME}_manifest.json").read_text())
    assert len(rows) == len(doc["devices"]) == 34
    assert len({r["device_id"] for r in rows}) == 34
    for r, d in zip(rows, doc["devices"], strict=True):
        assert r["device_id"] == d["device_id"] and float(r["x_um"]) == d["x_um"] and float(r["y_um"]) == d["y_um"]
    a = [d for d in doc["devices"] if d["group"] == "dfb_period_duty"]
    assert [(d["params"]["cavity_params"]["period_nm"], d["params"]["cavity_params"]["duty_cycle"]) for d in a] == [
        (390, 0.45), (390, 0.55), (400, 0.45), (400, 0.55), (410, 0.45), (410, 0.55)]
    assert a[0]["params"]["pixel_params"]["opening_diameter_um"] == 50  # defaults and given values alike
    assert rows[0]["param.cavity_params.n_periods"] == "250"


@pytest.mark.slow
def test_every_manifest_row_points_at_its_device(out: Path) -> None:
    """Read the GDS back: the id label sits at the manifest position, the pixel opening is centred
    there, and the cavity measured there has the manifest's parameters."""
    gds = out / f"{NAME}.gds"
    labels = gds_labels(gds)
    layout = kdb.Layout()
    layout.read(str(gds))
    doc = json.loads((out / f"{NAME}_manifest.json").read_text())
    assert set(labels) == {d["device_id"] for d in doc["devices"]}
    for d in doc["devices"]:
        x, y = round(d["x_um"] * 1000), round(d["y_um"] * 1000)
        assert labels[d["device_id"]] == (d["x_um"], d["y_um"])
        window = kdb.Box(x - 60_000, y - 60_000, x + 60_000, y + 60_000)
        holes = region(layout, "PIXEL_DEF", window).holes()
        if d["control"] == "no_electrodes":  # the optically pumped control: no pixel, the film centred there
            assert holes.is_empty() and region(layout, "PEROVSKITE", window).bbox().center() == kdb.Point(x, y)
        else:
            assert holes.count() == 1 and holes.bbox().center() == kdb.Point(x, y), d["device_id"]
        cav, p = d["params"]["cavity"], d["params"]["cavity_params"]
        if cav == "none":
            assert region(layout, "GRATING", window).is_empty(), d["device_id"]
        grating = region(layout, "GRATING", window)
        if cav == "dfb_grating" and p["order"] == 2 and p["apodization"] == "none":
            teeth = sorted(b.bbox().left for b in grating.each())
            assert {b - a for a, b in zip(teeth, teeth[1:])} == {p["period_nm"]}, d["device_id"]
            widths = {b.bbox().width() for b in grating.each()}
            assert widths == {round(p["duty_cycle"] * p["period_nm"])}, d["device_id"]
        elif cav == "ring_resonator":
            (ring,) = list(grating.each())
            assert ring.bbox().width() / 2 == pytest.approx(p["outer_radius_um"] * 1000 / math.cos(math.pi / 8 / 1),
                                                            rel=0.1)
            assert abs(ring.bbox().center().x - x) <= 1 and abs(ring.bbox().center().y - y) <= 1
            r_out = min(math.hypot(pt.x - x, pt.y - y) for pt in ring.each_point_hull())
            assert p["outer_radius_um"] * 1000 - 1 <= r_out <= p["outer_radius_um"] * 1000 * 1.0001
        elif cav == "circular_grating":
            rings = sorted(grating.each(), key=lambda q: q.bbox().width())
            assert len(rings) == p["n_rings"]
            inner = [min(math.hypot(pt.x - x, pt.y - y) for pt in q.each_point_hole(0)) for q in rings]
            steps = {round(b - a) for a, b in zip(inner, inner[1:])}
            assert steps <= {p["period_nm"] - 1, p["period_nm"], p["period_nm"] + 1}, d["device_id"]


@pytest.mark.slow
def test_refuses_to_write_a_mask_that_violates_the_rules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture) -> None:
    """With a stricter GRATING space rule (190 nm) the 0.55-duty DFBs (175-184 nm gaps) and the 1st-order
    sections of the mixed-order DFB (100 nm gaps) violate it."""
    from perocav.designs import cli
    from perocav.layout import drc
    from perocav.pdk.rules import DESIGN_RULES, LayerRule

    strict = DESIGN_RULES.model_copy(update={"layers": {**DESIGN_RULES.layers,
                                                        "GRATING": LayerRule(min_width_nm=50, min_space_nm=190)}})
    monkeypatch.setattr(drc, "DESIGN_RULES", strict)
    monkeypatch.setattr(sys, "argv", ["perocav", "mask", str(EXAMPLE), "-o", str(tmp_path / "refused")])
    with pytest.raises(SystemExit) as ex:
        cli.main()
    err = capsys.readouterr().err
    assert ex.value.code == 1
    assert not (tmp_path / "refused").exists()
    assert "DRC GRATING: min_space: 175 nm < 190 nm at (" in err and "DRC GRATING: min_space: 100 nm < 190 nm" in err
    assert err.strip().splitlines()[-1].startswith("error: mask perocav_demo not written: ")
    monkeypatch.setattr(sys, "argv", ["perocav", "mask", str(EXAMPLE), "-o", str(tmp_path / "forced"),
                                      "--allow-drc-violations"])
    cli.main()  # returns normally on success
    assert (tmp_path / "forced" / f"{NAME}.gds").is_file()
    assert "946 DRC violations" in capsys.readouterr().out


BAD_MASKS = [
    ("name: m\nfoo: 1\nsweeps: []\n", "foo: Extra inputs are not permitted (allowed: known keys only)"),
    ("name: m\ndie: {pitch_x_um: -5}\n", "die.pitch_x_um: Input should be greater than 0"),
    ("name: m\nsweeps:\n  - name: s\n    cavity: dfb\n    vary: {x: [1]}\n", "sweeps[0].cavity: Extra inputs"),
    ("name: m\nsweeps:\n  - name: s\n    params: {cavity: dfb_grating}\n    vary: {cavity_params.duty_cycle: [0.5, 1.5]}\n",
     "sweeps[0] (A02).params.cavity_params.duty_cycle: 1.5 is outside (0, 1) (allowed: 0 < value < 1)"),
    ("name: m\ndevices:\n  - params: {pixel_params: {opening_diameter_um: 150}}\n",
     "devices[0] (A01).params.pixel_params.opening_diameter_um: opening 150 um does not fit"),
    ("name: m\ndie: {pitch_x_um: 200}\ndevices:\n  - params: {}\n", "die.pitch_x_um: device A01 is 388 um wide"),
]


@pytest.mark.slow
def test_bad_mask_file_stops_with_one_line_from_the_console_script(tmp_path: Path) -> None:
    f = tmp_path / "bad.yaml"
    f.write_text(BAD_MASKS[3][0])
    p = run("mask", str(f), "-o", str(tmp_path / "out"))
    assert p.returncode == 2
    assert p.stderr.splitlines() == [f"error: {f}: {BAD_MASKS[3][1]}"]
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(("text", "expected"), BAD_MASKS)
def test_bad_mask_file_stops_with_one_line(tmp_path: Path, text: str, expected: str, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture) -> None:
    """Same entry point as the console script (``cli.main``), in-process to save start-up time."""
    from perocav.designs import cli

    f = tmp_path / "bad.yaml"
    f.write_text(text)
    monkeypatch.setattr(sys, "argv", ["perocav", "mask", str(f), "-o", str(tmp_path / "out")])
    with pytest.raises(SystemExit) as ex:
        cli.main()
    assert ex.value.code == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {f}: "), lines
    assert expected in lines[0], lines[0]
    assert not (tmp_path / "out").exists()
