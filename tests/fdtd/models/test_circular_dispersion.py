"""Circular/WGM resonances solved self-consistently with the stack's dispersion (issue 10).

Independent checks: (1) an exact dispersive case: every index scaled by the same linear s(lambda) makes the 2D
problem scale-invariant, so the self-consistent wavelength solves lambda = lambda_f s(lambda) / s(lambda_f) in
closed form (slope -1.35: plain fixed-point iteration diverges there); (2) constant tables: self-consistent ==
frozen (resonances_2d); (3) on the real dispersive PDK stacks of both perovskites, the reported resonances
re-solved by resonances_2d with indices from direct slab solves at the answer land within 0.01 nm, while the
indices frozen at the emission wavelength put them elsewhere (the check can fail); (4) hypothesis over radii and
periods; (5) cylindrical FDTD with media frozen and iterated to the mode (MEEP).
"""

import math
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from perocav.fdtd.models.circular.circular_analytic import analyze_circular_on_stack, mode_region, radii_from_component
from perocav.fdtd.models.dfb.bragg import NoResonanceError
from perocav.fdtd.models.circular.circular_resonance import RingProblem, self_consistent_resonances
from perocav.fdtd.models.dispersion.dispersion import NeffDispersion, region_stack
from perocav.fdtd.models.slab.slab_modes import solve_slab_neff
from perocav.fdtd.models.circular.wgm_analytic import resonances_2d
from perocav.layout.circular_grating import circular_grating
from perocav.layout.disk_resonator import disk_resonator
from perocav.fdtd.models.spectral_gain.stack_window import stack_gain_window
from perocav.pdk import activate
from perocav.pdk.stack_file import resolve_stack
from perocav.pdk.stacks import get_stack

TIO2 = "designs/stacks/tio2_wgm_MAPbI3.yaml"


@pytest.fixture(scope="module", autouse=True)
def _pdk():
    activate()


def tio2_cspbbr3():
    """The TiO2 WGM stack with CsPbBr3 as gain (its gain window 528-550 nm)."""
    s = resolve_stack(TIO2)
    layers = tuple(l.model_copy(update={"material": "CsPbBr3"}) if l.role == "gain" else l for l in s.layers)
    return s.model_copy(update={"name": "tio2_wgm_CsPbBr3", "layers": layers, "emission_wavelength_nm": 540.0})


def table(n_of_lambda, lo=516.0, hi=562.0) -> NeffDispersion:
    wl = tuple(float(x) for x in np.linspace(lo, hi, 24))
    return NeffDispersion(stack_name="exact", region="x", wavelength_nm=wl, neff_table=tuple(n_of_lambda(x) for x in wl))


@pytest.mark.slow
def test_exact_scale_invariant_dispersion():
    lam_ref, c = 540.0, -2.5e-3  # s(lambda) = 1 + c (lambda - lam_ref)
    s = lambda x: 1 + c * (x - lam_ref)  # noqa: E731
    hi, lo = table(lambda x: 2.0 * s(x)), table(lambda x: 1.0 * s(x))
    radii, high, ms = [2.0], [True, False], list(range(38, 46))
    problem = RingProblem(radii_um=tuple(radii), high=tuple(high), tooth=hi, gap=lo, weight_high=1.0)
    got = self_consistent_resonances(problem=problem, m_values=ms, window_nm=(520.0, 560.0), per_m=1)
    assert len(got) >= 3
    for r in got:  # a frozen pole (indices at lam_ref) maps to lambda = lam_f s(lambda): closed form
        frozen = resonances_2d(m=r.m, radii_um=radii, indices=[2.0, 1.0], freq_min=1000 / 600, freq_max=1000 / 480,
                               pol="Hz")
        exact = [f.wavelength_nm * (1 - c * lam_ref) / (1 - c * f.wavelength_nm) for f in frozen]
        assert min(exact, key=lambda x: abs(x - r.wavelength_nm)) == pytest.approx(r.wavelength_nm, abs=1e-3)
        assert abs(r.residual_nm) < 1e-3 and r.passes > 1
        assert abs(r.wavelength_nm * c) > 1  # the fixed-point map's slope: plain iteration diverges here


@pytest.mark.slow
def test_constant_tables_self_consistent_equals_frozen():
    hi, lo = table(lambda x: 2.2), table(lambda x: 1.7)
    radii, high, ms = [1.6, 2.0], [False, True, False], list(range(38, 48))
    problem = RingProblem(radii_um=tuple(radii), high=tuple(high), tooth=hi, gap=lo, weight_high=1.0)
    got = self_consistent_resonances(problem=problem, m_values=ms, window_nm=(520.0, 560.0), per_m=1)
    assert len(got) >= 3
    for r in got:
        frozen = resonances_2d(m=r.m, radii_um=radii, indices=[1.7, 2.2, 1.7], freq_min=1000 / 565,
                               freq_max=1000 / 515, pol="Hz")
        assert min(abs(r.wavelength_nm - f.wavelength_nm) for f in frozen) < 1e-6
        assert r.passes == 1 and r.residual_nm == pytest.approx(0, abs=1e-9)


