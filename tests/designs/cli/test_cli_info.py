"""`perocav --version`, `perocav stacks`, `perocav materials` (list, one, --plot, --json) and unwrapped console lines."""

import json
import os
import subprocess
import sys
from importlib.metadata import version

import pytest

from perocav.pdk.materials import get_material, material_names
from perocav.pdk.stacks import stack_names
from tests.conftest import assert_one_line_error

pytestmark = pytest.mark.slow

USER_STACK = """\
name: my_stack
substrate: SiO2
cover: air
layers:
  - {name: ito_bottom, material: ITO, thickness_nm: 25}
  - {name: perovskite, material: {n: 2.55, k: 0}, thickness_nm: 120, role: gain}
emission_wavelength_nm: 780
"""


def test_version(cli):
    proc = cli("--version")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == f"perocav {version('perocav')}"


def test_stacks_list_names_every_builtin_stack(cli):
    proc = cli("stacks", "--json")
    assert proc.returncode == 0, proc.stderr
    listed = json.loads(proc.stdout)["stacks"]
    assert [s["name"] for s in listed] == list(stack_names())
    by_name = {s["name"]: s for s in listed}
    assert by_name["transparent_CsPbBr3"]["emission_wavelength_nm"] == 525
    text = cli("stacks")
    assert text.returncode == 0 and all(n in text.stdout for n in stack_names())


def test_stacks_show_one_with_layers_and_indices(cli):
    proc = cli("stacks", "transparent_MAPbI3", "--json")
    assert proc.returncode == 0, proc.stderr
    d = json.loads(proc.stdout)
    assert d["wavelength_nm"] == 780 and d["gain_layer"] == "perovskite"
    rows = {r["name"]: r for r in d["layers"]}
    assert [r["name"] for r in d["layers"]][0] == "substrate" and d["layers"][-1]["name"] == "cover"
    assert rows["ito_bottom"]["thickness_nm"] == 20 and rows["perovskite"]["thickness_nm"] == 150
    # n, k are the library's at the emission wavelength (Phillips 2015 MAPbI3; thin-film ITO k 0.0046 at 780 nm)
    mapbi3 = get_material("MAPbI3").nk(wavelength_nm=780)
    assert rows["perovskite"]["n"] == pytest.approx(mapbi3.real) and rows["perovskite"]["k"] == pytest.approx(mapbi3.imag)
    assert rows["ito_top"]["k"] == pytest.approx(0.0046, abs=2e-4)
    # the grating level is the volume average of its teeth and fill (50 % Si3N4 in SiO2)
    n_sin, n_sio2 = (get_material(m).nk(wavelength_nm=780) for m in ("Si3N4", "SiO2"))
    assert rows["grating"]["n"] == pytest.approx(((n_sin**2 + n_sio2**2) / 2) ** 0.5, rel=1e-6)
    assert "Si3N4 teeth in SiO2" in rows["grating"]["material"]
    text = cli("stacks", "transparent_MAPbI3", "--wavelength-nm", "800")
    assert text.returncode == 0 and "perovskite" in text.stdout and "800 nm" in text.stdout


def test_stacks_from_a_file_and_bad_name(cli, tmp_path):
    path = tmp_path / "my_stack.yaml"
    path.write_text(USER_STACK)
    d = json.loads(cli("stacks", path, "--json").stdout)
    assert d["name"] == "my_stack" and [r["thickness_nm"] for r in d["layers"][1:-1]] == [25, 120]
    assert d["layers"][2]["n"] == pytest.approx(2.55)
    assert_one_line_error(cli("stacks", "no_such_stack"), "no_such_stack", "transparent")


def test_materials_list_has_ranges_and_citations(cli):
    proc = cli("materials", "--json")
    assert proc.returncode == 0, proc.stderr
    mats = {m["name"]: m for m in json.loads(proc.stdout)["materials"]}
    assert list(mats) == list(material_names())
    ito = get_material("ITO")
    assert mats["ITO"]["wavelength_min_nm"] == ito.wavelength_min_nm
    assert mats["ITO"]["wavelength_max_nm"] == ito.wavelength_max_nm
    assert "Moerland" in mats["ITO"]["citation_short"] and "<" not in mats["ITO"]["citation"]
    assert mats["air"]["wavelength_min_nm"] is None and mats["air"]["wavelength_max_nm"] is None
    text = cli("materials")
    assert "Malitson 1965" in text.stdout and "401-1000 nm" in text.stdout


def test_materials_one_value_and_plot(cli, tmp_path):
    png = tmp_path / "ito.png"
    proc = cli("materials", "ITO", "--wavelength-nm", "780", "--plot", png, "--json")
    assert proc.returncode == 0, proc.stderr
    d = json.loads(proc.stdout)
    assert d["k"] == pytest.approx(0.0046, abs=2e-4)  # thin-film ITO at 780 nm (issue 12, physics brief)
    assert png.read_bytes()[:4] == b"\x89PNG" and png.stat().st_size > 10_000
    assert_one_line_error(cli("materials", "ITO", "--wavelength-nm", "1500"), "--wavelength-nm", "401.048-999.961 nm")
    assert_one_line_error(cli("materials", "unobtainium"), "unobtainium")
    assert_one_line_error(cli("materials", "--plot", tmp_path / "x.png"), "--plot")
    assert not (tmp_path / "x.png").exists()


def test_modes_help_points_to_an_existing_command(cli):
    help_text = cli("modes", "--help").stdout
    assert "perocav stacks" in help_text
    assert cli("stacks").returncode == 0


def test_console_lines_do_not_wrap_mid_phrase(tmp_path):
    env = {**os.environ, "COLUMNS": "50"}
    proc = subprocess.run([sys.executable, "-W", "ignore", "-m", "perocav.designs.cli", "modes", "--stack",
                           "transparent", "--wavelength-nm", "780"], capture_output=True, text=True, env=env,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr
    line = next(x for x in proc.stdout.splitlines() if "n_eff =" in x)
    assert "modal loss alpha =" in line and line.rstrip().endswith("1/cm"), proc.stdout
