"""perocav.pdk.units: the conversions agree with each other and h c / q with the SI constants."""

import math

from perocav.pdk import units as u


def test_length_conversions_agree():
    assert u.NM_PER_CM == u.NM_PER_UM * u.UM_PER_CM
    assert u.NM_PER_M == u.NM_PER_CM * 100
    assert math.isclose(u.CM_PER_UM * u.UM_PER_CM, 1.0, rel_tol=1e-15)
    assert math.isclose(u.C_CM_PER_S, u.C_M_PER_S * 100, rel_tol=1e-15)


def test_photon_energy_constant_matches_si():
    assert math.isclose(u.HC_EV_NM, u.H_PLANCK_J_S * u.C_M_PER_S / u.Q_E_C * u.NM_PER_M, rel_tol=1e-9)
