"""Analytic circular resonators under a stack (effective index + exact 2D poles)."""

import math

import pytest

from perocav.fdtd.models.circular.circular_analytic import analyze_circular_on_stack, radii_from_component
from perocav.fdtd.models.circular.wgm_analytic import ring_estimate_wavelength_nm
from perocav.fdtd.models.spectral_gain.stack_window import stack_gain_window
from perocav.pdk import activate
from perocav.pdk.stack_file import resolve_stack
from perocav.pdk.stacks import get_stack

TIO2 = "designs/stacks/tio2_wgm_MAPbI3.yaml"


@pytest.fixture(scope="module", autouse=True)
def _pdk():
    activate()


def test_radii_come_from_the_cells():
    from perocav.layout.circular_grating import circular_grating
    from perocav.layout.ring_resonator import ring_resonator

    radii, high = radii_from_component(circular_grating(period_nm=250, duty_cycle=0.4, n_rings=3, center_radius_nm=500))
    assert radii == pytest.approx([0.5, 0.6, 0.75, 0.85, 1.0, 1.1]) and high == [False, True] * 3 + [False]
    radii, high = radii_from_component(ring_resonator(outer_radius_um=10, width_nm=800))
    assert radii == pytest.approx([9.2, 10.0]) and high == [False, True, False]


@pytest.mark.slow
def test_weak_grating_level_cannot_confine_a_whispering_gallery_mode():
    """50 nm Si3N4 under 150 nm perovskite: n_eff contrast ~0.02, so a 10 um disk leaks (tunnelling distance
    ~ R dn/n): Q stays near 100 (103 for the best order in the spectrum's 489.8-556 nm window; below 100 in the
    old 528-550 nm one), while the TiO2 level of the WGM stack confines it (Q > 1e5)."""
    from perocav.layout.disk_resonator import disk_resonator

    weak = analyze_circular_on_stack(stack=get_stack("transparent_CsPbBr3"), component=disk_resonator(radius_um=10))
    assert weak.neff_high - weak.neff_low < 0.05
    assert weak.best.q_radiation < 150  # every mode in the gain window leaks
    strong = analyze_circular_on_stack(stack=resolve_stack(TIO2), component=disk_resonator(radius_um=10))
    assert strong.best.q_radiation > 1e5


@pytest.mark.slow
def test_tio2_ring_whispering_gallery_mode():
    from perocav.layout.ring_resonator import ring_resonator

    stack = resolve_stack(TIO2)
    r = analyze_circular_on_stack(stack=stack, component=ring_resonator(outer_radius_um=10, width_nm=800))
    best = r.best
    assert best is not None and best.q_radiation > 1e5  # 10 um TiO2 ring: radiation negligible
    # absorption Q from the slab loss and the dispersive group index at the mode's own wavelength
    lam_cm = best.wavelength_nm * 1e-7
    assert best.q_absorption == pytest.approx(2 * math.pi * r.group_index / (lam_cm * r.modal_loss_per_cm), rel=2e-3)
    lo, hi = stack_gain_window(stack=stack).window_nm  # the MAPbI3 spectrum's gain window (667.4-826.9 nm)
    assert r.window_nm == (lo, hi) and lo <= best.wavelength_nm <= hi
    assert best.q == pytest.approx(1 / (1 / best.q_radiation + 1 / best.q_absorption))
    # the circular resonance condition with the ring's slab n_eff places the mode within the ring width
    lo = ring_estimate_wavelength_nm(m=best.m, radius_um=9.2, n_eff=r.neff_high)
    hi = ring_estimate_wavelength_nm(m=best.m, radius_um=10.0, n_eff=r.neff_high)
    assert lo < best.wavelength_nm < hi


@pytest.mark.slow
def test_circular_dfb_band_edge_modes():
    """2nd-order circular DFB on the dispersive CsPbBr3 stack: band-edge modes inside the search window (the
    emission 525 nm +- 3 % inside the spectrum's gain window, 509.3-540.8 nm) near the 2nd-order Bragg condition lambda_B = n_avg(lambda_B) period with the indices at the mode's own
    wavelength. (At 245 nm the band edge sat at ~520 nm, on the exciton absorption peak: outside the window.)"""
    from perocav.layout.circular_grating import circular_grating

    comp = circular_grating(period_nm=270, duty_cycle=0.3, n_rings=120, center_radius_nm=500)
    r = analyze_circular_on_stack(stack=get_stack("transparent_CsPbBr3"), component=comp, window_rel=0.03)
    assert {0, 1, 2} <= {m.m for m in r.modes}
    lo, hi = r.window_nm
    assert (lo, hi) == pytest.approx((525 * 0.97, 525 * 1.03)) and all(lo <= m.wavelength_nm <= hi for m in r.modes)
    n_avg = 0.3 * r.best.neff_high + 0.7 * r.best.neff_low
    assert r.best.wavelength_nm == pytest.approx(n_avg * 270, rel=0.01)
    assert r.best.q > 500 and r.best.checked and abs(r.best.residual_nm) < 0.01
