"""The finite-device FDTD's pure parts: geometry -> teeth (the DeviceGeometry phase convention), the MEEP cell's
perovskite split, gain <-> conductivity (and one real-MEEP homogeneous-medium check), the zero-crossing fit, the
partial-pumping coupled-mode solver against Kogelnik-Shank, and the zone confinement."""

from __future__ import annotations

import math

import numpy as np
import pytest

from perocav.fdtd.device_cmt import SectionCouplings, device_sections
from perocav.fdtd.device_fdtd import DeviceFdtdSettings
from perocav.fdtd.extract.threshold_fit import (
    combine_rungs,
    mode_thresholds,
    richardson,
    single_level_thresholds,
    zero_crossing,
)
from perocav.fdtd.meep.device_geometry_2d import (
    GainLayerMedia,
    device_cross_section_2d,
    harmonic_phases_rad,
    is_mirror_symmetric,
    sampled_length_um,
    tooth_intervals_um,
)
from perocav.fdtd.models.gain_medium import (
    d_conductivity_per_um,
    extinction_from_gain,
    gain_from_d_conductivity,
    gain_index,
)
from perocav.fdtd.models.slab.zone_modal import zone_modal, zone_rows_nm
from perocav.layout.device_geometry import DeviceGeometry, PumpGeometry, SectionGeometry
from perocav.pdk.stacks import get_stack

P = 200.0


def _sec(n, *, order=1, period=P, duty=0.5, shift=0.0):
    return SectionGeometry(order=order, period_nm=period, duty_cycle=duty, n_periods=n, shift_nm=shift)


def test_teeth_centred_on_lattice_points_of_each_section():
    g = DeviceGeometry(sections=(_sec(3), _sec(2, shift=P / 2)))
    teeth = tooth_intervals_um(g)
    centres = [0.5 * (a + b) for a, b in teeth]
    start2 = g.bounds_um()[1][0]
    assert start2 == pytest.approx(3 * P / 1000 + P / 2000)
    expect = [(k + 0.5) * P / 1000 for k in range(3)] + [start2 + (k + 0.5) * P / 1000 for k in range(2)]
    assert centres == pytest.approx(expect)
    assert all(b - a == pytest.approx(0.5 * P / 1000) for a, b in teeth)


def test_harmonic_phase_of_a_quarter_wave_shift_is_pi_and_the_contract_step_doubled():
    g = DeviceGeometry(sections=(_sec(10), _sec(10, shift=P / 2)))
    phases = harmonic_phases_rad(g)
    assert phases[0] == 0.0
    assert phases[1] == pytest.approx(math.pi)
    assert phases[1] == pytest.approx(2 * g.sections[1].phase_step_rad)  # theta = 2 phi of the contract
    # a tenth of a period: phi steps by pi / 10 (the contract), theta = 2 phi = pi / 5
    g2 = DeviceGeometry(sections=(_sec(10), _sec(10, shift=P / 10)))
    assert harmonic_phases_rad(g2)[1] == pytest.approx(math.pi / 5)
    assert harmonic_phases_rad(g2)[1] == pytest.approx(2 * g2.sections[1].phase_step_rad)


def test_mixed_order_teeth_sit_half_a_first_order_period_off_the_first_order_lattice():
    g = DeviceGeometry(sections=(_sec(4, duty=0.3), _sec(2, order=2, period=2 * P, duty=0.3), _sec(4, duty=0.3)))
    assert harmonic_phases_rad(g) == pytest.approx((0.0, math.pi, 0.0))
    assert is_mirror_symmetric(g)


def test_mirror_symmetry_needs_a_centred_opening():
    g = DeviceGeometry(sections=(_sec(20),), pump=PumpGeometry(opening_um=2.0))
    assert is_mirror_symmetric(g)
    assert not is_mirror_symmetric(DeviceGeometry(sections=(_sec(20),), pump=PumpGeometry(opening_um=2.0,
                                                                                          offset_um=0.5)))


