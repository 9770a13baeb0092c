"""Convergence loop and DFB pure helpers on synthetic numbers (no solver)."""

import math

import pytest

from perocav.fdtd.extract import band_edges as E
from perocav.fdtd.models.dfb import dfb_couplings as C
from perocav.fdtd.models.gain import threshold_modal_gain_per_cm
from perocav.fdtd.meep import pixels as P
from perocav.fdtd.extract.convergence import (ConvergenceStep, converge, mode_converged, resolution_ladder,
                                             steps_agree)
from perocav.fdtd.extract.resonance import Resonance
from perocav.pdk.errors import InputError
from perocav.pdk.stacks import get_stack


def _fake(err_at):
    """A 'solver' whose wavelength error falls as 1/res^2 and Q error as 1/res."""
    calls = []

    def run(res, ring):
        calls.append((res, ring))
        return ConvergenceStep(res, ring, "ok", (800 + err_at / res**2,), (1000 * (1 + 10 / res),), (True,), 1.0)

    return run, calls


def test_converges_when_successive_steps_agree_and_raises_ring_down():
    run, calls = _fake(2e5)  # 20 nm at 100, 8.9 at 150, 5 at 200, 2.2 at 300, 1.25 at 400
    rep = converge(run_step=run, resolutions_px_per_um=[100, 150, 200, 300, 400], ring_down_um=100,
                   wavelength_tol_nm=1.5, q_relative_tol=0.05)
    assert rep.converged
    assert rep.last.resolution_px_per_um == 400
    assert [c[1] for c in calls] == pytest.approx([100, 125, 156.25, 195.3125, 244.140625])


def test_not_converged_is_reported_with_the_resolution_reached():
    run, _ = _fake(2e6)
    rep = converge(run_step=run, resolutions_px_per_um=[100, 150], ring_down_um=100, wavelength_tol_nm=0.5,
                   q_relative_tol=0.05)
    assert not rep.converged and "150" in rep.reason


def test_unstable_step_stops_the_loop():
    def run(res, ring):
        return ConvergenceStep(res, ring, "unstable" if res > 120 else "ok", (800.0,), (1e3,), (True,))

    rep = converge(run_step=run, resolutions_px_per_um=[100, 150, 200], ring_down_um=50, wavelength_tol_nm=0.5,
                   q_relative_tol=0.1)
    assert not rep.converged and rep.last.status == "unstable" and len(rep.steps) == 2


def test_unresolved_q_is_not_compared():
    def run(res, ring):
        return ConvergenceStep(res, ring, "ok", (800.0,), (1e5 * res,), (False,))

    rep = converge(run_step=run, resolutions_px_per_um=[100, 150], ring_down_um=50, wavelength_tol_nm=0.5,
                   q_relative_tol=0.1)
    assert rep.converged



