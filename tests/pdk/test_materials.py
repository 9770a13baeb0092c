"""Materials reproduce their tabulated data and the brief's reference numbers; bad lookups fail clearly."""

from importlib import resources

import numpy as np
import pytest
import yaml

from perocav.pdk.errors import InputError
from perocav.pdk.materials import drude_ito, get_material, material_names, resolve_material
from perocav.pdk.materials.library import _RII_FILES


@pytest.mark.parametrize("name", [n for n, (f, _) in _RII_FILES.items()])
def test_tabulated_rows_reproduced(name):
    """Every tabulated row of the shipped refractiveindex.info file comes back exactly."""
    filename = _RII_FILES[name][0]
    doc = yaml.safe_load((resources.files("perocav.pdk.materials") / "data" / filename).read_text())
    mat = get_material(name)
    for entry in doc["DATA"]:
        if not entry["type"].startswith("tabulated"):
            continue
        rows = np.array([[float(v) for v in line.split()] for line in entry["data"].strip().splitlines()])
        rows = rows[(rows[:, 0] * 1000 >= mat.wavelength_min_nm) & (rows[:, 0] * 1000 <= mat.wavelength_max_nm)]
        nk = mat.nk(wavelength_nm=rows[:, 0] * 1000)
        if entry["type"] == "tabulated nk":
            np.testing.assert_allclose(nk.real, rows[:, 1], atol=1e-12)
            np.testing.assert_allclose(nk.imag, rows[:, 2], atol=1e-12)
        elif entry["type"] == "tabulated n":
            np.testing.assert_allclose(nk.real, rows[:, 1], atol=1e-12)
        else:
            np.testing.assert_allclose(nk.imag, rows[:, 1], atol=1e-12)


# physics brief section 4 (refractiveindex.info values at the emission wavelengths)
BRIEF = [
    ("MAPbI3", 780, 2.525, 0.059), ("MAPbI3_Ball", 780, 2.565, 0.198), ("CsPbBr3", 525, 2.366, 0.119),
    ("ITO", 525, 1.945, 0.0023), ("ITO", 780, 1.787, 0.0046), ("ITO_thick", 525, 1.884, 0.0077),
    ("ITO_thick", 780, 1.580, 0.026), ("SiO2", 525, 1.461, 0.0), ("SiO2", 780, 1.454, 0.0),
    ("Si3N4", 525, 2.059, 0.0), ("Si3N4", 780, 2.026, 0.0), ("TiO2", 525, 2.46, 0.0), ("TiO2", 780, 2.35, 0.0),
]


@pytest.mark.parametrize("name,wl,n,k", BRIEF)
def test_brief_reference_values(name, wl, n, k):
    nk = get_material(name).nk(wavelength_nm=wl)
    assert abs(nk.real - n) < 6e-3 and abs(nk.imag - k) < 1.5e-3, nk


def test_silver_matches_published_rakic_value():
    # Rakic 1998 LD model for Ag at 1.59 eV (780 nm): eps ~ -27 + 1.6i (Appl. Opt. 37, 5271, Fig. 4)
    eps = get_material("Ag").epsilon(wavelength_nm=780)
    assert -30 < eps.real < -22 and 0.5 < eps.imag < 3


def test_drude_ito_in_quoted_range():
    # materials README: eps_inf ~3.9, wp 1.05-1.27 eV, g 0.094-0.110 eV -> n ~1.81-1.86, k ~0.007-0.012 at 780 nm
    nk = drude_ito().nk(wavelength_nm=780)
    assert 1.81 <= nk.real <= 1.86 and 0.007 <= nk.imag <= 0.012


def test_every_material_has_citation_and_range():
    for name in material_names():
        m = get_material(name)
        assert m.citation and m.wavelength_max_nm > m.wavelength_min_nm


def test_out_of_range_wavelength_names_range():
    with pytest.raises(InputError) as err:
        get_material("ITO").nk(wavelength_nm=1500)
    assert "1500" in str(err.value) and "401.048-999.961 nm" in str(err.value)


def test_unknown_material():
    with pytest.raises(InputError) as err:
        resolve_material("Unobtainium")
    assert "unknown material 'Unobtainium'" in str(err.value) and "SiO2" in str(err.value)


def test_constant_material_and_bad_constant():
    assert resolve_material({"n": 2.55, "k": 0.01}).nk(wavelength_nm=3000) == pytest.approx(2.55 + 0.01j)
    with pytest.raises(InputError):
        resolve_material({"n": -1})
