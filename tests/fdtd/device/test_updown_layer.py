"""Up / down split of a source spread over the grating level (``device.updown_layer``) against exact answers: a thin
source layer is the sheet (``updown.sheet_emission``); a uniform source of thickness d in a homogeneous medium
splits 50/50; a source phased as exp(+-i k n x) over half a wavelength in the medium sends everything one way; a
uniform source under one interface (closed form with the Fresnel r, and its emission against the homogeneous
medium's); the lossless stack absorbs nothing; a 0.5 nm level is the mid-level sheet; the PDK's two transparent
stacks (MAPbI3, CsPbBr3)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from perocav.fdtd.models.device.updown import sheet_emission, stack_emission_split
from perocav.fdtd.models.device.updown_layer import grating_level_split, layer_source_emission
from perocav.pdk.stack import IndexProfile
from perocav.pdk.stacks import get_stack


def _profile(n_layers, thickness_nm, n_sub, n_cov, wl):
    return IndexProfile(names=tuple(f"l{i}" for i in range(len(n_layers))), thickness_nm=tuple(thickness_nm),
                        n_layers=tuple(complex(n) for n in n_layers), n_substrate=complex(n_sub),
                        n_cover=complex(n_cov), wavelength_nm=wl)


def _uniform(d_nm: float, nodes: int = 40):
    x, w = np.polynomial.legendre.leggauss(nodes)
    return 0.5 * d_nm * (x + 1.0), 0.5 * d_nm * w


def test_thin_source_layer_is_the_sheet():
    prof = _profile([1.5, 1.9, 2.1 + 0.02j, 1.9], [40.0, 0.5, 150.0, 20.0], 1.45, 1.0, 530.0)
    e = layer_source_emission(profile=prof, layer=1, heights_nm=[0.25], currents=[1.0], wavelength_nm=530.0)
    s = sheet_emission(index_below=[1.5, 1.9], thickness_below_nm=[40.0, 0.25], index_above=[1.9, 2.1 + 0.02j, 1.9],
                       thickness_above_nm=[0.25, 150.0, 20.0], n_substrate=1.45, n_cover=1.0, source_index=1.9,
                       wavelength_nm=530.0)
    for a, b in ((e.up, s.up), (e.down, s.down), (e.absorbed, s.absorbed), (e.emission_factor, s.emission_factor)):
        assert a == pytest.approx(b, rel=1e-10, abs=1e-12)


@settings(max_examples=25, deadline=None)
@given(d_nm=st.floats(1.0, 400.0, allow_subnormal=False), n=st.floats(1.2, 2.6, allow_subnormal=False))
def test_uniform_source_in_homogeneous_medium(d_nm, n):
    wl = 600.0
    h, w = _uniform(d_nm)
    prof = _profile([n, n, n], [30.0, d_nm, 70.0], n, n, wl)
    e = layer_source_emission(profile=prof, layer=1, heights_nm=h, currents=w, wavelength_nm=wl)
    assert e.up == pytest.approx(0.5, abs=1e-9) and e.absorbed == pytest.approx(0.0, abs=1e-9)
    assert e.emission_factor == pytest.approx(1.0, rel=1e-9)  # the reference is this very medium


def test_phased_source_goes_one_way():
    n, wl = 1.8, 600.0
    d = wl / (2 * n)  # exp(2 i k n x) integrates to zero over d
    h, w = _uniform(d)
    k = 2 * np.pi * n / wl
    prof = _profile([n], [d], n, n, wl)
    ups = [layer_source_emission(profile=prof, layer=0, heights_nm=h, currents=w * np.exp(s * 1j * k * h),
                                 wavelength_nm=wl).up for s in (1, -1)]
    assert sorted(ups) == pytest.approx([0.0, 1.0], abs=1e-10)


@pytest.mark.parametrize("d_nm", [20.0, 83.0, 150.0])
def test_uniform_source_under_one_interface(d_nm):
    n1, n2, wl = 1.6, 1.0, 520.0
    k, r = 2 * np.pi * n1 / wl, (n1 - n2) / (n1 + n2)
    # source on [0, d], interface at d (cover above), medium n1 below: per unit current at x the up wave ~ e^{-ikx}
    # (up to a common factor), the down wave ~ e^{ikx} + r e^{ik(2d - x)}
    q = lambda a: (np.exp(1j * a * d_nm) - 1) / (1j * a) if a else d_nm  # noqa: E731
    up = (1 - r ** 2) * abs(q(-k)) ** 2
    down = abs(q(k) + r * np.exp(2j * k * d_nm) * q(-k)) ** 2
    h, w = _uniform(d_nm)
    e = layer_source_emission(profile=_profile([n1], [d_nm], n1, n2, wl), layer=0, heights_nm=h, currents=w,
                              wavelength_nm=wl)
    assert e.up == pytest.approx(up / (up + down), rel=1e-9)
    assert e.absorbed == pytest.approx(0.0, abs=1e-10)
    assert e.emission_factor == pytest.approx((up + down) / (abs(q(-k)) ** 2 + abs(q(k)) ** 2), rel=1e-9)


@pytest.mark.parametrize("gain", ["MAPbI3", "CsPbBr3"])
def test_pdk_stacks_between_the_sheets_at_the_levels_faces(gain):
    stack = get_stack(f"transparent_{gain}")
    lam = stack.emission_wavelength_nm
    e = grating_level_split(stack=stack, duty_cycle=0.3, freeze_nm=lam, wavelength_nm=lam)
    assert e.up + e.down + e.absorbed == pytest.approx(1.0, abs=1e-12)
    assert 0 < e.absorbed < 0.02
    mid = stack_emission_split(stack=stack, wavelength_nm=lam).up
    assert abs(e.up - mid) < 0.15 and 0.2 < e.up < 0.8


@pytest.mark.parametrize("gain", ["MAPbI3", "CsPbBr3"])
def test_thin_grating_level_is_the_mid_level_sheet(gain):
    """A 0.5 nm grating level: the mode's field is flat across it, so the spread source is the sheet at its middle
    (``stack_emission_split``, the level averaged at the PDK's fill 0.5)."""
    stack = get_stack(f"transparent_{gain}", thickness_nm={"grating": 0.5})
    lam = stack.emission_wavelength_nm
    e = grating_level_split(stack=stack, duty_cycle=0.5, freeze_nm=lam, wavelength_nm=lam)
    s = stack_emission_split(stack=stack, wavelength_nm=lam)
    # 1e-4: the field's slope across 0.5 nm (5e-6 here); the 50 nm levels differ from their middle by 0.004
    # (MAPbI3), 0.03 (CsPbBr3)
    assert e.up == pytest.approx(s.up, abs=1e-4) and e.down == pytest.approx(s.down, abs=1e-4)
    assert e.emission_factor == pytest.approx(s.emission_factor, rel=1e-4)


def test_cspbbr3_source_sits_above_the_levels_middle():
    """On CsPbBr3 the guided mode grows toward the film, so the spread source's up share lies between the mid-level
    sheet's and the top face's (0.40 < 0.43 < 0.64 at 528.3 nm), which is what the FDTD's drawn teeth gave
    (0.420 at 60, 0.432 at 80 px/um; docs/validation.md)."""
    stack = get_stack("transparent_CsPbBr3")
    e = grating_level_split(stack=stack, duty_cycle=0.3, freeze_nm=528.26, wavelength_nm=527.45)
    assert 0.42 < e.up < 0.435