def resolve_independently(*, stack, component, mode, wavelength_nm, rel=0.01):
    """resonances_2d with n_high, n_low from direct slab solves at ``wavelength_nm``: the wavelength of the pole of
    order ``mode.m`` nearest ``mode.wavelength_nm``."""
    radii, high = radii_from_component(component)
    n = {reg: solve_slab_neff(profile=region_stack(stack=stack, region=reg).index_profile(
        wavelength_nm=wavelength_nm)).real for reg in ("tooth", "gap")}
    f0 = 1000.0 / mode.wavelength_nm
    found = resonances_2d(m=mode.m, radii_um=radii, indices=[n["tooth"] if h else n["gap"] for h in high],
                          freq_min=(1 - rel) * f0, freq_max=(1 + rel) * f0, pol="Hz", n_scan=200)
    return min((r.wavelength_nm for r in found), key=lambda x: abs(x - mode.wavelength_nm), default=math.nan)


CASES = [
    ("transparent_CsPbBr3", lambda: circular_grating(period_nm=268, duty_cycle=0.3, n_rings=100, center_radius_nm=500)),
    ("transparent_MAPbI3", lambda: circular_grating(period_nm=385, duty_cycle=0.3, n_rings=100, center_radius_nm=500)),
    ("tio2_MAPbI3", lambda: disk_resonator(radius_um=3.0)),
    ("tio2_CsPbBr3", lambda: disk_resonator(radius_um=2.0)),
]


def stack_of(name):
    return {"tio2_MAPbI3": lambda: resolve_stack(TIO2), "tio2_CsPbBr3": tio2_cspbbr3}.get(name, lambda: get_stack(name))()


@pytest.mark.slow
@pytest.mark.parametrize("name, cell", CASES, ids=[c[0] for c in CASES])
def test_resonances_are_self_consistent_on_dispersive_stacks(name, cell):
    stack, comp = stack_of(name), cell()
    r = analyze_circular_on_stack(stack=stack, component=comp)
    lo, hi = stack_gain_window(stack=stack).window_nm
    assert r.window_nm == (lo, hi) and all(lo <= m.wavelength_nm <= hi for m in r.modes)
    checked = [m for m in r.modes if m.checked]
    assert r.best in checked and abs(r.residual_nm) < 0.01
    for mode in checked:
        assert abs(mode.residual_nm) < 0.01
        again = resolve_independently(stack=stack, component=comp, mode=mode, wavelength_nm=mode.wavelength_nm)
        assert again == pytest.approx(mode.wavelength_nm, abs=0.01)
    # the same check with the indices frozen at the emission wavelength fails (no pole within 0.1 nm; NaN: none
    # within 5 %): dispersion matters here
    frozen = resolve_independently(stack=stack, component=comp, mode=r.best,
                                   wavelength_nm=stack.emission_wavelength_nm, rel=0.05)
    assert not abs(frozen - r.best.wavelength_nm) <= 0.1
    # Q_abs and n_g come from the shared dispersion at the mode's wavelength
    assert r.best.q_absorption == pytest.approx(
        2 * math.pi * r.group_index / (r.best.wavelength_nm * 1e-7 * r.modal_loss_per_cm), rel=5e-3)


