"""The one Q <-> gain formula (``models.gain``) against numbers worked by hand: g = 2 pi n_g / (lambda Q), its
inverse, and the Kazarinov-Henry h_r of a 2nd-order grating's edge Qs."""

import math

import pytest

from perocav.fdtd.models.gain import cavity_q, radiation_from_edge_qs_per_cm, threshold_modal_gain_per_cm


def test_gain_and_q_are_one_formula_both_ways():
    # 800 nm, n_g 2.5, Q 1000: 2 pi 2.5 / (8e-5 cm x 1000) = 196.35 /cm
    g = threshold_modal_gain_per_cm(wavelength_nm=800.0, q=1000.0, group_index=2.5)
    assert g == pytest.approx(196.3495, rel=1e-6)
    assert cavity_q(wavelength_nm=800.0, modal_gain_per_cm=g, group_index=2.5) == pytest.approx(1000.0, rel=1e-12)
    assert threshold_modal_gain_per_cm(wavelength_nm=800.0, q=math.inf, group_index=2.5) == 0.0
    assert math.isinf(cavity_q(wavelength_nm=800.0, modal_gain_per_cm=0.0, group_index=2.5))
    assert math.isnan(cavity_q(wavelength_nm=800.0, modal_gain_per_cm=math.nan, group_index=2.5))
    assert math.isnan(threshold_modal_gain_per_cm(wavelength_nm=800.0, q=-5.0, group_index=2.5))


def test_radiation_coupling_from_the_edge_qs():
    # pi n_g / (2 lambda) (1/Q_rad - 1/Q_dark): pi 2 / (2 x 8e-5 cm) (1/1000 - 1/4000) = 29.452 /cm
    h = radiation_from_edge_qs_per_cm(wavelength_nm=800.0, q_radiating=1000.0, q_dark=4000.0, group_index=2.0)
    assert h == pytest.approx(29.4524, rel=1e-5)
    assert radiation_from_edge_qs_per_cm(wavelength_nm=800.0, q_radiating=1000.0, q_dark=math.inf,
                                         group_index=2.0) == pytest.approx(39.2699, rel=1e-5)
    assert radiation_from_edge_qs_per_cm(wavelength_nm=800.0, q_radiating=4000.0, q_dark=1000.0, group_index=2.0) == 0
