"""Far field of the coupled-mode near field (``device.farfield``, ``device.lobes``) against independent answers: a
top-hat near field of length L has the sinc^2 far field with its first zero at sin(theta) = lambda / L; a uniform
2nd-order grating's lowest mode (antisymmetric near field) has a null at normal and two lobes; a central half-wave
grating shift (phi step pi; Witjaksono & Botez, APL 78, 4088 (2001)) makes the lowest mode single-lobed on axis."""

from __future__ import annotations

import numpy as np
import pytest

from perocav.fdtd.models.device.engine import device_modes
from perocav.fdtd.models.device.farfield import far_field, far_field_of_amplitude, near_field
from perocav.fdtd.models.device.lobes import lobes
from perocav.fdtd.models.device.sections import DeviceSection
from perocav.fdtd.models.dfb.dfb_analytic import analyze_dfb_on_stack
from perocav.pdk.stacks import get_stack

LENGTH_UM = 200.0


def test_top_hat_gives_sinc_squared():
    wl_nm, n_out = 780.0, 1.0
    x, w = np.polynomial.legendre.leggauss(400)
    z, wz = 0.5 * LENGTH_UM * (x + 1), 0.5 * LENGTH_UM * w
    ff = far_field_of_amplitude(z_um=z, weight_um=wz, amplitude=np.ones_like(z), wavelength_nm=wl_nm, n_out=n_out,
                                n_angles=4001)
    sin_t = np.sin(np.radians(ff.theta_deg))
    k0 = 2 * np.pi / (wl_nm * 1e-3)
    u = k0 * sin_t * LENGTH_UM / 2
    exact = LENGTH_UM * np.sinc(u / np.pi) ** 2 * k0 * np.cos(np.radians(ff.theta_deg)) / (2 * np.pi)
    np.testing.assert_allclose(ff.power_per_rad, exact, rtol=1e-9, atol=1e-12 * exact.max())
    lam_over_l = wl_nm * 1e-3 / LENGTH_UM
    first_zero = np.interp(lam_over_l, sin_t, ff.power_per_rad)
    assert first_zero < 1e-6 * ff.power_per_rad.max()
    lb = lobes(ff)
    assert lb.lobe_angles_deg == (pytest.approx(0.0, abs=1e-9),)
    assert not lb.dip_at_normal
    assert np.radians(lb.fwhm_deg) == pytest.approx(0.8859 * lam_over_l, rel=2e-3)  # sinc^2 FWHM
    assert lb.central_lobe_fraction == pytest.approx(0.9028, abs=2e-3)  # sinc^2 main-lobe share
    # Parseval: the window |u| < 20 pi leaves out about 2 int_{20 pi}^inf sin^2 u / u^2 du / pi = 1 / (20 pi^2)
    assert lb.window_fraction == pytest.approx(1 - 1 / (20 * np.pi ** 2), abs=5e-4)


@pytest.fixture(scope="module")
def pdk_grating():
    ana = analyze_dfb_on_stack(stack=get_stack("transparent_MAPbI3"), period_nm=380, duty_cycle=0.6, order=2,
                               length_um=LENGTH_UM)
    # cmt_dfb's kappa is the engine's with the opposite sign
    return -ana.kappa_per_cm, ana.radiation_per_cm, ana.wavelength_nm


def _halves(kappa, h, step):
    return [DeviceSection(length_um=LENGTH_UM / 2, kappa_per_cm=kappa, radiation_per_cm=h, pumped=True),
            DeviceSection(length_um=LENGTH_UM / 2, kappa_per_cm=kappa, radiation_per_cm=h, pumped=True,
                          phase_rad=step)]


def test_uniform_grating_lowest_mode_is_double_lobed(pdk_grating):
    kappa, h, wl = pdk_grating
    secs = _halves(kappa, h, 0.0)
    modes = device_modes(sections=secs, n_modes=2).modes
    _, w, a = near_field(sections=secs, mode=modes[0])
    # antisymmetric radiated near field: int A dz = 0 (the k = 0 component)
    assert abs(np.sum(w * a)) < 1e-6 * np.sum(w * abs(a))
    lb = lobes(far_field(sections=secs, mode=modes[0], wavelength_nm=wl))
    assert lb.dip_at_normal and lb.central_lobe_fraction == 0.0
    assert len(lb.lobe_angles_deg) == 2
    assert lb.lobe_angles_deg[0] == pytest.approx(-lb.lobe_angles_deg[1], rel=1e-9)
    assert 0.3 * wl * 1e-3 / LENGTH_UM < np.sin(np.radians(lb.lobe_angles_deg[1])) < 3 * wl * 1e-3 / LENGTH_UM
    assert 0.95 < lb.window_fraction < 1.001  # normalised to the radiated power (Parseval)


def test_central_half_wave_shift_gives_a_single_central_lobe(pdk_grating):
    kappa, h, wl = pdk_grating
    uniform, shifted = _halves(kappa, h, 0.0), _halves(kappa, h, np.pi)
    m0 = device_modes(sections=uniform, n_modes=1).modes[0]
    m1 = device_modes(sections=shifted, n_modes=1).modes[0]
    # phi step pi leaves the feedback e^{-2 i phi} alone: same threshold, the radiated field flips in one half
    assert m1.threshold_modal_gain_per_cm == pytest.approx(m0.threshold_modal_gain_per_cm, rel=1e-7)
    lb = lobes(far_field(sections=shifted, mode=m1, wavelength_nm=wl))
    assert lb.lobe_angles_deg == (pytest.approx(0.0, abs=1e-9),)
    assert not lb.dip_at_normal and lb.central_lobe_fraction > 0.5