@pytest.mark.slow
@settings(max_examples=3, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(which=st.sampled_from(["transparent_CsPbBr3", "transparent_MAPbI3"]), frac=st.floats(0.0, 1.0, allow_subnormal=False),
       radius_um=st.floats(1.5, 3.0, allow_subnormal=False))
def test_property_modes_in_window_and_self_consistent(which, frac, radius_um):
    """Random circular-DFB periods (spanning the gain window's Bragg range) and disk radii on both perovskites: each
    reported resonance lies in the gain window and its best mode solves its resonance condition to 0.01 nm (or the
    design fails with NoResonanceError, never a number)."""
    stack = get_stack(which)
    p_lo, p_hi = {"transparent_CsPbBr3": (262, 275), "transparent_MAPbI3": (372, 395)}[which]
    period = round(p_lo + frac * (p_hi - p_lo))
    lo, hi = stack_gain_window(stack=stack).window_nm
    wgm = tio2_cspbbr3() if which == "transparent_CsPbBr3" else resolve_stack(TIO2)
    for s, comp in ((stack, circular_grating(period_nm=period, duty_cycle=0.3, n_rings=80, center_radius_nm=500)),
                    (wgm, disk_resonator(radius_um=round(radius_um, 2)))):
        try:
            r = analyze_circular_on_stack(stack=s, component=comp)
        except NoResonanceError as err:
            assert err.field == "cavity" and err.allowed
            continue
        assert all(lo <= m.wavelength_nm <= hi for m in r.modes)
        assert r.best.checked and abs(r.best.residual_nm) < 0.01
        again = resolve_independently(stack=s, component=comp, mode=r.best, wavelength_nm=r.best.wavelength_nm)
        assert again == pytest.approx(r.best.wavelength_nm, abs=0.01)


@pytest.mark.slow
def test_no_mode_in_the_gain_window_is_an_error():
    """A circular DFB whose band edge lies far outside the CsPbBr3 gain window (period 330 nm: ~640 nm)."""
    comp = circular_grating(period_nm=330, duty_cycle=0.3, n_rings=30, center_radius_nm=500)
    with pytest.raises(NoResonanceError) as err:
        analyze_circular_on_stack(stack=get_stack("transparent_CsPbBr3"), component=comp)
    lo, hi = stack_gain_window(stack=get_stack("transparent_CsPbBr3")).window_nm
    assert err.value.field == "cavity" and f"{lo:g}-{hi:g} nm" in str(err.value)


def test_mode_region_of_the_cells():
    assert mode_region(disk_resonator(radius_um=2.0)) == ("tooth", None, 1.0)
    assert mode_region(circular_grating(period_nm=270, duty_cycle=0.3, n_rings=3, center_radius_nm=500)) == (
        "average", 0.3, 0.3)


FDTD = [  # (stack, disk radius um, m, band nm): the strongest WGM of each perovskite family in its gain window
    ("tio2_MAPbI3", 3.0, 47, (740.0, 820.0)),
    ("tio2_CsPbBr3", 2.0, 48, (520.0, 560.0)),
]


@pytest.mark.meep
@pytest.mark.slow
@pytest.mark.parametrize("name, radius_um, m, band", FDTD, ids=[c[0] for c in FDTD])
def test_cylindrical_fdtd_media_frozen_at_the_mode(name, radius_um, m, band):
    """Cylindrical FDTD (MEEP) with media frozen and the freezing wavelength iterated to the mode: the mode lies
    within freeze_tol_nm = 0.1 nm of the freezing wavelength after >= 1 re-run. Forced to 40 px/um (the pixel rule
    asks 200 px/um for the 20 nm ITO): its first run (media frozen at the band centre) is off the analytic model of
    the same frozen media (every material a constant n,k of that wavelength) by a discretisation offset d (< 1 %;
    0.2-0.9 % at 40-120 px/um, test_cyl_stack_wgm). Dispersion compresses offsets by n_g,frozen / n_g < 1, so the
    self-consistent FDTD mode must lie within |d| + 0.2 nm of the self-consistent analytic one; without the
    iteration it would also carry the dispersion shift (0.6 nm on MAPbI3/TiO2, several nm on CsPbBr3)."""
    from perocav.fdtd.circular import simulate_circular
    from perocav.fdtd.circular_settings import CIRCULAR_FDTD, CircularSettings

    stack, comp = stack_of(name), disk_resonator(radius_um=radius_um)
    ref = analyze_circular_on_stack(stack=stack, component=comp, m_values=[m]).best
    sc = simulate_circular(component=comp, stack=stack, family="disk", wavelength_min_nm=band[0],
                           wavelength_max_nm=band[1],
                           settings=replace(CIRCULAR_FDTD, resolution_px_per_um=40, ring_down_um=60, converge=False,
                                            pml_um=0.7, substrate_um=0.5, cover_um=0.5),
                           circular=CircularSettings(m_values=(m,), split_q=False, side_pad_um=0.7, mode_window_um=0))
    assert sc.status == {m: "ok"}
    (mode,) = [x for x in sc.modes if x.tracked]
    assert abs(mode.freeze_residual_nm) < sc.freeze_tol_nm == 0.1 and mode.freeze_passes >= 2
    assert mode.freeze_wavelength_nm == sc.freeze_history[m][-1][0] and len(sc.freeze_history[m]) == mode.freeze_passes
    assert 50 < mode.q < mode.q_dispersive  # normal dispersion (n_g > n_g,frozen) lengthens the decay
    centre, first = sc.freeze_history[m][0]
    assert centre == pytest.approx(2000 / (1000 / band[0] + 1000 / band[1]))
    frozen_media = analyze_circular_on_stack(stack=frozen_at(stack, centre), component=comp, m_values=[m]).best
    d = first - frozen_media.wavelength_nm
    assert abs(d) < 0.01 * ref.wavelength_nm
    assert abs(mode.wavelength_nm - ref.wavelength_nm) < abs(d) + 0.2


def frozen_at(stack, wavelength_nm):
    """``stack`` with every material a constant n,k of ``wavelength_nm`` (what a frozen MEEP run sees); same window."""
    from perocav.pdk.materials import resolve_material
    from perocav.pdk.stack import ConstantIndex

    def c(spec):
        n = complex(resolve_material(spec).nk(wavelength_nm=wavelength_nm))
        return ConstantIndex(n=max(n.real, 1.0), k=max(n.imag, 0.0))

    layers = tuple(l.model_copy(update={"material": c(l.material),
                                        "fill_material": c(l.fill_material) if l.fill_material is not None else None})
                   for l in stack.layers)
    return stack.model_copy(update={"layers": layers, "substrate": c(stack.substrate), "cover": c(stack.cover),
                                    "gain_window_nm": stack_gain_window(stack=stack).window_nm})
