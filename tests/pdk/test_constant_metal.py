"""A constant-index material takes any n > 0 with k >= 0 (issue 21.6): a metal in the infrared (n < 1) is a valid
stack layer, and the PDK's conventional stack with its Ag cathode given as the constant Rakic index at 780 nm has
the same guided mode as with the PDK's dispersive Rakic Ag."""

from __future__ import annotations

import pytest
import yaml

from perocav.fdtd.models.slab.slab_modes import solve_slab_mode
from perocav.pdk.errors import InputError
from perocav.pdk.materials import get_material
from perocav.pdk.stack_file import load_stack_file
from perocav.pdk.stacks import get_stack

WAVELENGTH_NM = 780.0


def _with_constant_cathode(tmp_path, *, n: float, k: float):
    """The conventional MAPbI3 stack written as a user's stack file, its Ag cathode replaced by ``{n, k}``."""
    doc = get_stack("conventional_MAPbI3").model_dump(mode="json", exclude_none=True)
    for layer in doc["layers"]:
        if layer["name"] == "cathode":
            layer["material"] = {"n": n, "k": k}
    path = tmp_path / "conventional_constant_ag.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False))
    return load_stack_file(path)


def test_constant_ag_matches_rakic_ag(tmp_path):
    ag = complex(get_material("Ag").nk(wavelength_nm=WAVELENGTH_NM))
    assert ag.real < 1  # the point of the test: a metal's n is below 1
    const = _with_constant_cathode(tmp_path, n=round(ag.real, 5), k=round(ag.imag, 5))
    ref = solve_slab_mode(profile=get_stack("conventional_MAPbI3").index_profile(wavelength_nm=WAVELENGTH_NM))
    got = solve_slab_mode(profile=const.index_profile(wavelength_nm=WAVELENGTH_NM))
    assert got.neff.real == pytest.approx(ref.neff.real, abs=1e-6)
    assert got.loss_per_cm == pytest.approx(ref.loss_per_cm, rel=1e-4)
    assert ref.loss_per_cm > 100  # the Ag cathode absorbs: the comparison tests the metal, not a lossless stack


def test_issue_value_of_ag_is_accepted_and_close(tmp_path):
    """n 0.14, k 4.5 (the value the issue quotes) is accepted; its n_eff is within 0.005 and its loss within 10 % of Rakic's (k 4.88 there)."""
    const = _with_constant_cathode(tmp_path, n=0.14, k=4.5)
    ref = solve_slab_mode(profile=get_stack("conventional_MAPbI3").index_profile(wavelength_nm=WAVELENGTH_NM))
    got = solve_slab_mode(profile=const.index_profile(wavelength_nm=WAVELENGTH_NM))
    assert got.neff.real == pytest.approx(ref.neff.real, abs=5e-3)
    assert got.loss_per_cm == pytest.approx(ref.loss_per_cm, rel=0.1)


@pytest.mark.parametrize("n, k", [(0.0, 1.0), (-0.5, 0.0), (1.5, -0.1)])
def test_constant_index_bounds(tmp_path, n, k):
    with pytest.raises(InputError) as err:
        _with_constant_cathode(tmp_path, n=n, k=k)
    assert "layers.4.material" in str(err.value)
