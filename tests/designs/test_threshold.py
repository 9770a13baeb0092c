"""Threshold models against exact limits of the paper's equations."""

import math

import pytest

from perocav.designs.threshold import (
    GainMaterial, auger_critical_density_per_cm3, carrier_density_for_gain_per_cm3,
    carrier_density_from_fluence_per_cm3, material_gain_per_cm, peak_density_for_pulse_per_cm3, plqy,
    threshold_current_density_A_per_cm2, threshold_from_modal_gain,
)

PAPER = GainMaterial()  # k1 1e7, k2 2e-10, k3 1e-28


def test_plqy_half_at_auger_critical_density():
    # paper: N_C where PLQY ~ 50% with k2 = k3 N_C (k1 N negligible there)
    n_c = auger_critical_density_per_cm3(material=PAPER)
    assert n_c == pytest.approx(2e18)
    k1 = GainMaterial(k1_per_s=0.0)
    assert plqy(material=k1, carrier_density_per_cm3=n_c) == pytest.approx(0.5)
    # low density: k1 dominates -> PLQY ~ k2 N / k1
    assert plqy(material=PAPER, carrier_density_per_cm3=1e14) == pytest.approx(2e-10 * 1e14 / 1e7, rel=1e-2)


def test_gain_model_inverse():
    n = carrier_density_for_gain_per_cm3(material=PAPER, gain_per_cm=500)
    assert material_gain_per_cm(material=PAPER, carrier_density_per_cm3=n) == pytest.approx(500)


def test_current_density_eq5_by_hand():
    j = threshold_current_density_A_per_cm2(material=PAPER, carrier_density_per_cm3=1e18, thickness_nm=100, iqe=1.0)
    assert j == pytest.approx(1.602176634e-19 * 1e-5 * 2e-10 * 1e36)  # = 320 A/cm^2


def test_threshold_chain():
    t = threshold_from_modal_gain(material=PAPER, threshold_modal_gain_per_cm=450, confinement=0.9, thickness_nm=150)
    assert t.material_gain_per_cm == pytest.approx(500)
    assert t.carrier_density_per_cm3 == pytest.approx(5e17 * math.exp(0.5))
    assert t.below_auger_limit


def test_fs_pulse_peak_density_is_eq1():
    """For a pulse much shorter than every recombination time the peak density is eq. 1 (no recombination)."""
    n0 = carrier_density_from_fluence_per_cm3(fluence_uJ_per_cm2=10, absorption=0.8, thickness_nm=100,
                                              pump_wavelength_nm=400)
    peak = peak_density_for_pulse_per_cm3(material=PAPER, fluence_uJ_per_cm2=10, pulse_fwhm_s=100e-15,
                                          absorption=0.8, thickness_nm=100, pump_wavelength_nm=400)
    assert peak == pytest.approx(n0, rel=1e-3)


def test_long_pulse_reaches_steady_state():
    """A pulse much longer than the carrier lifetime: peak N solves G_peak = k1 N + k2 N^2 + k3 N^3."""
    fwhm = 1e-3
    kw = dict(absorption=1.0, thickness_nm=100, pump_wavelength_nm=400)
    n0 = carrier_density_from_fluence_per_cm3(fluence_uJ_per_cm2=1e4, **kw)
    sigma = fwhm / (2 * math.sqrt(2 * math.log(2)))
    g_peak = n0 / (sigma * math.sqrt(2 * math.pi))
    peak = peak_density_for_pulse_per_cm3(material=PAPER, fluence_uJ_per_cm2=1e4, pulse_fwhm_s=fwhm, **kw)
    from scipy.optimize import brentq
    n_ss = brentq(lambda n: 1e7 * n + 2e-10 * n * n + 1e-28 * n**3 - g_peak, 1, 1e22)
    assert peak == pytest.approx(n_ss, rel=1e-3)


def test_auger_lowers_peak_only_for_intense_long_pulses():
    """Paper Fig. 1d: Auger is negligible for ns pulses at 10 uJ/cm^2 and strong at 500 uJ/cm^2 once the pulse
    lasts long enough for k3 N^2 t >~ 1 (100 ps and longer); a sub-ps pulse outruns every recombination channel."""
    # a 200 nm film absorbing half the pump: N ~ 5e17 cm^-3 at 10 uJ/cm^2, the paper's N_th range
    kw = dict(material=PAPER, absorption=0.5, thickness_nm=200, pump_wavelength_nm=400)

    def ratio(fluence, fwhm):
        with_auger = peak_density_for_pulse_per_cm3(fluence_uJ_per_cm2=fluence, pulse_fwhm_s=fwhm, auger=True, **kw)
        without = peak_density_for_pulse_per_cm3(fluence_uJ_per_cm2=fluence, pulse_fwhm_s=fwhm, auger=False, **kw)
        return with_auger / without

    assert ratio(10, 1e-9) > 0.98
    assert ratio(500, 100e-12) < 0.7 and ratio(500, 1e-9) < 0.6
    assert ratio(500, 300e-15) > 0.95
