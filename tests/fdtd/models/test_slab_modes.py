"""Slab solver against exact answers (physics brief section 5) and an independent finite-difference solver."""

import numpy as np
import pytest

from perocav.fdtd.models.slab.slab_fd import solve_slab_fd
from perocav.fdtd.models.slab.slab_modes import NoGuidedModeError, solve_slab_mode
from perocav.pdk.stack import IndexProfile, Stack, StackLayer
from perocav.pdk.stacks import get_stack


def symmetric(n_core, n_clad, d_nm, wl_nm):
    return IndexProfile(names=("core",), thickness_nm=(d_nm,), n_layers=(n_core,), n_substrate=n_clad,
                        n_cover=n_clad, wavelength_nm=wl_nm)


# physics.md section 5: core, clad, thickness, wavelength -> TE0 n_eff, Gamma (field fraction), TM0 n_eff
EXACT = [
    ((2.5, 1.5, 200, 780), 2.208039, 0.8509, 2.014015),
    ((2.5, 1.5, 130, 780), 2.036231, 0.6944, 1.740848),
    ((3.5, 1.0, 200, 1550), 2.758406, 0.7980, 1.384079),
]


@pytest.mark.parametrize("args,te,gamma,tm", EXACT)
def test_exact_symmetric_slab(args, te, gamma, tm):
    p = symmetric(*args)
    m_te = solve_slab_mode(profile=p, pol="TE")
    m_tm = solve_slab_mode(profile=p, pol="TM")
    assert abs(m_te.neff.real - te) < 1e-5 and m_te.neff.imag == 0
    assert abs(m_tm.neff.real - tm) < 1e-5
    assert abs(m_te.confinement["core"] - gamma) < 1e-4
    assert sum(m_te.confinement.values()) == pytest.approx(1.0, abs=1e-9)


def test_symmetric_slab_te_transcendental_equation():
    """n_eff satisfies the textbook TE0 condition tan(kx d/2) = gamma / kx to machine precision."""
    n1, n2, d, wl = 2.3, 1.45, 170.0, 650.0
    neff = solve_slab_mode(profile=symmetric(n1, n2, d, wl), pol="TE").neff.real
    k0 = 2 * np.pi / wl
    kx, g = k0 * np.sqrt(n1**2 - neff**2), k0 * np.sqrt(neff**2 - n2**2)
    assert np.tan(kx * d / 2) == pytest.approx(g / kx, rel=1e-9)


def _unseen_stacks():
    """Stacks the solver was never tuned on: Drude ITO, HfO2/TiO2 layers, a thin Au contact, constants."""
    return [
        Stack(name="drude_ito_stack", substrate="SiO2", cover="air", layers=(
            StackLayer(name="hfo2", material="HfO2", thickness_nm=35),
            StackLayer(name="ito", material="ITO_Drude", thickness_nm=28),
            StackLayer(name="pvk", material={"n": 2.48, "k": 0.0}, thickness_nm=110, role="gain"),
            StackLayer(name="zno", material="ZnO", thickness_nm=25),
            StackLayer(name="ito2", material="ITO_Konig", thickness_nm=15),
        )),
        Stack(name="gold_cap", substrate="Al2O3", cover="air", layers=(
            StackLayer(name="tio2", material="TiO2", thickness_nm=60),
            StackLayer(name="pvk", material="MAPbBr3", thickness_nm=180, role="gain"),
            StackLayer(name="pedot", material="PEDOT:PSS", thickness_nm=30),
            StackLayer(name="au", material="Au", thickness_nm=12),
        )),
        Stack(name="lossy_core", substrate={"n": 1.5}, cover={"n": 1.33}, layers=(
            StackLayer(name="core", material={"n": 2.2, "k": 0.01}, thickness_nm=240),
        )),
    ]


@pytest.mark.parametrize("stack", _unseen_stacks(), ids=lambda s: s.name)
@pytest.mark.parametrize("pol", ["TE", "TM"])
@pytest.mark.parametrize("wl", [560.0, 800.0])
def test_lossy_stacks_agree_with_finite_difference(stack, pol, wl):
    profile = stack.index_profile(wavelength_nm=wl)
    tmm = solve_slab_mode(profile=profile, pol=pol)
    fd = solve_slab_fd(profile=profile, pol=pol)
    assert abs(tmm.neff - fd.neff) < 1e-4
    assert tmm.loss_per_cm > 0
    assert tmm.loss_per_cm == pytest.approx(fd.loss_per_cm, rel=0.02)
    for name in profile.names:
        tol = 1e-3 if pol == "TE" else 3e-3
        assert abs(tmm.confinement[name] - fd.confinement[name]) < tol, name


@pytest.mark.slow
@pytest.mark.parametrize("name", ["conventional", "conventional_CsPbBr3", "transparent", "grating_above"])
def test_pdk_stacks_agree_with_finite_difference(name):
    st = get_stack(name)
    p = st.index_profile(wavelength_nm=st.emission_wavelength_nm)
    for pol in ("TE", "TM"):
        a, b = solve_slab_mode(profile=p, pol=pol), solve_slab_fd(profile=p, pol=pol)
        assert abs(a.neff - b.neff) < 1e-4 and a.loss_per_cm == pytest.approx(b.loss_per_cm, rel=0.02)


@pytest.mark.parametrize("pol", ["TE", "TM"])
def test_power_confinement_gives_exact_modal_gain(pol):
    """Visser's power-weighted Gamma predicts the modal gain of the same guide with gain in the core."""
    st = get_stack("transparent")
    p = st.index_profile(wavelength_nm=780)
    cold = solve_slab_mode(profile=p, pol=pol)
    g_i = 200.0
    k = -g_i * 780e-7 / (4 * np.pi)
    n_layers = tuple(complex(n.real, k) if nm == "perovskite" else n for nm, n in zip(p.names, p.n_layers))
    hot = solve_slab_mode(profile=p.model_copy(update={"n_layers": n_layers}), pol=pol)
    predicted = cold.confinement_power["perovskite"] * g_i
    assert (cold.loss_per_cm - hot.loss_per_cm) == pytest.approx(predicted, rel=5e-3)
    # and the field fraction does not (it underestimates the modal gain in a high-index core)
    assert (cold.loss_per_cm - hot.loss_per_cm) > 1.05 * cold.confinement["perovskite"] * g_i


def test_higher_order_and_cutoff():
    p = symmetric(2.5, 1.5, 600, 780)
    m0, m1 = solve_slab_mode(profile=p, pol="TE", order=0), solve_slab_mode(profile=p, pol="TE", order=1)
    assert m0.neff.real > m1.neff.real > 1.5
    asym = IndexProfile(names=("core",), thickness_nm=(20.0,), n_layers=(1.8,), n_substrate=1.6, n_cover=1.0,
                        wavelength_nm=780)
    with pytest.raises(NoGuidedModeError):
        solve_slab_mode(profile=asym, pol="TE")


def test_metal_clad_te_mode_is_not_plasmon():
    """Thick Ag on top: TE has no plasmon; the fundamental TM is the dielectric-guided one (n_eff < core)."""
    st = get_stack("conventional")
    p = st.index_profile(wavelength_nm=780)
    for pol in ("TE", "TM"):
        m = solve_slab_mode(profile=p, pol=pol)
        assert 1.4537 < m.neff.real < 2.5251
        assert m.confinement["cathode"] < 0.05  # a surface plasmon would sit on the metal
