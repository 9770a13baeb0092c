"""Up/down split of a radiating sheet in a layer stack (``device.updown``) against exact cases: a homogeneous medium
(50/50), a sheet under a single interface (Fresnel: the up wave is transmitted with 1 - r^2, the down wave is the
direct one plus the reflected one, |1 + r e^{2 i k n d}|^2), and the PDK's transparent stacks."""

from __future__ import annotations

import numpy as np
import pytest

from perocav.fdtd.models.device.updown import sheet_emission, stack_emission_split
from perocav.pdk.stacks import get_stack


def test_homogeneous_medium_splits_half_and_half():
    e = sheet_emission(index_below=[1.7, 1.7], thickness_below_nm=[80, 33], index_above=[1.7], thickness_above_nm=[57],
                       n_substrate=1.7, n_cover=1.7, source_index=1.7, wavelength_nm=640)
    assert e.up == pytest.approx(0.5, abs=1e-12) and e.down == pytest.approx(0.5, abs=1e-12)
    assert e.absorbed == pytest.approx(0.0, abs=1e-12) and e.emission_factor == pytest.approx(1.0, abs=1e-12)


@pytest.mark.parametrize("d_nm", [0.0, 37.0, 780.0 / (4 * 1.5), 215.0])
def test_sheet_under_one_interface_matches_fresnel(d_nm):
    n1, n2, wl = 1.5, 1.0, 780.0
    r = (n1 - n2) / (n1 + n2)
    up = 1.0 - r ** 2
    down = abs(1.0 + r * np.exp(2j * 2 * np.pi / wl * n1 * d_nm)) ** 2
    e = sheet_emission(index_below=[], thickness_below_nm=[], index_above=[n1], thickness_above_nm=[d_nm],
                       n_substrate=n1, n_cover=n2, source_index=n1, wavelength_nm=wl)
    assert e.up == pytest.approx(up / (up + down), rel=1e-12)
    assert e.absorbed == pytest.approx(0.0, abs=1e-12)
    assert e.emission_factor == pytest.approx(0.5 * (up + down), rel=1e-12)  # homogeneous: up = down = 1


def test_quarter_wave_spacing_sends_most_light_through_the_interface():
    n1, n2, wl = 2.0, 1.0, 600.0
    e = sheet_emission(index_below=[], thickness_below_nm=[], index_above=[n1], thickness_above_nm=[wl / (4 * n1)],
                       n_substrate=n1, n_cover=n2, source_index=n1, wavelength_nm=wl)
    r = 1.0 / 3.0
    assert e.up == pytest.approx((1 - r ** 2) / ((1 - r ** 2) + (1 - r) ** 2), rel=1e-12)  # 8/9 / (8/9 + 4/9)


def test_absorbing_layer_takes_its_share():
    e = sheet_emission(index_below=[1.5], thickness_below_nm=[50], index_above=[1.5, 1.8 + 0.2j],
                       thickness_above_nm=[50, 100], n_substrate=1.5, n_cover=1.0, source_index=1.5,
                       wavelength_nm=700)
    assert 0 < e.absorbed < 1 and e.up + e.down + e.absorbed == pytest.approx(1.0, abs=1e-12)


@pytest.mark.parametrize("gain", ["MAPbI3", "CsPbBr3"])
def test_pdk_transparent_stacks(gain):
    stack = get_stack(f"transparent_{gain}")
    e = stack_emission_split(stack=stack, wavelength_nm=stack.emission_wavelength_nm)
    assert 0.2 < e.up < 0.8 and 0.2 < e.down < 0.8
    assert 0 < e.absorbed < 0.01  # two 20 nm ITO films
    assert e.source_index == pytest.approx(stack.index_profile(wavelength_nm=stack.emission_wavelength_nm).n_layers[0])