def test_cross_section_teeth_and_pumped_zone_where_the_geometry_puts_them():
    stack = get_stack("transparent_MAPbI3")
    g = DeviceGeometry(sections=(_sec(10),), pump=PumpGeometry(opening_um=1.0, zone_fraction=0.5, zone_side="hole"))
    media = GainLayerMedia(n_real=2.44, zone_gain_per_cm=1000.0, alpha_unpumped_per_cm=300.0, wavelength_nm=815.0)
    cell = device_cross_section_2d(stack=stack, geometry=g, media=media, resolution_px_per_um=40.0)
    teeth = [(s.x0_um, s.x1_um) for s in cell.shapes if ":tooth" in s.name]
    half = 0.5 * g.length_um
    assert np.ravel(teeth) == pytest.approx(np.ravel([(a - half, b - half) for a, b in tooth_intervals_um(g)]))
    zone = [s for s in cell.shapes if s.name == "pumped_zone"]
    assert len(zone) == 1
    y0, y1 = cell.levels_um["perovskite"]
    assert (zone[0].x0_um, zone[0].x1_um) == pytest.approx((-0.5, 0.5))
    assert (zone[0].y0_um, zone[0].y1_um) == pytest.approx((y0, y0 + 0.5 * (y1 - y0)))  # hole side = bottom
    assert zone[0].medium.index.imag < 0  # gain
    pero = [s for s in cell.shapes if s.name == "perovskite"]
    assert len(pero) == 3 and all(p.medium.index.imag > 0 for p in pero)  # the rest absorbs, no overlaps
    # the perovskite's bottom half a pixel off the grid, the cell a whole even number of pixels
    assert (y0 * 40.0) % 1.0 == pytest.approx(0.5)
    assert (cell.size_y_um * 40.0) % 2.0 == pytest.approx(0.0, abs=1e-6)
    assert (cell.size_x_um * 40.0) % 2.0 == pytest.approx(0.0, abs=1e-6)


def test_sampled_conductivity_is_scaled_to_the_drawn_area():
    assert sampled_length_um(a_um=-0.05, b_um=0.0, resolution_px_per_um=40.0) == pytest.approx(0.075)  # 3 points
    assert sampled_length_um(a_um=-0.04, b_um=0.01, resolution_px_per_um=40.0) == pytest.approx(0.05)
    stack = get_stack("transparent_MAPbI3")
    g = DeviceGeometry(sections=(_sec(10),))
    media = GainLayerMedia(n_real=2.44, zone_gain_per_cm=0.0, alpha_unpumped_per_cm=300.0, wavelength_nm=815.0)
    cell = device_cross_section_2d(stack=stack, geometry=g, media=media, resolution_px_per_um=40.0)
    ito = next(s for s in cell.shapes if s.name == "ito_bottom")
    n_ito = complex(get_stack("transparent_MAPbI3").index_profile(wavelength_nm=815.0).n_layers[1])
    sampled = sampled_length_um(a_um=ito.y0_um, b_um=ito.y1_um, resolution_px_per_um=40.0)
    assert sampled == pytest.approx(0.025)  # one grid point in 20 nm
    assert (ito.medium.index**2).imag * sampled == pytest.approx((n_ito**2).imag * 0.020, rel=1e-9)
    assert (ito.medium.index**2).real == pytest.approx((n_ito**2).real, rel=1e-9)


def test_zone_rows():
    assert zone_rows_nm(thickness_nm=150, pump=PumpGeometry(zone_fraction=0.2, zone_side="electron")) == (
        pytest.approx(120.0), 150)
    assert zone_rows_nm(thickness_nm=150, pump=PumpGeometry()) == (0.0, 150)


