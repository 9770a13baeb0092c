"""Unit conversions and physical constants: the one place every perocav package takes them from.

Names say what they convert (``NM_PER_UM``: nanometres in one micrometre) or what they are, with the unit last
(``C_CM_PER_S``: the speed of light in cm/s). SI constants are exact (2019 SI)."""

from __future__ import annotations

#: lengths
NM_PER_UM = 1000.0
NM_PER_CM = 1e7
NM_PER_M = 1e9
UM_PER_CM = 1e4
CM_PER_UM = 1e-4

#: physical constants
C_M_PER_S = 2.99792458e8  # speed of light in vacuum
C_CM_PER_S = 2.99792458e10
H_PLANCK_J_S = 6.62607015e-34
Q_E_C = 1.602176634e-19  # elementary charge
HC_EV_NM = 1239.841984  # h c / q: photon energy [eV] times wavelength [nm]
