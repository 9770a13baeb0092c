"""The vectorised analytic DFB screen (fdtd.models.dfb_screen) against independent answers and the per-design path.

Independent answers: the Kogelnik-Shank thresholds of physics.md section 5 (published table) for the vectorised
threshold solver; the exact symmetric-slab TE0 of physics.md section 5 for the vectorised slab solver; the
per-design transfer-matrix search (cmt_dfb.threshold_modes, grid-seeded scipy Newton) and per-design PPoly roots
(models.dfb.bragg.bragg_roots_nm); and the whole per-design path (analyze_dfb_on_stack: full slab root searches, the
mode sampled on a grid) on both perovskites' transparent stacks and a constant-index stack.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from perocav.designs.evaluate import EvalTask, evaluate_point
from perocav.designs.evaluate_batch import evaluate_dfb_batch
from perocav.designs.spec import DesignPoint
from perocav.fdtd.models.dfb.cmt_dfb import phase_shifted_grating, threshold_modes, uniform_grating
from perocav.fdtd.models.dfb.dfb_analytic import analyze_dfb_on_stack
from perocav.fdtd.models.dfb.bragg import bragg_roots_nm, direct_region_neff, grating_tables
from perocav.fdtd.models.dfb.bragg_batch import bragg_roots_batch
from perocav.fdtd.models.dfb.dfb_screen import screen_dfb
from perocav.fdtd.models.dfb.dfb_screen_result import screen_design
from perocav.fdtd.models.slab.slab_batch import mode_integrals, solve_te0
from perocav.fdtd.models.dfb.threshold_batch import threshold_batch
from perocav.fdtd.models.spectral_gain.stack_window import stack_gain_window
from perocav.pdk.stack import ConstantIndex, Stack, StackLayer
from perocav.pdk.stacks import get_stack

#: physics.md section 5: kappa L -> (alpha_th L, delta L / pi) of the lowest uniform-grating mode (4 decimals)
KOGELNIK_SHANK = {1: (1.7548, 0.8487), 2: (0.9847, 1.0758), 3: (0.6226, 1.3205), 4: (0.4224, 1.5820),
                  5: (0.3019, 1.8564)}
FIELDS = ("wavelength_nm", "bragg_wavelength_nm", "bragg_residual_nm", "neff_high", "neff_low", "n_avg",
          "group_index", "kappa_per_cm", "kappa_L", "radiation_per_cm", "confinement", "confinement_power",
          "modal_loss_per_cm", "mirror_loss_per_cm", "threshold_modal_gain_per_cm", "threshold_material_gain_per_cm")


def _constant_stack() -> Stack:
    return Stack(name="const", substrate=ConstantIndex(n=1.45), cover=ConstantIndex(n=1.0), layers=(
        StackLayer(name="grating", material=ConstantIndex(n=2.0), fill_material=ConstantIndex(n=1.45),
                   thickness_nm=50, role="grating"),
        StackLayer(name="ito", material=ConstantIndex(n=1.8, k=0.01), thickness_nm=20, role="contact"),
        StackLayer(name="core", material=ConstantIndex(n=2.5), thickness_nm=150, role="gain")),
        emission_wavelength_nm=790.0)


def _period(stack: Stack, duty: float, order: int, where: float = 0.5) -> float:
    """A period whose Bragg point lies at ``where`` across the gain window (direct solves)."""
    lo, hi = stack_gain_window(stack=stack).window_nm
    lam = lo + where * (hi - lo)
    n = duty * direct_region_neff(stack=stack, region="tooth", wavelength_nm=lam) + (1 - duty) * direct_region_neff(
        stack=stack, region="gap", wavelength_nm=lam)
    return order * lam / (2 * n)


def test_threshold_batch_kogelnik_shank_table():
    r = threshold_batch(kappa_l=np.array(list(KOGELNIK_SHANK), float), h_l=np.zeros(5), shifted=np.zeros(5, bool))
    assert r.ok.all()
    for k, (kl, (a_l, d_pi)) in enumerate(KOGELNIK_SHANK.items()):
        assert r.alpha_l[k, 0] == pytest.approx(a_l, abs=6e-5), kl
        assert abs(r.delta_l[k, 0]) / np.pi == pytest.approx(d_pi, abs=6e-5), kl
        assert r.alpha_l[k, 1] == pytest.approx(r.alpha_l[k, 0], rel=1e-9)  # the +/- delta pair
        assert r.delta_l[k, 1] == pytest.approx(-r.delta_l[k, 0], rel=1e-9)
    # quarter-wave shift: the lowest mode sits at the Bragg wavelength, below the uniform grating's threshold
    q = threshold_batch(kappa_l=np.array([2.0]), h_l=np.zeros(1), shifted=np.ones(1, bool))
    assert abs(q.delta_l[0, 0]) < 1e-9 and q.alpha_l[0, 0] < r.alpha_l[1, 0]


@pytest.mark.slow
def test_threshold_batch_matches_transfer_matrix_search():
    rng = np.random.default_rng(3)
    n = 24
    kl = rng.uniform(0.1, 6.0, n) * rng.choice([-1, 1], n)
    hl = np.where(rng.random(n) < 0.75, rng.uniform(0.0, 2.0, n), 0.0)
    sh = rng.random(n) < 0.5
    r = threshold_batch(kappa_l=kl, h_l=hl, shifted=sh)
    assert r.ok.all()
    for i in range(n):  # L = 1 cm: per-cm values are per-L values
        secs = (phase_shifted_grating(length_um=1e4, kappa_per_cm=kl[i], phase_shift_rad=np.pi, radiation_per_cm=hl[i])
                if sh[i] else uniform_grating(length_um=1e4, kappa_per_cm=kl[i], radiation_per_cm=hl[i]))
        modes = threshold_modes(sections=secs, n_modes=3)
        assert len(modes) == 3
        np.testing.assert_allclose(r.alpha_l[i], [m.alpha_per_cm for m in modes], rtol=1e-9)
        np.testing.assert_allclose(r.delta_l[i], [m.delta_per_cm for m in modes], rtol=1e-9, atol=1e-9)


def test_slab_batch_exact_symmetric_slab():
    """physics.md section 5: core 2.5 / clad 1.5, TE0 at 780 nm: 200 nm -> 2.208039 (Gamma 0.8509), 130 nm ->
    2.036231 (0.6944)."""
    for d, n_ref, gamma_ref in ((200.0, 2.208039, 0.8509), (130.0, 2.036231, 0.6944)):
        eps = np.array([[1.5**2, 2.5**2, 1.5**2]], dtype=complex)
        guess = np.array([round(n_ref, 2) + 0.02])  # the screen starts within ~1e-4; a secant accepts <= 0.03
        n, ok = solve_te0(eps=eps, thickness_nm=np.array([d]), wavelength_nm=np.array([780.0]), guess=guess)
        assert ok[0] and n[0].real == pytest.approx(n_ref, abs=1e-6)
        e2 = mode_integrals(eps=eps, thickness_nm=np.array([d]), wavelength_nm=np.array([780.0]), neff=n).e2
        assert e2[0, 1] / e2[0].sum() == pytest.approx(gamma_ref, abs=1e-4)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["transparent_MAPbI3", "transparent_CsPbBr3"])
def test_bragg_batch_equals_per_design_roots(name):
    stack = get_stack(name)
    tooth, gap = grating_tables(stack=stack)
    rng = np.random.default_rng(5)
    order = rng.choice([1, 2], 60)
    duty = rng.uniform(0.05, 0.95, 60)
    centre = np.array([_period(stack, 0.5, 1)] * 60) * order
    period = centre * rng.uniform(0.9, 1.1, 60)
    lo, hi = tooth.range_nm
    for window in (stack_gain_window(stack=stack).window_nm, (lo, hi)):  # the full table range has several roots for CsPbBr3
        b = bragg_roots_batch(tooth=tooth, gap=gap, period_nm=period, duty_cycle=duty, order=order, window_nm=window)
        for i in range(60):
            roots = bragg_roots_nm(tooth=tooth, gap=gap, period_nm=period[i], duty_cycle=duty[i], order=int(order[i]),
                                   window_nm=window)
            assert b.n_roots[i] == len(roots)
            if len(roots) == 1:
                assert b.wavelength_nm[i] == pytest.approx(roots[0], abs=1e-9)


CASES = [(s, o, q) for s in ("transparent_MAPbI3", "transparent_CsPbBr3", "const") for o in (1, 2) for q in (False, True)]


@pytest.mark.slow
@pytest.mark.parametrize("name,order,shifted", CASES)
def test_screen_equals_per_design_path(name, order, shifted):
    stack = _constant_stack() if name == "const" else get_stack(name)
    duty = np.array([0.3, 0.7]) if order == 2 else np.array([0.35, 0.6])
    period = np.array([_period(stack, d, order, w) for d, w in zip(duty, (0.35, 0.65))])
    length = period * 250 / 1000
    s = screen_dfb(stack=stack, period_nm=period, duty_cycle=duty, order=order, length_um=length, quarter_wave=shifted)
    assert s.ok.all(), s.reason
    phase = math.pi if shifted else 0.0
    for i in range(2):
        ref = analyze_dfb_on_stack(stack=stack, period_nm=period[i], duty_cycle=duty[i], order=order,
                                   length_um=length[i], phase_shift_rad=phase)
        new = screen_design(s, i, period_nm=period[i], duty_cycle=duty[i], order=order, length_um=length[i],
                            phase_shift_rad=phase)
        for f in FIELDS:
            a, b = getattr(ref, f), getattr(new, f)
            tol = dict(abs=1e-6) if f == "bragg_residual_nm" else dict(rel=1e-6, abs=1e-12)
            assert b == pytest.approx(a, **tol), f
        assert new.radiating_edge == ref.radiating_edge
        assert len(new.cmt.modes) == len(ref.cmt.modes) == 3
        for m_new, m_ref in zip(new.cmt.modes, ref.cmt.modes):
            assert m_new.wavelength_nm == pytest.approx(m_ref.wavelength_nm, rel=1e-9)
            assert m_new.power_gain_per_cm == pytest.approx(m_ref.power_gain_per_cm, rel=1e-6)
        assert new.cmt.stopband_short_nm == pytest.approx(ref.cmt.stopband_short_nm, rel=1e-9)
        assert new.cmt.stopband_long_nm == pytest.approx(ref.cmt.stopband_long_nm, rel=1e-9)


@pytest.mark.slow
def test_batch_records_equal_evaluate_point():
    """The pipeline's batch evaluator: same table columns in the same order and the same numbers as the per-design
    evaluator, failures (Bragg root outside the window, duty 0.5 at 2nd order: no index coupling to follow) from
    the per-design path word for word."""
    from dataclasses import asdict

    from perocav.designs.table import result_columns

    base = {"stack": {"name": "transparent_MAPbI3"}, "gain_material": {}}
    cavs = [dict(order=2, period_nm=385, duty_cycle=0.3, n_periods=120, phase_shift="quarter_wave"),
            dict(order=1, period_nm=193, duty_cycle=0.6, n_periods=200),
            dict(order=2, period_nm=470, duty_cycle=0.3, n_periods=120),
            dict(order=2, period_nm=385, duty_cycle=0.5, n_periods=120)]
    points = [DesignPoint.model_validate({**base, "cavity": {"type": "dfb", **c}}) for c in cavs]
    got = dict(evaluate_dfb_batch(points))
    assert sorted(got) == [0, 1, 2, 3]
    for i, p in enumerate(points):
        ref_result, new_result = evaluate_point(EvalTask(key="", point=p, fidelity="analytic")), got[i]
        ref, new = result_columns(ref_result), result_columns(new_result)
        if ref_result.ok:
            ref["side_modes"] = [list(asdict(m).values()) for m in ref_result.solver.side_modes]
            new["side_modes"] = [list(asdict(m).values()) for m in new_result.solver.side_modes]
        assert list(new) == list(ref)
        assert new["status"] == ref["status"] and new["error"] == ref["error"]
        for k, v in ref.items():
            if k in ("wall_time_s", "traceback"):
                continue
            if isinstance(v, float):
                assert new[k] == pytest.approx(v, rel=1e-6, nan_ok=True), k
            elif k == "side_modes":
                np.testing.assert_allclose(np.array(new[k]), np.array(v), rtol=1e-6)
            else:
                assert json.dumps(new[k]) == json.dumps(v), k
    assert got[2].status == "failed" and got[0].status == got[1].status == got[3].status == "ok"
