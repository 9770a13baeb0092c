"""The band-limited gain (negative-sigma Lorentzian, ``models.lorentzian_gain``) of the emission FDTD: its eps at the
line centre equals the D conductivity's (MEEP's own evaluation of the medium), its gain is flat over the device
window, and a real MEEP plane wave of fixed Bloch k grows at the rate of the exact root of the dispersion relation:
g c / n_g at the centre, ~nothing at grid-scale k where the conductivity still gives g c / n. Both perovskites'
frozen indices (the dispersive PDK data at their lasing wavelengths)."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from perocav.fdtd.models.gain_medium import gain_index
from perocav.fdtd.models.lorentzian_gain import (
    bloch_frequency_per_um,
    lorentzian_gain,
    relative_gain,
)
from perocav.pdk.materials import get_material

#: (perovskite, lasing wavelength nm): the stacks' Bragg points (docs/validation.md)
PEROVSKITES = (("MAPbI3", 813.73), ("CsPbBr3", 528.71))


def _line(n: float, gain_per_cm: float, lam: float, width: float = 0.5):
    eps = gain_index(n_real=n, gain_per_cm=gain_per_cm, wavelength_nm=lam) ** 2
    return eps, lorentzian_gain(eps_imag=eps.imag, centre_per_um=1000.0 / lam, width_fraction=width)


@settings(max_examples=60, deadline=None)
@given(n=st.floats(1.5, 3.0, allow_subnormal=False), g=st.floats(100.0, 2.0e4, allow_subnormal=False),
       lam=st.floats(450.0, 900.0, allow_subnormal=False), width=st.floats(0.05, 1.0, allow_subnormal=False))
def test_centre_eps_is_the_conductivity_one_and_the_shape_peaks_there(n, g, lam, width):
    eps, line = _line(n, g, lam, width)
    f0 = 1000.0 / lam
    at_centre = line.eps(frequency_per_um=f0)
    assert abs(at_centre.real) < 1e-12 * abs(eps.imag)  # no Re(eps) shift at the centre
    assert at_centre.imag == pytest.approx(eps.imag, rel=1e-12)
    assert line.sigma < 0  # gain
    for df in (-0.2, -0.01, 0.01, 0.2):
        f = f0 * (1 + df)
        exact = f * line.eps(frequency_per_um=f).imag / (f0 * eps.imag)  # g ~ f Im eps
        assert relative_gain(frequency_per_um=f, centre_per_um=f0, width_fraction=width) == pytest.approx(exact)
        assert exact < 1.0


def test_gain_flat_over_the_device_window_and_gone_at_grid_scale():
    f0 = 1000.0 / 813.73
    window = [1000.0 / 838.14, 1000.0 / 789.32]  # the emission plan's window (+-3 %)
    assert min(relative_gain(frequency_per_um=f, centre_per_um=f0) for f in window) > 0.985  # 0.9854 at 789 nm
    stop_band = [1000.0 / 812.0, 1000.0 / 808.0]  # the 2nd-order devices' modes (~810 nm)
    assert min(relative_gain(frequency_per_um=f, centre_per_um=f0) for f in stop_band) > 0.999  # 0.9992 at 808 nm
    assert relative_gain(frequency_per_um=8.20, centre_per_um=f0) < 0.01  # the grid-scale field of issue 25.2


def test_bloch_root_matches_first_order_group_velocity():
    n, g, lam = 2.6, 2000.0, 813.73
    eps, line = _line(n, g, lam)
    f0 = 1000.0 / lam
    rate = 4 * math.pi * bloch_frequency_per_um(eps_inf=eps.real, line=line, k_per_um=n * f0).imag
    n_g = n + f0 * (-2.0 * eps.imag / line.gamma_per_um) / (2 * n)  # dRe eps / df = -2 Im eps / gamma at f0
    assert rate == pytest.approx(g * 1e-4 / n_g, rel=0.01)
    assert rate < g * 1e-4 / n  # the gain line slows the light


@pytest.mark.meep
@pytest.mark.parametrize("name,lam", PEROVSKITES)
def test_meep_medium_has_the_target_eps_at_the_centre(name, lam):
    from perocav.fdtd.meep.geometry_2d import Medium2D  # lazy: loads meep (package)
    from perocav.fdtd.meep.media import meep_medium  # lazy: loads meep

    n = get_material(name).nk(wavelength_nm=lam).real
    eps, _ = _line(n, 3000.0, lam)
    med = meep_medium(medium=Medium2D(index=complex(eps**0.5)), wavelength_min_nm=lam, wavelength_max_nm=lam,
                      freeze_wavelength_nm=lam, gain_width_fraction=0.5)
    assert len(med.E_susceptibilities) == 1 and med.D_conductivity_diag.x == 0
    got = complex(med.epsilon(1000.0 / lam)[2, 2])  # MEEP's own evaluation
    assert got.real == pytest.approx(eps.real, rel=1e-9)
    assert got.imag == pytest.approx(eps.imag, rel=1e-6)
    absorbing = meep_medium(medium=Medium2D(index=complex(n, 0.01)), wavelength_min_nm=lam, wavelength_max_nm=lam,
                            freeze_wavelength_nm=lam, gain_width_fraction=0.5)
    assert not absorbing.E_susceptibilities  # loss stays a D conductivity


@pytest.mark.meep
@pytest.mark.slow
@pytest.mark.parametrize("name,lam", PEROVSKITES)
def test_meep_plane_wave_grows_at_the_dispersion_root(name, lam):
    from perocav.fdtd.meep.gain_check import homogeneous_intensity_rate_per_um  # lazy: loads meep

    n, g = get_material(name).nk(wavelength_nm=lam).real, 3000.0
    eps, line = _line(n, g, lam)
    f0 = 1000.0 / lam
    for k_scale, res in ((1.0, 80.0), (1.02, 80.0), (6.65, 300.0)):  # 40 px/um: CsPbBr3 1.1 % off (grid dispersion)
        k = k_scale * n * f0
        exact = 4 * math.pi * bloch_frequency_per_um(eps_inf=eps.real, line=line, k_per_um=k).imag
        lor = homogeneous_intensity_rate_per_um(n_real=n, gain_per_cm=g, wavelength_nm=lam, k_per_um=k,
                                                gain_width_fraction=0.5, resolution_px_per_um=res)
        cond = homogeneous_intensity_rate_per_um(n_real=n, gain_per_cm=g, wavelength_nm=lam, k_per_um=k,
                                                 resolution_px_per_um=res)
        assert lor == pytest.approx(exact, rel=0.01, abs=0.01 * g * 1e-4 / n)
        assert cond == pytest.approx(g * 1e-4 / n, rel=0.01)  # the conductivity gains at every k
        if k_scale > 2:
            assert lor < 0.01 * cond