def test_gain_conductivity_conversion():
    lam, n, g = 815.0, 2.44, 1500.0
    kappa = extinction_from_gain(gain_per_cm=g, wavelength_nm=lam)
    assert kappa < 0 and 4 * math.pi * -kappa / (lam * 1e-7) == pytest.approx(g)
    sigma = d_conductivity_per_um(n_real=n, gain_per_cm=g, wavelength_nm=lam)
    assert sigma < 0
    assert sigma == pytest.approx(-g * 1e-4 / n, rel=1e-3)  # sigma_D = -g c / n to first order
    assert gain_from_d_conductivity(n_real=n, sigma_per_um=sigma) == pytest.approx(g, rel=1e-3)
    eps = gain_index(n_real=n, gain_per_cm=g, wavelength_nm=lam) ** 2
    assert sigma == pytest.approx(2 * math.pi * 1000 / lam * eps.imag / eps.real, rel=1e-12)


@pytest.mark.meep
def test_meep_homogeneous_gain_grows_at_g_times_group_velocity():
    from perocav.fdtd.meep.gain_check import homogeneous_intensity_rate_per_um  # lazy: meep

    n = 2.44
    for g in (800.0, -800.0):
        rate = homogeneous_intensity_rate_per_um(n_real=n, gain_per_cm=g, wavelength_nm=815.0)
        assert rate * n * 1e4 == pytest.approx(g, rel=0.01)


def test_zero_crossing_on_synthetic_lines():
    g = [1000.0, 1500.0, 1800.0]
    fit = zero_crossing(gains_per_cm=g, decay_rates=[0.004 - 2e-6 * x for x in g])
    assert fit.threshold_gain_per_cm == pytest.approx(2000.0)
    assert fit.residual_rms < 1e-12
    with pytest.raises(ValueError):
        zero_crossing(gains_per_cm=g, decay_rates=[0.001 + 1e-6 * x for x in g])
    with pytest.raises(ValueError):
        zero_crossing(gains_per_cm=[1.0], decay_rates=[0.1])
    assert richardson(coarse=1.1, fine=1.025, resolution_coarse=40, resolution_fine=80) == pytest.approx(1.0)


def test_mode_thresholds_follow_each_mode_and_sort():
    gains = [1000.0, 1500.0]
    a = lambda x: 0.004 - 2e-6 * x  # noqa: E731  threshold 2000
    b = lambda x: 0.005 - 2e-6 * x  # noqa: E731  threshold 2500
    poles = [[(812.0, a(x), 1.0), (826.1, b(x), 0.5), (840.0, 0.01, 1e-4)] for x in gains]
    modes = mode_thresholds(gains_per_cm=gains, poles=poles, match_tol_nm=2.0)
    assert [round(m.fit.threshold_gain_per_cm) for m in modes] == [2000, 2500]
    assert modes[0].wavelength_nm == 812.0


def test_single_level_threshold_is_the_two_level_zero_for_a_line_of_the_reference_slope():
    """One level with the reference run's slope gives the exact zero of a straight line; the reference is found by
    wavelength after the given shift; weak and unmatched poles are dropped."""
    a = lambda x: 0.004 - 2e-6 * x  # noqa: E731  threshold 2000
    b = lambda x: 0.006 - 3e-6 * x  # noqa: E731  threshold 2000 too, other slope
    ref = mode_thresholds(gains_per_cm=[1000.0, 1500.0], match_tol_nm=2.0,
                          poles=[[(812.0, a(x), 1.0), (826.0, b(x), 1.0)] for x in (1000.0, 1500.0)])
    # the same modes 3 nm to the red and with other intercepts (thresholds 1900 and 2100) at another resolution
    poles = [(815.0, 0.0038 - 2e-6 * 1700.0, 1.0), (829.0, 0.0063 - 3e-6 * 1700.0, 0.8), (821.0, 0.0, 1e-3),
             (845.0, 0.001, 1.0)]
    got = single_level_thresholds(gain_per_cm=1700.0, poles=poles, reference=ref, match_tol_nm=2.0, shift_nm=3.0)
    assert [round(m.fit.threshold_gain_per_cm, 6) for m in got] == [1900.0, 2100.0]
    assert [m.wavelength_nm for m in got] == [815.0, 829.0]
    assert got[0].fit.n_levels == 1 and got[1].fit.slope == pytest.approx(-3e-6)
    assert single_level_thresholds(gain_per_cm=1700.0, poles=poles, reference=ref, match_tol_nm=2.0) == []


