"""Per-layer modal absorption (``models.slab.layer_absorption``) against independent answers: the complex slab
solve's modal loss 2 k0 Im(n_eff) (a pole search, not an overlap) on the real dispersive PDK stacks of both
perovskites, bare and as the device model averages them; the first-order parts on the lossless guide agree to O(k^2);
one lossy layer takes the whole loss; random k per layer (hypothesis): sums and linearity."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from perocav.fdtd.models.dispersion.dispersion import region_stack
from perocav.fdtd.models.slab.layer_absorption import layer_absorption
from perocav.fdtd.models.slab.slab_modes import solve_slab_mode
from perocav.pdk.stack import IndexProfile
from perocav.pdk.stacks import get_stack

STACKS = [("transparent_MAPbI3", 780.0), ("transparent_CsPbBr3", 525.0)]


def _profiles():
    for name, lam in STACKS:
        stack = get_stack(name)
        yield name, stack.index_profile(wavelength_nm=lam)
        for duty in (0.3, 0.7):  # the device's unit-cell guide: the grating level averaged at its duty
            yield f"{name} avg {duty}", region_stack(stack=stack, region="average",
                                                     duty_cycle=duty).index_profile(wavelength_nm=lam)


@pytest.mark.parametrize("label,profile", list(_profiles()), ids=lambda x: x if isinstance(x, str) else "")
@pytest.mark.parametrize("pol", ["TE", "TM"])
def test_the_parts_sum_to_the_complex_solves_modal_loss(label, profile, pol):
    exact = solve_slab_mode(profile=profile, pol=pol, n_z=0)
    loss = 2 * (2 * 3.141592653589793 / (profile.wavelength_nm * 1e-7)) * exact.imag
    la = layer_absorption(profile=profile, pol=pol)
    assert la.total_per_cm == pytest.approx(loss, rel=1e-7)
    first = layer_absorption(profile=profile, pol=pol, first_order=True)
    assert first.total_per_cm == pytest.approx(loss, rel=1e-5)  # ITO k ~ 0.005: O(k^2) ~ 1e-6
    for a, b in zip(la.loss_per_cm, first.loss_per_cm):
        assert a == pytest.approx(b, rel=1e-4, abs=1e-9)
    # only the two ITO contacts absorb in the transparent stacks (the gain layer is lossless in the stack)
    assert {n for n, a in zip(la.names, la.loss_per_cm) if a > 0} == {"ito_bottom", "ito_top"}
    assert sum(s for _, s in la.shares()) == pytest.approx(1.0, abs=1e-12)


@pytest.mark.parametrize("name,lam", [("conventional_MAPbI3", 780.0), ("conventional_CsPbBr3", 525.0)])
def test_a_metal_cathode_closes_on_the_lossy_mode_not_to_first_order(name, lam):
    """100 nm Ag (k ~ 5) is no perturbation: the first-order sum is 2-3x off, the lossy mode's balance exact."""
    p = get_stack(name).index_profile(wavelength_nm=lam)
    loss = solve_slab_mode(profile=p).loss_per_cm
    assert layer_absorption(profile=p).total_per_cm == pytest.approx(loss, rel=1e-7)
    assert layer_absorption(profile=p, first_order=True).total_per_cm > 1.5 * loss


def _with_k(profile: IndexProfile, ks) -> IndexProfile:
    return profile.model_copy(update=dict(n_layers=tuple(complex(n.real, k) for n, k in zip(profile.n_layers, ks))))


@pytest.mark.parametrize("name,lam", STACKS)
def test_a_single_lossy_layer_takes_the_whole_loss(name, lam):
    base = get_stack(name).index_profile(wavelength_nm=lam)
    for j, layer in enumerate(base.names):
        ks = [0.0] * len(base.names)
        ks[j] = 2e-3
        p = _with_k(base, ks)
        la = layer_absorption(profile=p)
        assert la.of(layer) == pytest.approx(solve_slab_mode(profile=p).loss_per_cm, rel=1e-7)
        assert la.of(layer) > 0 and all(a == 0.0 for n, a in zip(la.names, la.loss_per_cm) if n != layer)
        assert la.shares() == ((layer, 1.0),)


PROFILE = get_stack("transparent_CsPbBr3").index_profile(wavelength_nm=525.0)


@settings(max_examples=12, deadline=None, derandomize=True)
@given(ks=st.lists(st.floats(0.0, 3e-3, allow_subnormal=False), min_size=4, max_size=4),
       scale=st.floats(0.1, 4.0, allow_subnormal=False))
def test_random_losses_sum_and_scale_linearly(ks, scale):
    p = _with_k(PROFILE, ks)
    exact = solve_slab_mode(profile=p).loss_per_cm
    la = layer_absorption(profile=p)
    assert la.total_per_cm == pytest.approx(exact, rel=1e-7, abs=1e-9)
    first = layer_absorption(profile=p, first_order=True)
    scaled = layer_absorption(profile=_with_k(PROFILE, [scale * k for k in ks]), first_order=True)
    for a, b in zip(first.loss_per_cm, scaled.loss_per_cm):  # first order: linear in each k, exactly
        assert b == pytest.approx(scale * a, rel=1e-9, abs=1e-12)
    for j, k in enumerate(ks):  # ... and additive: layer j's part does not see the others' k
        alone = [0.0] * len(ks)
        alone[j] = k
        part = layer_absorption(profile=_with_k(PROFILE, alone), first_order=True)
        assert part.of(PROFILE.names[j]) == pytest.approx(first.of(PROFILE.names[j]), rel=1e-9, abs=1e-12)
    assert first.total_per_cm == pytest.approx(exact, rel=1e-4, abs=1e-9)


def test_rejects_an_unknown_region():
    with pytest.raises(KeyError):
        layer_absorption(profile=PROFILE).of("cathode")
