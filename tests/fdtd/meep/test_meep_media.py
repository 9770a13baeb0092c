"""Lorentz-Drude fits reproduce the data, and the real MEEP medium built from them evaluates to the data."""

import numpy as np
import pytest

from perocav.pdk.materials import get_material
from perocav.pdk.materials.meep_fit import fit_meep_material


@pytest.mark.slow
@pytest.mark.parametrize("name,lo,hi", [("ITO", 700, 860), ("ITO_thick", 700, 860), ("Si3N4", 480, 570), ("Ag", 700, 860)])
def test_meep_medium_reproduces_data(name, lo, hi):
    import meep as mp

    from perocav.fdtd.meep.media import medium_from_fit

    mat = get_material(name)
    fit = fit_meep_material(material=mat, wavelength_min_nm=lo, wavelength_max_nm=hi)
    assert max(fit.max_error_n, fit.max_error_k) < 2e-3
    medium = medium_from_fit(fit)
    assert isinstance(medium, mp.Medium)
    for wl in np.linspace(lo, hi, 7):
        n_meep = np.sqrt(complex(medium.epsilon(1000.0 / wl)[0, 0]))  # MEEP's own evaluation
        n_data = mat.nk(wavelength_nm=wl)
        assert abs(n_meep.real - n_data.real) <= fit.max_error_n + 1e-6
        assert abs(n_meep.imag - n_data.imag) <= fit.max_error_k + 1e-6


def test_fit_reports_its_error_honestly():
    # MAPbI3 near its band edge (k falls steeply): the reported error must equal the real deviation
    mat = get_material("MAPbI3")
    fit = fit_meep_material(material=mat, wavelength_min_nm=740, wavelength_max_nm=820, max_poles=1)
    wl = np.linspace(740, 820, 41)
    n_fit = np.sqrt(fit.epsilon(wavelength_nm=wl))
    dev = np.abs(n_fit - mat.nk(wavelength_nm=wl))
    assert fit.max_error_k == pytest.approx(np.max(np.abs(n_fit.imag - mat.nk(wavelength_nm=wl).imag)), rel=1e-9)
    assert dev.max() > 1e-3  # one pole cannot follow the band edge: the fit says so rather than hiding it
