"""The angular spectrum of a line field against closed forms: a Gaussian beam tilted by theta0 peaks at theta0 with
the Fourier width of its waist and carries int |E|^2 dx n cos(theta0) (the TE plane-wave flux density, MEEP units)
of power; two mirror-image beams give a null at normal; the absorbed power of a uniform block is 2 pi f Im(eps) A."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from perocav.fdtd.extract.angular_spectrum import LossyBlock, absorbed_power, im_eps_map, line_spectrum
from perocav.fdtd.models.device.lobes import lobes

LAM_NM = 800.0


def _beam(theta_deg: float, *, waist_um: float, n: float, x: np.ndarray) -> np.ndarray:
    k = 2 * math.pi * n / (LAM_NM * 1e-3)
    return np.exp(-(x / waist_um) ** 2) * np.exp(1j * k * math.sin(math.radians(theta_deg)) * x)


def _line(half_um: float = 40.0, px_per_um: float = 40.0) -> tuple[np.ndarray, np.ndarray]:
    x = np.arange(-half_um, half_um + 1e-9, 1 / px_per_um)
    return x, np.full(x.size, 1 / px_per_um)


def _line_short() -> tuple[np.ndarray, np.ndarray]:
    return _line(half_um=25.0, px_per_um=10.0)


@settings(max_examples=8, deadline=None)
@given(theta=st.floats(min_value=-20.0, max_value=20.0, allow_subnormal=False),
       n=st.sampled_from([1.0, 1.45]), waist=st.floats(min_value=4.0, max_value=8.0, allow_subnormal=False))
def test_tilted_gaussian_beam_peaks_at_its_angle_and_carries_its_flux(theta, n, waist):
    x, w = _line_short()
    e = _beam(theta, waist_um=waist, n=n, x=x)
    sp = line_spectrum(x_um=x, weight_um=w, field=e, wavelength_nm=LAM_NM, n_medium=n, sin_max=0.5, n_angles=2001)
    lb = lobes(sp.far_field)
    # closed form: |F(kx)|^2 ~ exp(-(kx - kx0)^2 waist^2 / 2), power per radian ~ cos^2(theta) |F|^2
    k = 2 * math.pi * n / (LAM_NM * 1e-3)
    th = np.radians(sp.far_field.theta_deg)
    exact = np.cos(th) ** 2 * np.exp(-((k * np.sin(th) - k * math.sin(math.radians(theta))) * waist) ** 2 / 2)
    assert len(lb.lobe_angles_deg) == 1
    assert lb.lobe_angles_deg[0] == pytest.approx(float(sp.far_field.theta_deg[np.argmax(exact)]), abs=0.03)
    fwhm = math.degrees(2 * math.sqrt(2 * math.log(2)) / waist / (k * math.cos(math.radians(theta))))
    assert lb.fwhm_deg == pytest.approx(fwhm, rel=0.03)
    # power: int |E|^2 dx = waist sqrt(pi / 2), times the plane-wave flux density n cos(theta0) (k_y / omega)
    expected = waist * math.sqrt(math.pi / 2) * n * math.cos(math.radians(theta))
    assert sp.propagating_flux == pytest.approx(expected, rel=0.01)
    assert lb.window_fraction == pytest.approx(1.0, abs=1e-3)


def test_two_mirror_beams_have_a_null_at_normal_and_no_central_lobe():
    x, w = _line_short()
    e = _beam(2.0, waist_um=8.0, n=1.0, x=x) - _beam(-2.0, waist_um=8.0, n=1.0, x=x)
    lb = lobes(line_spectrum(x_um=x, weight_um=w, field=e, wavelength_nm=LAM_NM, n_medium=1.0).far_field)
    assert lb.dip_at_normal and lb.central_lobe_fraction == 0.0
    assert [round(a, 1) for a in lb.lobe_angles_deg] == [-2.0, 2.0]


def test_evanescent_field_carries_no_power():
    x, w = _line_short()
    k = 2 * math.pi / (LAM_NM * 1e-3)
    guided = np.exp(-(x / 10.0) ** 2) * np.exp(1j * 1.7 * k * x)  # k_x = 1.7 k0 > k0: the guided mode's tail in air
    tilted = _beam(0.0, waist_um=5.0, n=1.0, x=x)
    both = line_spectrum(x_um=x, weight_um=w, field=guided + tilted, wavelength_nm=LAM_NM, n_medium=1.0)
    alone = line_spectrum(x_um=x, weight_um=w, field=tilted, wavelength_nm=LAM_NM, n_medium=1.0)
    assert both.propagating_flux == pytest.approx(alone.propagating_flux, rel=1e-3)


def test_absorbed_power_of_a_uniform_block_and_a_later_block_overriding_it():
    x = np.linspace(-1.0, 1.0, 81)
    y = np.linspace(0.0, 0.5, 21)
    wt = np.outer(np.gradient(x), np.gradient(y))
    blocks = [LossyBlock(-1.0, 1.0, 0.0, 0.5, 0.2), LossyBlock(0.0, 1.0, 0.0, 0.5, -0.1)]
    eps_i = im_eps_map(x_um=x, y_um=y, blocks=blocks)
    f = 1.25
    absorbed, generated = absorbed_power(field=np.full(eps_i.shape, 2.0 + 0j), weight_um2=wt, eps_imag=eps_i,
                                         freeze_frequency_per_um=f)
    area_abs = float(np.sum(wt[x < 0]))  # the point x = 0 belongs to the later (gaining) block
    assert absorbed == pytest.approx(2 * math.pi * f * 0.2 * 4.0 * area_abs, rel=1e-12)
    assert generated == pytest.approx(2 * math.pi * f * 0.1 * 4.0 * float(np.sum(wt[x >= 0])), rel=1e-12)


def test_bad_input_is_refused():
    x, w = _line()
    with pytest.raises(ValueError, match="n_medium"):
        line_spectrum(x_um=x, weight_um=w, field=np.ones(x.size), wavelength_nm=LAM_NM, n_medium=0.0)
    with pytest.raises(ValueError, match="one length"):
        line_spectrum(x_um=x, weight_um=w[:-1], field=np.ones(x.size), wavelength_nm=LAM_NM, n_medium=1.0)
