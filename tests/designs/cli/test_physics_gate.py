"""The physics-aware input gate (issue 22.2, issue 21.6): what `perocav run` would refuse, crash on or fail every
point of, `perocav validate` refuses first, in one line naming the file and the field, writing nothing."""

from __future__ import annotations

import pytest

from tests.inproc import assert_clean_refusal, run_inproc

DESIGN = """\
name: gate
stack: {name: transparent_MAPbI3, thickness_nm: {THICKNESS}}
cavity: {type: dfb, order: 2, period_nm: 380, duty_cycle: 0.5, n_periods: 250}
sweep: {grid: {SWEEP}}
"""

# id -> (stack thickness overrides, sweep grid, needles of the one error line)
CASES = {
    "gain-layer-0": ("perovskite: 0", "period_nm: [375, 380]",
                     ["stack.thickness_nm.perovskite", "gain layer 'perovskite' is 0 nm thick", "1-5000 nm"]),
    "gain-layer-tiny": ("perovskite: 0.001", "period_nm: [380]", ["stack.thickness_nm.perovskite", "1-5000 nm"]),
    "grating-0": ("grating: 0", "period_nm: [375, 380]",
                  ["stack.thickness_nm.grating", "grating level 'grating' is 0 nm deep", "1-5000 nm"]),
    "thickness-999999": ("perovskite: 999999", "period_nm: [380]", ["stack.thickness_nm.perovskite", "<= 5000"]),
    "swept-grating-0": ("perovskite: 150", "period_nm: [380], thickness_nm.grating: [50, 0]",
                        ["sweep.grid.thickness_nm.grating", "0 nm deep"]),
    "swept-thickness-huge": ("perovskite: 150", "thickness_nm.ito_top: [20, 6000]",
                             ["sweep.grid.thickness_nm.ito_top", "<= 5000"]),
    "off-grid-period-step": ("perovskite: 150", "period_nm: {start: 370, stop: 375, step: 2.5}",
                             ["sweep.grid.period_nm", "372.5 nm is not on the 1 nm grid", "integer nm"]),
    "off-grid-period-list": ("perovskite: 150", "period_nm: [380, 380.4]", ["sweep.grid.period_nm", "380.4"]),
}


@pytest.mark.parametrize("case", list(CASES))
def test_validate_refuses_what_run_cannot_do(tmp_path, case):
    thickness, sweep, needles = CASES[case]
    path = tmp_path / "d.yaml"
    path.write_text(DESIGN.replace("THICKNESS", thickness).replace("SWEEP", sweep))
    before = sorted(tmp_path.iterdir())
    line = assert_clean_refusal(run_inproc("validate", path), str(path), *needles)
    assert sorted(tmp_path.iterdir()) == before, line


def test_off_grid_cavity_period_without_sweep(tmp_path):
    path = tmp_path / "d.yaml"
    path.write_text("name: g\nstack: {name: transparent_MAPbI3}\ncavity: {type: dfb, period_nm: 380.5}\n")
    assert_clean_refusal(run_inproc("validate", path), "cavity.period_nm", "380.5 nm is not on the 1 nm grid")


STACK = """\
name: s
substrate: SiO2
emission_wavelength_nm: 780
layers:
LAYERS
"""
GRATING = "  - {name: grating, material: Si3N4, fill_material: SiO2, thickness_nm: 50, role: grating}"
GAIN = "  - {name: film, material: {n: 2.5, k: 0}, thickness_nm: 150, role: gain}"
METAL = "  - {name: cathode, material: {n: 0.14, k: 4.5}, thickness_nm: 100, role: metal}"


@pytest.mark.parametrize("layers, needles", [
    ([GAIN], ["stack(s.yaml).layers", "has no grating level"]),
    ([GRATING], ["stack(s.yaml).layers", "has no gain layer"]),
    ([GRATING.replace("50", "0.2"), GAIN], ["stack(s.yaml).layers.0.thickness_nm", "0.2 nm deep", "1-5000 nm"]),
    ([GRATING, GAIN.replace("150", "0")], ["stack(s.yaml).layers.1.thickness_nm", "'film' is 0 nm thick"]),
])
def test_stack_without_the_levels_a_laser_needs(tmp_path, layers, needles):
    (tmp_path / "s.yaml").write_text(STACK.replace("LAYERS", "\n".join(layers)))
    path = tmp_path / "d.yaml"
    path.write_text("name: g\nstack: {name: s.yaml}\ncavity: {type: dfb, period_nm: 380}\n")
    assert_clean_refusal(run_inproc("validate", path), str(path), *needles)


def test_constant_index_metal_in_a_stack_file_is_valid(tmp_path):
    (tmp_path / "s.yaml").write_text(STACK.replace("LAYERS", "\n".join([GRATING, GAIN, METAL])))
    path = tmp_path / "d.yaml"
    path.write_text("name: g\nstack: {name: s.yaml}\ncavity: {type: dfb, period_nm: 380}\n")
    res = run_inproc("validate", path)
    assert res.returncode == 0 and "valid" in res.stdout, res.stderr


def test_json_error_is_one_object_on_stdout(tmp_path):
    import json

    path = tmp_path / "d.yaml"
    path.write_text(DESIGN.replace("THICKNESS", "perovskite: 0").replace("SWEEP", "period_nm: [380]"))
    res = run_inproc("validate", path, "--json")
    assert_clean_refusal(res, "stack.thickness_nm.perovskite")
    obj = json.loads(res.stdout)
    assert obj["field"] == "stack.thickness_nm.perovskite" and obj["allowed"] == "1-5000 nm"
    assert obj["error"] == res.error_lines()[0].removeprefix("error: ")
