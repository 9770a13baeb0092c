"""Above-threshold slope efficiency of a device mode (``device.slope``, ``device.mode_emission``): by hand from the
budget's numbers (eta_d = eta_up / stimulated, slope = eta_d h c / (q lambda) with CODATA constants typed here),
the budget's ``stimulated`` share against an independent quadrature of the mode profile and its exact value for a
uniformly pumped section with an internal loss, and the per-mode far fields integrating to the up / down powers."""

from __future__ import annotations

import numpy as np
import pytest

from perocav.fdtd.models.device.budget import power_budget
from perocav.fdtd.models.device.engine import device_modes
from perocav.fdtd.models.device.mode_emission import mode_emissions
from perocav.fdtd.models.device.profile import mode_profile
from perocav.fdtd.models.device.sections import DeviceSection
from perocav.fdtd.models.device.slope import slope_efficiency

H_J_S, C_M_S, Q_C = 6.62607015e-34, 2.99792458e8, 1.602176634e-19  # CODATA 2018, exact
ALPHA_PER_CM = 60.0  # an internal loss of the pumped sections (the unexcited film under the opening, ITO)

#: an opening (pumped, with an internal loss) between two absorbing unpumped stretches, all 2nd order, a half-wave
#: step at the centre
DEVICE = [DeviceSection(length_um=20, kappa_per_cm=-150, radiation_per_cm=20, gain_per_cm=-900.0),
          DeviceSection(length_um=30, kappa_per_cm=-150, radiation_per_cm=20, pumped=True, gain_per_cm=-ALPHA_PER_CM),
          DeviceSection(length_um=30, kappa_per_cm=-150, radiation_per_cm=20, pumped=True, gain_per_cm=-ALPHA_PER_CM,
                        phase_rad=np.pi),
          DeviceSection(length_um=20, kappa_per_cm=-150, radiation_per_cm=20, gain_per_cm=-900.0)]


def test_slope_by_hand_from_the_budget():
    lam = 786.0
    mode = device_modes(sections=DEVICE, n_modes=1).modes[0]
    b = power_budget(sections=DEVICE, mode=mode, up_fraction=0.45)
    s = slope_efficiency(budget=b, wavelength_nm=lam)
    photon_ev = H_J_S * C_M_S / (lam * 1e-9) / Q_C  # 1.577 eV: W/A per photon per electron
    assert s.differential_quantum_efficiency == pytest.approx(b.radiated_up / b.stimulated, rel=1e-12)
    assert s.slope_w_per_a == pytest.approx(photon_ev * b.radiated_up / b.stimulated, rel=1e-9)
    assert s.injection_efficiency == 1.0
    half = slope_efficiency(budget=b, wavelength_nm=lam, injection_efficiency=0.5)
    assert half.slope_w_per_a == pytest.approx(0.5 * s.slope_w_per_a, rel=1e-12)
    # an internal loss in the pumped sections: the zone makes more than the budget's (net) generated power
    assert b.stimulated > 1.0
    assert 0 < s.differential_quantum_efficiency < b.eta_up < 1
    for bad in (0.0, 1.5):
        with pytest.raises(ValueError):
            slope_efficiency(budget=b, wavelength_nm=lam, injection_efficiency=bad)


def test_stimulated_share_against_the_mode_profile():
    """stimulated / left_end = g_p int_pumped |R|^2 + |S|^2 dz / |S(0)|^2, here by the trapezoid rule on the
    engine's profile (the budget uses Gauss-Legendre nodes): an independent quadrature of the same field."""
    mode = device_modes(sections=DEVICE, n_modes=1).modes[0]
    b = power_budget(sections=DEVICE, mode=mode)
    prof = mode_profile(sections=DEVICE, mode=mode, n_points=4001)
    z, i = np.asarray(prof.z_um), np.asarray(prof.intensity)
    inside = (z >= 20.0) & (z <= 80.0)
    stored_cm = np.trapz(i[inside], z[inside]) * 1e-4
    assert b.stimulated / b.left_end == pytest.approx(mode.threshold_modal_gain_per_cm * stored_cm / i[0], rel=1e-6)


def test_stimulated_share_of_a_uniform_lossy_section_is_exact():
    """One uniformly pumped section with offset -alpha: every section generates, g = g_p - alpha, so the zone's
    stimulated emission over the generated power is g_p / (g_p - alpha) exactly; without the loss it is 1 and the
    slope's quantum efficiency is eta_up itself."""
    for alpha in (0.0, ALPHA_PER_CM):
        secs = [DeviceSection(length_um=150, kappa_per_cm=-150, radiation_per_cm=20, pumped=True, gain_per_cm=-alpha)]
        mode = device_modes(sections=secs, n_modes=1).modes[0]
        g_p = mode.threshold_modal_gain_per_cm
        b = power_budget(sections=secs, mode=mode)
        assert b.stimulated == pytest.approx(g_p / (g_p - alpha), rel=1e-10)
        eta_d = slope_efficiency(budget=b, wavelength_nm=530.0).differential_quantum_efficiency
        assert eta_d == pytest.approx(b.eta_up * (g_p - alpha) / g_p, rel=1e-10)


def test_per_mode_far_fields_carry_the_up_and_down_powers():
    """The stored far fields integrate to radiated_up (air) and radiated_down (substrate) of each mode, less what
    falls outside the stored window (a few %); the substrate's beam is narrower by ~n."""
    modes = device_modes(sections=DEVICE, n_modes=2).modes
    ems = mode_emissions(sections=DEVICE, modes=modes, wavelengths_nm=[786.0] * len(modes), up_fraction=0.45,
                         n_substrate=1.5)
    assert len(ems) == 2
    for e in ems:
        up = np.trapz(e.power_up_per_rad, np.radians(e.theta_up_deg))
        down = np.trapz(e.power_down_per_rad, np.radians(e.theta_down_deg))
        assert 0.85 * e.budget.radiated_up < up <= e.budget.radiated_up * (1 + 1e-6)
        assert 0.85 * e.budget.radiated_down < down <= e.budget.radiated_down * (1 + 1e-6)
        assert max(np.abs(e.theta_down_deg)) == pytest.approx(max(np.abs(e.theta_up_deg)) / 1.5, rel=1e-3)
        assert e.slope.differential_quantum_efficiency == pytest.approx(e.budget.radiated_up / e.budget.stimulated)