def test_cylindrical_rule_per_mode_and_as_the_loop_agreement():
    """Each mode: wavelength moved < tol and Q <= tol x the fine Q; an unmatched (NaN) mode is not converged; the
    loop stops at the first rung where every mode passes."""
    kw = dict(wavelength_tol_nm=1.0, q_relative_tol=0.1)
    assert mode_converged(coarse_wavelength_nm=800.0, coarse_q=1000.0, fine_wavelength_nm=800.9, fine_q=1099.0, **kw)
    assert not mode_converged(coarse_wavelength_nm=800.0, coarse_q=1000.0, fine_wavelength_nm=801.0, fine_q=1000.0,
                              **kw)
    # one rule for 2D and cylindrical: relative to the fine Q, 1000 -> 910 passes at 10 % (90 <= 91), 1000 -> 900
    # does not (100 > 90); a Q a run does not resolve, or an infinite one, is not compared
    assert mode_converged(coarse_wavelength_nm=800.0, coarse_q=1000.0, fine_wavelength_nm=800.0, fine_q=910.0, **kw)
    assert not mode_converged(coarse_wavelength_nm=800.0, coarse_q=1000.0, fine_wavelength_nm=800.0, fine_q=900.0,
                              **kw)
    assert mode_converged(coarse_wavelength_nm=800.0, coarse_q=1000.0, fine_wavelength_nm=800.0, fine_q=500.0,
                          q_compared=False, **kw)
    assert mode_converged(coarse_wavelength_nm=800.0, coarse_q=math.inf, fine_wavelength_nm=800.0, fine_q=500.0, **kw)
    assert not mode_converged(coarse_wavelength_nm=800.0, coarse_q=1e3, fine_wavelength_nm=math.nan,
                              fine_q=math.nan, **kw)
    coarse = ConvergenceStep(40, 150, "ok", (780.0, 800.0), (500.0, 2000.0), (True, True))
    assert steps_agree(coarse=coarse, fine=ConvergenceStep(60, 150, "ok", (780.5, 800.2), (520.0, 1900.0)), **kw)
    assert not steps_agree(coarse=coarse, fine=ConvergenceStep(60, 150, "ok", (780.5, math.nan),
                                                                   (520.0, math.nan)), **kw)
    assert not steps_agree(coarse=coarse, fine=ConvergenceStep(60, 150, "unstable"), **kw)

    def run(res, ring):
        return ConvergenceStep(res, ring, "ok", (780.0 + 200 / res,), (1000.0,), (False,))

    rep = converge(run_step=run, resolutions_px_per_um=[40, 60, 90, 135], ring_down_um=150, ring_down_factor=1.0,
                   **kw)  # the default rule: the cylindrical ladder's
    assert rep.converged and rep.last.resolution_px_per_um == 135  # moves 1.67, 1.11, then 0.74 nm
    assert {s.ring_down_um for s in rep.steps} == {150}


def test_ladder_snaps_to_whole_pixels_per_period():
    snap = lambda r: P.whole_pixel_resolution(period_nm=370, resolution_px_per_um=r)
    ladder = resolution_ladder(start_px_per_um=50, max_px_per_um=200, snap=snap)
    for r in ladder:
        assert abs(r * 0.37 - round(r * 0.37)) < 1e-9
    assert ladder[0] >= 50 and ladder[-1] <= 200 and len(ladder) >= 3


def test_pixel_rule_refuses_unless_forced():
    stack = get_stack("transparent")  # 20 nm ITO: 4 px need 200 px/um
    assert P.min_resolution_px_per_um(stack=stack) == pytest.approx(200)
    with pytest.raises(InputError) as err:
        P.check_resolution(stack=stack, resolution_px_per_um=100)
    assert "resolution_px_per_um" in str(err.value) and "200" in str(err.value)
    P.check_resolution(stack=stack, resolution_px_per_um=100, force=True)


def test_band_edges_kappa_and_threshold_formulas():
    rs = [Resonance(1000 / 805, 3.0, 1, 0), Resonance(1000 / 800, 1e4, 1, 0), Resonance(1000 / 810, -5e10, 1, 0),
          Resonance(1000 / 900, 1e5, 1, 0)]
    short, long_ = E.pick_band_edges(resonances=rs, wavelength_min_nm=780, wavelength_max_nm=830)
    assert short.wavelength_nm == pytest.approx(800) and long_.wavelength_nm == pytest.approx(810)
    assert math.isinf(long_.q)  # lossless cell: Harminv's +-1e10 is infinity
    kappa = C.kappa_from_edges_per_cm(short_nm=800, long_nm=810, group_index=2.0)
    assert kappa == pytest.approx(math.pi * 2.0 * 10 / 805**2 * 1e7)
    g = threshold_modal_gain_per_cm(wavelength_nm=800, q=1000, group_index=2.0)
    assert g == pytest.approx(2 * math.pi * 2.0 / (800e-7 * 1000))
    assert C.bragg_k_per_um(period_nm=200, order=1) == pytest.approx(2.5)
    assert C.bragg_k_per_um(period_nm=400, order=2) == 0.0
    assert E.q_resolved(q=100, freq_per_um=1.25, ring_down_um=100)
    assert not E.q_resolved(q=1e7, freq_per_um=1.25, ring_down_um=100)
