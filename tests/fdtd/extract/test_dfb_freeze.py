"""Self-consistent freezing wavelength (fdtd/extract/freeze.py) against exact fixed points of model 'MEEP runs'.

A frozen run is modelled by lambda_mode(f) = f + (lambda_0 - f) n_g,f / n_g (the first-order law the prediction
uses) plus a curvature term the prediction does not know; the exact self-consistent wavelength is the root of
lambda_mode(f) - f, found here by brentq.
"""

from __future__ import annotations


import pytest
from scipy.optimize import brentq

from perocav.fdtd.extract.freeze import self_consistent_mode
from perocav.fdtd.models.dfb.dfb_dispersion import predict_wavelength_nm


def _model(*, lam0: float, f0: float, ng_f: float, ng: float, curve: float):
    """Mode found with media frozen at f (started from lam0 found at f0): exact answer of a dispersive 'stack'."""
    # in the first-order law the mode's offset from the freezing point shrinks as n_g,f / n_g
    target = predict_wavelength_nm(wavelength_nm=lam0, freeze_nm=f0, group_index_frozen=ng_f, group_index=ng)
    slope = 1.0 - ng / ng_f  # d lambda_mode / d f of that law

    def run(f: float) -> tuple[float, float]:
        return target + slope * (f - target) + curve * (f - target) ** 2, 1000.0

    return run, target


@pytest.mark.parametrize("curve", [0.0, 0.02, -0.05])
def test_secant_reaches_the_exact_fixed_point(curve):
    calls = []
    run, _ = _model(lam0=795.67, f0=797.39, ng_f=2.51, ng=4.27, curve=curve)

    def counted(f):
        calls.append(f)
        return run(f)

    lam0, _ = run(797.39)
    exact = brentq(lambda f: run(f)[0] - f, 780.0, 810.0, xtol=1e-10)
    fx = self_consistent_mode(run_mode=counted, wavelength_nm=lam0, q=800.0, freeze_nm=797.39,
                              group_index_frozen=lambda lam: 2.51, group_index=lambda lam: 4.27, tol_nm=0.01)
    assert fx is not None
    assert fx.wavelength_nm == pytest.approx(exact, abs=0.01)
    assert fx.residual_nm < 0.01
    assert fx.passes == len(calls) and fx.passes <= 4
    if curve == 0.0:
        assert fx.passes == 1  # the first-order prediction is exact for a linear law
    assert fx.q == pytest.approx(1000.0 * 4.27 / 2.51)  # Q with the dispersive material's stored energy


def test_mode_already_at_its_freezing_point_needs_no_run():
    fx = self_consistent_mode(run_mode=lambda f: pytest.fail("no run expected"), wavelength_nm=797.40, q=500.0,
                              freeze_nm=797.39, group_index_frozen=lambda lam: 2.0, group_index=lambda lam: 2.0)
    assert fx.passes == 0 and fx.q == 500.0 and fx.residual_nm == pytest.approx(0.01)


def test_lost_mode_is_reported_as_none():
    fx = self_consistent_mode(run_mode=lambda f: None, wavelength_nm=790.0, q=500.0, freeze_nm=797.0,
                              group_index_frozen=lambda lam: 2.0, group_index=lambda lam: 4.0)
    assert fx is None