def test_device_sections_cut_at_the_opening_with_signed_kappa_and_phase():
    g = DeviceGeometry(sections=(_sec(50), _sec(50, shift=P / 2)), pump=PumpGeometry(opening_um=4.0))
    c = {(1, 0.5): SectionCouplings(kappa_abs_per_cm=900.0, pumped_background_per_cm=-70.0,
                                    unpumped_background_per_cm=-330.0)}
    secs = device_sections(geometry=g, couplings=c, reference_nm=815.0, group_index=2.46)
    assert sum(s.length_um for s in secs) == pytest.approx(g.length_um)
    assert sum(s.length_um for s in secs if s.pumped) == pytest.approx(4.0)
    # a half-period gap of a 1st-order grating: a quarter-wave step, pi / 2 in the grating phase (the engine takes
    # minus the geometry's phase: its waves run as exp(-i beta z), models.device.plan._pieces)
    assert sorted({round(s.phase_rad, 9) + 0.0 for s in secs if s.kappa_per_cm}) == pytest.approx([-math.pi / 2, 0.0])
    assert [s.gain_per_cm for s in secs if s.pumped] == [-70.0] * sum(s.pumped for s in secs)
    assert any(s.kappa_per_cm == 0.0 for s in secs)  # the shift gap


def test_zone_confinements_add_up_and_backgrounds_order():
    stack = get_stack("transparent_MAPbI3")
    kw = dict(stack=stack, duty_cycle=0.5, wavelength_nm=815.0, alpha_unpumped_per_cm=300.0)
    whole = zone_modal(**kw, pump=PumpGeometry())
    hole = zone_modal(**kw, pump=PumpGeometry(zone_fraction=0.5, zone_side="hole"))
    elec = zone_modal(**kw, pump=PumpGeometry(zone_fraction=0.5, zone_side="electron"))
    assert hole.zone_confinement + elec.zone_confinement == pytest.approx(whole.zone_confinement, rel=1e-6)
    assert whole.zone_confinement == pytest.approx(whole.perovskite_confinement)
    # unpumped: the whole perovskite absorbs; pumped half-zone: half of it
    assert whole.unpumped_background_per_cm < hole.pumped_background_per_cm < whole.pumped_background_per_cm < 0
    per_alpha = (whole.pumped_background_per_cm - whole.unpumped_background_per_cm) / 300.0
    assert per_alpha == pytest.approx(whole.perovskite_confinement, rel=1e-3)  # modal loss = Gamma alpha0
    assert np.isfinite(whole.n_perovskite)


def test_combine_rungs_mean_finest_and_richardson():
    vals, res = [985.3, 969.5], [60.0, 80.0]
    assert combine_rungs(values=vals, resolutions_px_per_um=res, method="mean") == pytest.approx(977.4)
    assert combine_rungs(values=vals, resolutions_px_per_um=res, method="finest") == 969.5
    r = combine_rungs(values=vals, resolutions_px_per_um=res, method="richardson")
    assert r == pytest.approx(richardson(coarse=985.3, fine=969.5, resolution_coarse=60, resolution_fine=80))
    assert combine_rungs(values=[1.0], resolutions_px_per_um=[60.0], method="richardson") == 1.0
    with pytest.raises(ValueError):
        combine_rungs(values=vals, resolutions_px_per_um=res, method="median")


def test_device_fdtd_settings_refuse_an_unknown_rung_estimate_and_falling_rungs():
    assert DeviceFdtdSettings().rung_estimate == "richardson"
    with pytest.raises(ValueError, match="rung_estimate"):
        DeviceFdtdSettings(rung_estimate="median")
    with pytest.raises(ValueError, match="rising"):
        DeviceFdtdSettings(resolutions_px_per_um=(80.0, 60.0))
