"""A frozen (non-dispersive) MEEP medium with Re(eps) < 1, such as a metal frozen at one wavelength, is unstable at
MEEP's Courant number 0.5: it is refused with one line naming the material and the allowed range, while the same
metal as a dispersive Lorentz fit is built."""

from __future__ import annotations

import pytest

from perocav.fdtd.meep.geometry_2d import Medium2D
from perocav.fdtd.meep.media import meep_medium

pytestmark = pytest.mark.meep


def test_frozen_silver_is_refused():
    with pytest.raises(ValueError, match=r"Ag: Re\(eps\) = -2\d\.\d+ at 780\.0 nm .*allowed: Re\(eps\) >= 1"):
        meep_medium(medium=Medium2D(material="Ag"), wavelength_min_nm=760, wavelength_max_nm=800,
                    freeze_wavelength_nm=780.0)


def test_constant_index_below_one_is_refused():
    with pytest.raises(ValueError, match="constant index 0.5"):
        meep_medium(medium=Medium2D(index=0.5 + 0j), wavelength_min_nm=760, wavelength_max_nm=800)


def test_dispersive_silver_is_built_and_glass_frozen_still_works():
    ag = meep_medium(medium=Medium2D(material="Ag"), wavelength_min_nm=760, wavelength_max_nm=800, dispersive=True)
    assert ag.E_susceptibilities  # a Lorentz/Drude fit, stable in MEEP
    glass = meep_medium(medium=Medium2D(index=1.5 + 0j), wavelength_min_nm=760, wavelength_max_nm=800)
    assert glass.epsilon_diag.x == pytest.approx(2.25)
