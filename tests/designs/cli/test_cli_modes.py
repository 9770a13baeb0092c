"""`perocav modes` end to end, stack files, and one-line errors for bad input."""

import json

import pytest

from perocav.fdtd.models.slab.slab_fd import solve_slab_fd
from perocav.pdk.stack_file import load_stack_file
from tests.conftest import assert_one_line_error

pytestmark = pytest.mark.slow

USER_STACK = """\
name: my_stack
substrate: SiO2          # a material name, or {n: 1.45, k: 0}
cover: air
layers:                  # bottom to top
  - {name: ito_bottom, material: ITO, thickness_nm: 20}
  - {name: perovskite, material: {n: 2.55, k: 0}, thickness_nm: 150}
"""


def test_modes_json_builtin_stack(cli):
    proc = cli("modes", "--stack", "transparent", "--wavelength-nm", "780", "--json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    for key in ("neff_real", "neff_imag", "loss_per_cm", "confinement"):
        assert key in out
    assert 2.0 < out["neff_real"] < 2.525 and out["loss_per_cm"] > 0
    assert set(out["confinement"]) == {"substrate", "grating", "ito_bottom", "perovskite", "ito_top", "cover"}
    assert sum(out["confinement"].values()) == pytest.approx(1.0, abs=1e-9)


def test_modes_user_stack_file_agrees_with_fd(cli, tmp_path):
    path = tmp_path / "my_stack.yaml"
    path.write_text(USER_STACK)
    proc = cli("modes", "--stack", path, "--wavelength-nm", "780", "--pol", "TM", "--json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    fd = solve_slab_fd(profile=load_stack_file(path).index_profile(wavelength_nm=780), pol="TM")
    assert abs(complex(out["neff_real"], out["neff_imag"]) - fd.neff) < 1e-4
    assert out["loss_per_cm"] == pytest.approx(fd.loss_per_cm, rel=0.02)


def test_modes_fd_method_and_plot(cli, tmp_path):
    a = json.loads(cli("modes", "--stack", "conventional", "--json").stdout)
    b = json.loads(cli("modes", "--stack", "conventional", "--method", "fd", "--json").stdout)
    assert abs(a["neff_real"] - b["neff_real"]) < 1e-4
    png = tmp_path / "mode.png"
    proc = cli("modes", "--stack", "transparent_CsPbBr3", "--plot", png)
    assert proc.returncode == 0 and png.stat().st_size > 10_000 and "perovskite" in proc.stdout


def test_thickness_override(cli):
    thin = json.loads(cli("modes", "--stack", "transparent", "--thickness", "perovskite=80", "--json").stdout)
    thick = json.loads(cli("modes", "--stack", "transparent", "--json").stdout)
    assert thin["confinement"]["perovskite"] < thick["confinement"]["perovskite"]


BAD_STACK_FILES = {
    "unknown material": ("layers: [{name: a, material: Unobtainium, thickness_nm: 20}]", "layers.0.material", "SiO2"),
    "negative thickness": ("layers: [{name: a, material: ITO, thickness_nm: -20}]", "layers.0.thickness_nm", ">= 0"),
    "malformed yaml": ("layers: [{name: a\n", "file", "valid YAML"),
    "missing layers": ("cover: air", "layers", ""),
    "unknown key": ("layers: [{name: a, material: ITO, thickness_nm: 20, colour: red}]", "layers.0.colour", ""),
    "bad constant": ("layers: [{name: a, material: {n: -2}, thickness_nm: 20}]", "layers.0.material", ""),
    "not a mapping": ("- just\n- a list", "file", ""),
}


@pytest.mark.parametrize("case", list(BAD_STACK_FILES))
def test_bad_stack_file_one_line(cli, tmp_path, case):
    body, field, allowed = BAD_STACK_FILES[case]
    text = body if case in ("malformed yaml", "not a mapping") else f"name: bad\nsubstrate: SiO2\n{body}\n"
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    line = assert_one_line_error(cli("modes", "--stack", path, "--wavelength-nm", "780"), str(path), field)
    assert allowed in line


@pytest.mark.parametrize("args,needles", [
    (["--stack", "transparent", "--wavelength-nm", "1200"], ["wavelength_nm", "outside the data", "401.048-999.961 nm"]),
    (["--stack", "nonsense"], ["stack", "unknown stack 'nonsense'", "transparent"]),
    (["--stack", "transparent", "--pol", "XY"], ["--pol", "TE, TM"]),
    (["--stack", "transparent", "--wavelength-nm", "-5"], ["--wavelength-nm", "> 0 nm"]),
    (["--stack", "transparent", "--thickness", "perovskite=-3"], ["perovskite.thickness_nm", "0-5000 nm"]),
    (["--stack", "transparent", "--thickness", "nolayer=30"], ["no layer 'nolayer'"]),
])
def test_bad_cli_input_one_line(cli, args, needles):
    assert_one_line_error(cli("modes", *args), *needles)


def test_no_guided_mode_is_reported_not_a_number(cli, tmp_path):
    path = tmp_path / "leaky.yaml"
    path.write_text("name: leaky\nsubstrate: SiO2\nlayers: [{name: a, material: {n: 1.6}, thickness_nm: 20}]\n")
    proc = cli("modes", "--stack", path, "--wavelength-nm", "780", "--json")
    assert proc.returncode == 1 and json.loads(proc.stdout)["guided"] is False
