"""Malformed design files stop with one line naming the field, exit code 2, and nothing written."""

import json

import pytest

from tests.conftest import assert_one_line_error
from tests.paths import REPO_ROOT

pytestmark = pytest.mark.slow

GOOD = """\
name: t
stack: {name: transparent_MAPbI3}
cavity: {type: dfb, order: 2, period_nm: 380, duty_cycle: 0.4, n_periods: 100}
sweep:
  grid:
    duty_cycle: [0.3, 0.6]
fidelity: analytic
"""

# case -> (file text, text the error line must contain)
BAD = {
    "malformed yaml": ("name: t\nstack: {name: x\n", "file"),
    "not a mapping": ("- a\n- b\n", "file"),
    "empty file": ("", "file"),
    "missing name": (GOOD.replace("name: t\n", "", 1), "name"),
    "missing stack": (GOOD.replace("stack: {name: transparent_MAPbI3}\n", ""), "stack"),
    "missing cavity": (GOOD.replace("cavity: {type: dfb, order: 2, period_nm: 380, duty_cycle: 0.4, n_periods: 100}\n", ""), "cavity"),
    "unknown top-level key": (GOOD + "colour: red\n", "colour"),
    "unknown cavity key": (GOOD.replace("n_periods: 100", "n_periods: 100, perid_nm: 3"), "cavity.dfb.perid_nm"),
    "bad name": (GOOD.replace("name: t", "name: my design"), "name"),
    "unknown stack": (GOOD.replace("transparent_MAPbI3", "opaque_MAPbI3"), "stack"),
    "unknown cavity type": (GOOD.replace("type: dfb", "type: photonic_crystal"), "cavity"),
    "duty above 1": (GOOD.replace("duty_cycle: 0.4", "duty_cycle: 1.2"), "cavity.dfb.duty_cycle"),
    "duty zero": (GOOD.replace("duty_cycle: 0.4", "duty_cycle: 0"), "cavity.dfb.duty_cycle"),
    "feature under rules": (GOOD.replace("period_nm: 380", "period_nm: 80"), "cavity.dfb"),
    "order 3": (GOOD.replace("order: 2", "order: 3"), "cavity.dfb.order"),
    "zero periods": (GOOD.replace("n_periods: 100", "n_periods: 0"), "cavity.dfb.n_periods"),
    "negative thickness": (GOOD.replace("{name: transparent_MAPbI3}", "{name: transparent_MAPbI3, thickness_nm: {perovskite: -5}}"), "stack.thickness_nm.perovskite"),
    "unknown layer thickness": (GOOD.replace("{name: transparent_MAPbI3}", "{name: transparent_MAPbI3, thickness_nm: {pvk: 100}}"), "layer"),
    "unknown sweep axis": (GOOD.replace("duty_cycle: [0.3, 0.6]", "colour: [1, 2]"), "sweep.grid.colour"),
    "sweep value out of range": (GOOD.replace("[0.3, 0.6]", "[0.3, 1.5]"), "sweep.grid.duty_cycle"),
    "sweep value under rules": (GOOD.replace("duty_cycle: [0.3, 0.6]", "period_nm: [380, 90]"), "sweep.grid.period_nm"),
    "range with step and num": (GOOD.replace("[0.3, 0.6]", "{start: 0.3, stop: 0.6, step: 0.1, num: 3}"), "sweep.grid.duty_cycle"),
    "range reversed": (GOOD.replace("[0.3, 0.6]", "{start: 0.6, stop: 0.3, step: 0.1}"), "sweep.grid.duty_cycle"),
    "empty axis": (GOOD.replace("[0.3, 0.6]", "[]"), "sweep.grid.duty_cycle"),
    "zip lengths differ": (GOOD.replace("fidelity:", "  zip: {period_nm: [370, 380], n_periods: [100]}\nfidelity:"), "sweep"),
    "axis in grid and zip": (GOOD.replace("fidelity:", "  zip: {duty_cycle: [0.3, 0.6]}\nfidelity:"), "sweep"),
    "thickness axis unknown layer": (GOOD.replace("duty_cycle: [0.3, 0.6]", "thickness_nm.pvk: [100, 120]"), "layer"),
    "unknown fidelity": (GOOD.replace("fidelity: analytic", "fidelity: quantum"), "fidelity"),
    "window reversed": (GOOD + "objective: {wavelength_window_nm: [800, 770]}\n", "objective.wavelength_window_nm"),
    "unknown rank metric": (GOOD + "objective: {rank_by: beauty}\n", "objective.rank_by"),
    "negative min q": (GOOD + "objective: {min_q: -1}\n", "objective.min_q"),
    "mask top_n zero": (GOOD + "mask: {top_n: 0}\n", "mask.top_n"),
    "negative k2": (GOOD + "gain_material: {k2_cm3_per_s: -2e-10}\n", "gain_material.k2_cm3_per_s"),
    "string for number": (GOOD.replace("period_nm: 380", "period_nm: fourhundred"), "cavity.dfb.period_nm"),
    "circular ring under the rules": (
        "name: c\nstack: {name: transparent_CsPbBr3}\ncavity: {type: circular_dfb, period_nm: 245, duty_cycle: 0.3}\n"
        "sweep: {grid: {duty_cycle: [0.3, 0.1]}}\n", "sweep.grid.duty_cycle"),
    "ring wider than its radius": (
        "name: r\nstack: {name: transparent}\ncavity: {type: ring, outer_radius_um: 0.5, width_nm: 800}\n", "cavity.ring"),
    "missing stack file": ("name: s\nstack: {name: nowhere.yaml}\ncavity: {type: disk}\n", "file"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_design_file(cli, tmp_path, case):
    text, field = BAD[case]
    path = tmp_path / "design.yaml"
    path.write_text(text)
    out = tmp_path / "out"
    for command in (["validate", path], ["run", path, "-o", out, "--no-progress"]):
        line = assert_one_line_error(cli(*command), str(path), field)
        assert "Traceback" not in line
    assert not out.exists()  # nothing written


def test_missing_file(cli, tmp_path):
    assert_one_line_error(cli("validate", tmp_path / "nope.yaml"), "nope.yaml", "file")


def test_good_file_validates(cli, tmp_path):
    path = tmp_path / "design.yaml"
    path.write_text(GOOD)
    proc = cli("validate", path, "--json")
    assert proc.returncode == 0 and json.loads(proc.stdout)["points"] == 2


@pytest.mark.parametrize("path", sorted(REPO_ROOT.joinpath("designs").glob("*.yaml")), ids=lambda p: p.name)
def test_shipped_design_files_validate(cli, path):
    proc = cli("validate", path)
    assert proc.returncode == 0, proc.stderr
