"""The device model on the PDK's dispersive stacks (MAPbI3, CsPbBr3): its exact limit (a fully, uniformly pumped
grating is the Kogelnik-Shank threshold of the unit-cell model, solved by the other code path), the zone's share
against a slab solve of the split film, and properties over random openings (partial pumping never helps; a
mirror-image opening gives the same device; the absorption is taken at the mode's own wavelength)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from perocav.designs.spec import DfbCavity
from perocav.fdtd.models.device.absorption import alpha0_function
from perocav.fdtd.models.device.pumped import solve_device
from perocav.fdtd.models.device.unit_cell import cell_from_analytic
from perocav.fdtd.models.device.zone import zone_share
from perocav.fdtd.models.dfb.dfb_analytic import MODE_SAMPLES, analyze_dfb_on_stack
from perocav.fdtd.models.dispersion.dispersion import region_stack
from perocav.fdtd.models.slab.slab_modes import solve_slab_mode
from perocav.layout.device_geometry import PumpGeometry
from perocav.pdk.stack import StackLayer
from perocav.pdk.stacks import get_stack
from tests.fdtd.device.test_lasing_choice import Lorentzian

CASES = {"MAPbI3": ("transparent_MAPbI3", 370.0, 0.7), "CsPbBr3": ("transparent_CsPbBr3", 250.0, 0.7)}


def _device(gain: str, **cav):
    name, period, duty = CASES[gain]
    stack = get_stack(name)
    cavity = DfbCavity(order=2, period_nm=period, duty_cycle=duty, n_periods=cav.pop("n_periods", 250), **cav)
    r = analyze_dfb_on_stack(stack=stack, period_nm=period, duty_cycle=duty, order=2, length_um=cavity.length_um,
                             phase_shift_rad=math.pi if cavity.phase_shift == "quarter_wave" else 0.0)
    cells = {(2, round(period, 6), round(duty, 9)): cell_from_analytic(r, order=2, period_nm=period, duty_cycle=duty)}
    return stack, cavity, r, cells


def _solve(stack, cavity, cells, share=1.0):
    return solve_device(geometry=cavity.geometry(), cells=cells, zone_share=share,
                        absorption_per_cm=alpha0_function(stack))


@pytest.mark.parametrize("gain", CASES)
@pytest.mark.parametrize("shift", ["none", "quarter_wave"])
def test_fully_pumped_device_is_the_kogelnik_shank_threshold(gain, shift):
    stack, cavity, r, cells = _device(gain, phase_shift=shift)
    sol = _solve(stack, cavity, cells)
    assert sol.lines[0].threshold_modal_gain_per_cm == pytest.approx(r.threshold_modal_gain_per_cm, rel=1e-7)
    assert sol.lines[0].wavelength_nm == pytest.approx(r.wavelength_nm, abs=1e-6)
    assert sol.pumped_fraction == 1.0


def _e2_share(mode, *, fraction: float, at_bottom: bool) -> float:
    """The zone's share of the film's integral of |E|^2 in the unsplit guide's mode (one index in the film, so the
    power weighting cancels: the lossless limit of Gamma_zone / Gamma_film)."""
    j = mode.names.index("perovskite")
    per = mode.z_nm.size // len(mode.names)
    z, e2 = mode.z_nm[j * per:(j + 1) * per], mode.e_abs2[j * per:(j + 1) * per]
    lo, hi = (z[0], z[0] + fraction * (z[-1] - z[0])) if at_bottom else (z[-1] - fraction * (z[-1] - z[0]), z[-1])
    fine = np.linspace(lo, hi, 4001)
    return float(np.trapz(np.interp(fine, z, e2), fine) / np.trapz(e2, z))


@pytest.mark.parametrize("gain", CASES)
@pytest.mark.parametrize("side, at_bottom", [("hole", True), ("electron", False)])
def test_zone_share_is_the_split_films_slab_confinement(gain, side, at_bottom):
    """The one zone confinement (``zone_share`` = ``zone_modal``'s Gamma_zone / Gamma_film) against two
    independent answers: (i) lossless, the |E|^2 share of the unsplit guide's mode; (ii) with the rest of the film
    absorbing alpha0, a slab solve of the stack rebuilt here with the perovskite cut into zone and rest layers."""
    name, period, duty = CASES[gain]
    stack = get_stack(name)
    pv = stack.layer("perovskite")
    wl = analyze_dfb_on_stack(stack=stack, period_nm=period, duty_cycle=duty, order=2, length_um=50).bragg_wavelength_nm
    avg = region_stack(stack=stack, region="average", duty_cycle=duty)
    f = 0.3
    pump = PumpGeometry(zone_fraction=f, zone_side=side)
    whole = solve_slab_mode(profile=avg.index_profile(wavelength_nm=wl), pol="TE", n_z=MODE_SAMPLES)
    lossless = zone_share(stack=stack, duty_cycle=duty, wavelength_nm=wl, pump=pump, alpha_unpumped_per_cm=0.0)
    assert lossless == pytest.approx(_e2_share(whole, fraction=f, at_bottom=at_bottom), rel=2e-3)
    assert 0.1 < lossless < 0.5
    alpha = alpha0_function(stack)(wl)
    prof = avg.index_profile(wavelength_nm=wl)
    n = complex(prof.n_layers[prof.names.index("perovskite")]).real
    k_rest = alpha * wl * 1e-7 / (4 * math.pi)
    zone = StackLayer(name="zone", material={"n": n, "k": 0.0}, thickness_nm=f * pv.thickness_nm, role="gain")
    rest = StackLayer(name="rest", material={"n": n, "k": k_rest}, thickness_nm=(1 - f) * pv.thickness_nm)
    layers = []
    for layer in avg.layers:
        layers += ([zone, rest] if at_bottom else [rest, zone]) if layer.name == "perovskite" else [layer]
    cut = solve_slab_mode(profile=avg.model_copy(update={"layers": tuple(layers)}).index_profile(wavelength_nm=wl),
                          pol="TE", n_z=MODE_SAMPLES)
    want = cut.confinement_power["zone"] / (cut.confinement_power["zone"] + cut.confinement_power["rest"])
    got = zone_share(stack=stack, duty_cycle=duty, wavelength_nm=wl, pump=pump, alpha_unpumped_per_cm=alpha)
    assert got == pytest.approx(want, rel=2e-3)


@pytest.mark.parametrize("gain", CASES)
def test_the_absorption_is_taken_at_the_lasing_line(gain):
    stack, cavity, _, cells = _device(gain, pump={"opening_um": 40})
    sol = _solve(stack, cavity, cells)
    assert sol.absorption_per_cm == pytest.approx(alpha0_function(stack)(sol.lines[0].wavelength_nm), rel=1e-3)
    assert sol.unpumped_loss_per_cm > sol.absorption_per_cm * 0.8  # Gamma ~ 0.9 of it, plus the ITO


@settings(max_examples=12, deadline=None)
@given(opening=st.floats(min_value=15.0, max_value=90.0, allow_subnormal=False), offset=st.floats(min_value=-20.0, max_value=20.0, allow_subnormal=False),
       gain=st.sampled_from(sorted(CASES)))
def test_partial_pumping_never_helps_and_mirror_openings_agree(opening, offset, gain):
    stack, full, r, cells = _device(gain)
    part = DfbCavity.model_validate(full.model_dump() | {"pump": {"opening_um": opening, "offset_um": offset}})
    mirror = DfbCavity.model_validate(full.model_dump() | {"pump": {"opening_um": opening, "offset_um": -offset}})
    g_full = r.threshold_modal_gain_per_cm
    g_part = _solve(stack, part, cells).lines[0].threshold_modal_gain_per_cm
    g_mirror = _solve(stack, mirror, cells).lines[0].threshold_modal_gain_per_cm
    assert g_part >= g_full * (1 - 1e-9)
    assert g_mirror == pytest.approx(g_part, rel=1e-6)


@pytest.mark.parametrize("gain", CASES)
def test_threshold_rises_as_the_opening_shrinks(gain):
    stack, _, _, cells = _device(gain)
    g = [_solve(stack, _device(gain, pump={"opening_um": d})[1], cells).lines[0].threshold_modal_gain_per_cm
         for d in (90.0, 70.0, 50.0, 30.0)]
    assert g == sorted(g) and g[-1] > 1.5 * g[0]


@pytest.mark.parametrize("gain", CASES)
def test_the_mode_the_gain_peak_favours_lases(gain):
    """A gain spectrum peaked on the 2nd-lowest-threshold mode (the Lorentzian model of test_lasing_choice, 0.25 nm
    wide): that mode lases, the other mode's modal gain at its N_th falls short (margin > 0), and the absorption is
    taken at the lasing mode's own wavelength."""
    stack, cavity, _, cells = _device(gain, pump={"opening_um": 50})
    plain = _solve(stack, cavity, cells)
    second = plain.lines[1]
    model = Lorentzian(peak_nm=second.wavelength_nm, width_nm=0.25)
    sol = solve_device(geometry=cavity.geometry(), cells=cells, zone_share=1.0,
                       absorption_per_cm=alpha0_function(stack), ranking=model)
    assert sol.lasing_rank == 1
    assert sol.lines[0].threshold_modal_gain_per_cm > sol.lines[1].threshold_modal_gain_per_cm
    assert abs(sol.lines[0].wavelength_nm - second.wavelength_nm) < 0.5
    assert sol.absorption_per_cm == pytest.approx(alpha0_function(stack)(sol.lines[0].wavelength_nm), rel=1e-3)
    n_th = model.density_per_cm3(modal_gain_per_cm=sol.lines[0].threshold_modal_gain_per_cm,
                                 wavelength_nm=sol.lines[0].wavelength_nm)
    short = min(line.threshold_modal_gain_per_cm - model.modal_gain_per_cm(density_per_cm3=n_th,
                                                                          wavelength_nm=line.wavelength_nm)
                for line in sol.lines[1:])
    assert sol.gain_margin_per_cm == pytest.approx(short, rel=1e-9) and short > 0
