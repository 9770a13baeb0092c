"""The gain window as a result of the material spectrum (``fdtd.models.spectral_gain.window``): it is where
g(lambda, N_ceiling) exceeds the loss floor (checked on an independent fine grid), it moves as the physics says
with temperature and the Urbach energy, the user's window wins, and of several Bragg roots the spectrum's
favourite is taken (and said); a design whose only root lies outside the window has no lasing, with the reason."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from perocav.designs.evaluate import EvalTask, evaluate_point
from perocav.designs.spec import DesignSpec, expand_points
from perocav.fdtd.models.dfb.bragg import NoResonanceError, solve_bragg
from perocav.fdtd.models.dfb.dfb_analytic import analyze_dfb_on_stack
from perocav.fdtd.models.dfb.dfb_screen import screen_dfb
from perocav.fdtd.models.spectral_gain.absorption import HC_EV_NM
from perocav.fdtd.models.spectral_gain.carriers import delta_mu_ev
from perocav.fdtd.models.spectral_gain.params import BAND_EDGES
from perocav.fdtd.models.spectral_gain.spectrum import gain_per_cm
from perocav.fdtd.models.spectral_gain.stack_window import favoured_root, stack_gain_window
from perocav.fdtd.models.spectral_gain.threshold import N_CEILING_PER_CM3, density_for_gain
from perocav.fdtd.models.spectral_gain.window import LOSS_FLOOR_PER_CM, gain_window_nm
from perocav.pdk.errors import InputError
from perocav.pdk.stacks import get_stack

NAMES = ["MAPbI3", "CsPbBr3"]


def _g(name: str, wl, *, n=N_CEILING_PER_CM3, t=300.0, edge=None) -> np.ndarray:
    return gain_per_cm(edge=edge or BAND_EDGES[name], wavelength_nm=wl, density_per_cm3=n, temperature_k=t)


@pytest.mark.parametrize("name", NAMES)
def test_window_is_where_the_gain_at_the_ceiling_exceeds_the_floor(name):
    w = gain_window_nm(perovskite=name)
    assert w.source == "spectrum" and f"exceeds {LOSS_FLOOR_PER_CM:g} 1/cm" in w.reason
    fine = np.arange(w.low_nm - 40.003, w.high_nm + 40.0, 0.01)  # independent of the window's own 0.25 nm grid
    inside = (fine > w.low_nm + 1e-4) & (fine < w.high_nm - 1e-4)
    outside = (fine < w.low_nm - 1e-4) | (fine > w.high_nm + 1e-4)
    g = _g(name, fine)
    assert np.all(g[inside] > LOSS_FLOOR_PER_CM) and np.all(g[outside] <= LOSS_FLOOR_PER_CM)
    assert _g(name, w.low_nm) == pytest.approx(LOSS_FLOOR_PER_CM, abs=0.05)
    assert _g(name, w.high_nm) == pytest.approx(LOSS_FLOOR_PER_CM, abs=0.05)


@pytest.mark.parametrize("name", NAMES)
def test_zero_floor_window_starts_at_delta_mu(name):
    """g > 0 exactly red of hc / Delta_mu(N_ceiling) (Bernard-Duraffourg), on the whole fine grid."""
    w = gain_window_nm(perovskite=name, loss_floor_per_cm=0.0)
    dmu = float(delta_mu_ev(edge=BAND_EDGES[name], density_per_cm3=N_CEILING_PER_CM3, temperature_k=300.0))
    assert w.low_nm == pytest.approx(HC_EV_NM / dmu, abs=1e-4)
    fine = np.arange(w.low_nm - 20.0, w.high_nm, 0.01)
    g = _g(name, fine)
    assert np.all(g[fine > w.low_nm + 1e-4] > 0) and np.all(g[fine < w.low_nm - 1e-4] < 0)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(NAMES), t_k=st.floats(200.0, 400.0), dt_k=st.floats(5.0, 50.0),
       urbach_mev=st.floats(10.0, 30.0), du_mev=st.floats(1.0, 10.0), floor=st.floats(1.0, 200.0))
def test_window_moves_red_with_temperature_and_urbach_energy(name, t_k, dt_k, urbach_mev, du_mev, floor):
    """Hotter: Delta_mu(N_max) falls (less degenerate carriers), so the blue edge moves red. A longer Urbach tail:
    the red edge (where alpha0 falls to the floor) moves red."""
    cold = gain_window_nm(perovskite=name, temperature_k=t_k, loss_floor_per_cm=floor)
    hot = gain_window_nm(perovskite=name, temperature_k=t_k + dt_k, loss_floor_per_cm=floor)
    assert hot.low_nm > cold.low_nm
    short = replace(BAND_EDGES[name], urbach_ev=urbach_mev * 1e-3)
    long_ = replace(BAND_EDGES[name], urbach_ev=(urbach_mev + du_mev) * 1e-3)
    assert (gain_window_nm(perovskite=long_, loss_floor_per_cm=floor).high_nm
            > gain_window_nm(perovskite=short, loss_floor_per_cm=floor).high_nm)


def test_no_window_below_the_floor_is_an_error():
    with pytest.raises(InputError, match="no gain window"):
        gain_window_nm(perovskite="MAPbI3", max_density_per_cm3=1e15, loss_floor_per_cm=100.0)


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_the_users_window_wins(name):
    stack = get_stack(f"transparent_{name}")
    assert stack_gain_window(stack=stack).source == "spectrum"
    lo, hi = {"MAPbI3": (770.0, 800.0), "CsPbBr3": (528.0, 550.0)}[name]
    user = stack.model_copy(update={"gain_window_nm": (lo, hi)})
    w = stack_gain_window(stack=user)
    assert (w.source, w.window_nm) == ("user", (lo, hi)) and "user filter" in w.reason
    period = {"MAPbI3": 380.0, "CsPbBr3": 262.0}[name]
    s = solve_bragg(stack=user, period_nm=period, duty_cycle=0.5, order=2, check=False)
    assert s.window_nm == (lo, hi) and lo <= s.wavelength_nm <= hi


@pytest.mark.slow
def test_the_spectrum_picks_among_several_roots_and_says_so():
    """CsPbBr3, 250 nm 2nd order: three roots (near 491, 518 and 529 nm); the chosen one reaches the loss floor at
    the lowest density (checked with the threshold's own brentq), the screen chooses the same."""
    stack = get_stack("transparent_CsPbBr3")
    s = solve_bragg(stack=stack, period_nm=250.0, duty_cycle=0.5, order=2)
    assert s.note.startswith("3 Bragg roots") and "chosen" in s.note
    listed = [float(x) for x in s.note.split("(")[1].split(" nm)")[0].split(", ")]
    onset = [density_for_gain(edge=BAND_EDGES["CsPbBr3"], wavelength_nm=r,
                              gain_per_cm_target=LOSS_FLOOR_PER_CM).density_per_cm3 for r in listed]
    assert s.wavelength_nm == pytest.approx(listed[int(np.argmin(onset))], abs=0.01)
    scr = screen_dfb(stack=stack, period_nm=250.0, duty_cycle=0.5, order=2, length_um=100.0, quarter_wave=False)
    assert scr.bragg_wavelength_nm[0] == pytest.approx(s.wavelength_nm, abs=0.01) and scr.bragg_note[0] == s.note
    r = analyze_dfb_on_stack(stack=stack, period_nm=250.0, duty_cycle=0.5, order=2, length_um=100.0)
    assert r.bragg_note == s.note and r.gain_window_nm == stack_gain_window(stack=stack).window_nm


def test_several_roots_without_a_spectrum_are_an_error():
    w = replace(stack_gain_window(stack=get_stack("transparent_CsPbBr3")), perovskite=None)
    with pytest.raises(InputError, match="2 Bragg roots"):
        favoured_root(window=w, roots_nm=[520.0, 530.0])


def _point(period_nm: float, max_density: float):
    spec = DesignSpec.model_validate({
        "name": "outside", "stack": {"name": "transparent_MAPbI3"},
        "cavity": {"type": "dfb", "order": 2, "period_nm": period_nm, "duty_cycle": 0.5, "n_periods": 250},
        "gain_material": {"max_density_per_cm3": max_density}})
    return expand_points(spec)[0]


@pytest.mark.slow
def test_a_design_whose_only_root_lies_outside_the_window_has_no_lasing():
    """At a 1e18 cm^-3 ceiling the MAPbI3 window starts near 768 nm: a 350 nm grating's only root (~761 nm in the
    1e19 default window) lies outside it: the design records no lasing, the window and the root."""
    wide = evaluate_point(EvalTask(key="", point=_point(350.0, 1e19), fidelity="analytic"))
    assert wide.status == "ok" and wide.solver.gain_window_low_nm < 700.0
    root = wide.solver.bragg_wavelength_nm
    narrow = stack_gain_window(stack=get_stack("transparent_MAPbI3"), max_density_per_cm3=1e18)
    assert root < narrow.low_nm  # the premise: the only root lies blue of the narrow window
    r = evaluate_point(EvalTask(key="", point=_point(350.0, 1e18), fidelity="analytic"))
    assert r.status == "failed" and "no lasing: no Bragg root" in r.error and "1e+18" in r.error
    assert f"{root:.2f}" in r.error or f"{root - 0.01:.2f}" in r.error or f"{root + 0.01:.2f}" in r.error
    with pytest.raises(NoResonanceError, match="outside it"):
        solve_bragg(stack=get_stack("transparent_MAPbI3"), period_nm=350.0, duty_cycle=0.5, order=2, window_nm=narrow)
    assert math.isfinite(root)
