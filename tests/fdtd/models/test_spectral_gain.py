"""The spectral gain g(lambda, N, T) on both perovskites: exact properties (g(lambda, 0) = -alpha0, the sign change
at Delta_mu, gain rising with N), published numbers (PL peak, the PDK's k above the gap), an independent
Fermi-Dirac integral for the Joyce-Dixon inversion, and the calibration to the paper's seed gain."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from scipy.integrate import quad

from perocav.fdtd.models.spectral_gain.absorption import HC_EV_NM, absorption_per_cm, energy_ev
from perocav.fdtd.models.spectral_gain.carriers import delta_mu_ev, reduced_fermi_level
from perocav.fdtd.models.spectral_gain.params import BAND_EDGES, PL_PEAK_NM
from perocav.fdtd.models.spectral_gain.spectrum import (gain_per_cm, gain_spectrum, spectrum_grid_nm,
                                                         spontaneous_emission)
from perocav.fdtd.models.spectral_gain.threshold import density_for_gain
from perocav.pdk.materials import resolve_material

MATERIALS = ("MAPbI3", "CsPbBr3")
#: above-gap ranges (nm) where the model is compared with the PDK's k, and the tolerance (relative)
ABOVE_GAP_NM = {"MAPbI3": (620.0, 755.0), "CsPbBr3": (450.0, 515.0)}
ABOVE_GAP_TOL = 0.25


@pytest.mark.parametrize("name", MATERIALS)
def test_unexcited_gain_is_minus_absorption(name):
    edge = BAND_EDGES[name]
    wl = spectrum_grid_nm(edge=edge)
    g = gain_per_cm(edge=edge, wavelength_nm=wl, density_per_cm3=0.0)
    assert np.array_equal(g, -absorption_per_cm(edge=edge, energy_ev=energy_ev(wavelength_nm=wl)))


@pytest.mark.parametrize("name", MATERIALS)
@pytest.mark.parametrize("density", [3e17, 1e18, 4e18])
def test_sign_changes_at_delta_mu(name, density):
    """Bernard-Duraffourg: gain for E < Delta_mu, absorption above, zero at E = Delta_mu."""
    edge = BAND_EDGES[name]
    dmu = float(delta_mu_ev(edge=edge, density_per_cm3=density, temperature_k=300.0))
    e = np.array([dmu - 1e-9, dmu, dmu + 1e-9])
    g = gain_per_cm(edge=edge, wavelength_nm=HC_EV_NM / e, density_per_cm3=density)
    assert g[0] > 0 > g[2]
    assert abs(g[1]) < 1e-6 * absorption_per_cm(edge=edge, energy_ev=dmu)


@pytest.mark.parametrize("name", MATERIALS)
def test_spontaneous_emission_peaks_at_measured_pl(name):
    edge = BAND_EDGES[name]
    wl = spectrum_grid_nm(edge=edge)
    peak = wl[np.argmax(spontaneous_emission(edge=edge, wavelength_nm=wl, density_per_cm3=1e15))]
    measured, tol = PL_PEAK_NM[name]
    assert abs(peak - measured) <= tol


@pytest.mark.parametrize("name", MATERIALS)
def test_absorption_above_gap_matches_pdk_k(name):
    lo, hi = ABOVE_GAP_NM[name]
    wl = np.arange(lo, hi + 0.5, 5.0)
    alpha_pdk = 4 * np.pi * resolve_material(name).nk(wavelength_nm=wl).imag / (wl * 1e-7)
    model = absorption_per_cm(edge=BAND_EDGES[name], energy_ev=energy_ev(wavelength_nm=wl))
    assert np.max(np.abs(model / alpha_pdk - 1)) < ABOVE_GAP_TOL


@pytest.mark.parametrize("ratio", [1e-3, 0.1, 1.0, 3.0, 5.15, 5.16, 8.0, 50.0])
def test_joyce_dixon_inverts_the_fermi_dirac_integral(ratio):
    eta = float(reduced_fermi_level(ratio=ratio))
    f_half = 2 / math.sqrt(math.pi) * quad(lambda x: math.sqrt(x) / (1 + math.exp(x - eta)), 0, eta + 60)[0]
    assert f_half == pytest.approx(ratio, rel=1e-3)


@pytest.mark.parametrize("name", MATERIALS)
def test_peak_gain_follows_the_seed(name):
    """Calibration: the peak gain equals the seed's 500 1/cm at N = 5e17 e^0.5 and stays within a factor 2.5 of
    g0 ln(N / N_tr) over 6e17 ... 1e18 cm^-3 (docs/physics.md has the table)."""
    seed = lambda n: 1000 * math.log(n / 5e17)  # noqa: E731
    n500 = 5e17 * math.exp(0.5)
    assert gain_spectrum(edge=BAND_EDGES[name], density_per_cm3=n500).peak_gain_per_cm == pytest.approx(500, rel=0.02)
    for n in (6e17, 7e17, 1e18):
        ratio = gain_spectrum(edge=BAND_EDGES[name], density_per_cm3=n).peak_gain_per_cm / seed(n)
        assert 0.4 < ratio < 2.5


@pytest.mark.parametrize("name", MATERIALS)
def test_density_for_gain_round_trip_and_ceiling(name):
    edge = BAND_EDGES[name]
    wl = gain_spectrum(edge=edge, density_per_cm3=1e18).peak_wavelength_nm + 5.0
    found = density_for_gain(edge=edge, wavelength_nm=wl, gain_per_cm_target=400.0)
    assert found.reason == ""
    assert float(gain_per_cm(edge=edge, wavelength_nm=wl, density_per_cm3=found.density_per_cm3)) == pytest.approx(400.0,
                                                                                                                 rel=1e-8)
    far = density_for_gain(edge=edge, wavelength_nm=HC_EV_NM / (edge.gap_ev - 0.25), gain_per_cm_target=400.0)
    assert math.isinf(far.density_per_cm3) and far.reason.startswith("no lasing")


@pytest.mark.parametrize("name", MATERIALS)
@settings(max_examples=40, deadline=None)
@given(log_n=st.floats(15.0, 19.5), factor=st.floats(1.01, 10.0), temperature=st.floats(150.0, 450.0))
def test_gain_rises_with_density_and_crosses_zero_at_delta_mu(name, log_n, factor, temperature):
    edge = BAND_EDGES[name]
    wl = spectrum_grid_nm(edge=edge, step_nm=1.0)
    n = 10.0**log_n
    g1 = gain_per_cm(edge=edge, wavelength_nm=wl, density_per_cm3=n, temperature_k=temperature)
    g2 = gain_per_cm(edge=edge, wavelength_nm=wl, density_per_cm3=n * factor, temperature_k=temperature)
    assert np.all(g2 >= g1)
    dmu = float(delta_mu_ev(edge=edge, density_per_cm3=n, temperature_k=temperature))
    e = energy_ev(wavelength_nm=wl)
    clear = np.abs(e - dmu) > 1e-9
    assert np.array_equal(np.sign(g1[clear]), np.sign(dmu - e[clear]))
