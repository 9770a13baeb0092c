"""Finite DFB thresholds: Kogelnik-Shank table, transfer matrix vs closed form, lambda/4 shift,
and an exact layered-stack (Maxwell, no envelopes) cross-check of both."""

from __future__ import annotations

import numpy as np
import pytest

from perocav.fdtd.models.dfb import cmt_dfb as cd
from tests.oracles import cmt_exact1d as ex
from perocav.fdtd.models.dfb import cmt_kappa as ck

# physics.md section 5: kappa L -> (alpha_th L, delta L / pi), lowest mode (Kogelnik & Shank 1972)
KS_TABLE = {1: (1.7548, 0.8487), 2: (0.9847, 1.0758), 3: (0.6226, 1.3205), 4: (0.4224, 1.5820), 5: (0.3019, 1.8564)}


@pytest.mark.parametrize("kappa_L", sorted(KS_TABLE))
def test_kogelnik_shank_table(kappa_L):
    alpha_L, delta_L_pi = KS_TABLE[kappa_L]
    modes = cd.kogelnik_shank_modes(kappa_L=kappa_L, n_modes=2)
    (a0, d0), (a1, d1) = modes
    assert abs(a0 - alpha_L) < 1e-4 and abs(a1 - alpha_L) < 1e-4
    assert abs(abs(d0) / np.pi - delta_L_pi) < 1e-4
    assert d0 == pytest.approx(-d1, abs=1e-9)  # the degenerate pair on both sides of the stopband


@pytest.mark.slow
@pytest.mark.parametrize("kappa_L", [0.3, 1.0, 2.5, 8.0])
def test_transfer_matrix_matches_closed_form(kappa_L):
    """Uniform grating cut into unequal sections (all the same kappa and phase) == Kogelnik-Shank."""
    length_um = 300.0
    kappa = kappa_L / (length_um * 1e-4)
    cuts = [37.0, 101.0, 5.0, 90.0, 67.0]
    sections = cd.piecewise_grating(lengths_um=cuts, kappas_per_cm=[kappa] * len(cuts), phases_rad=[0.7] * len(cuts))
    tmm = cd.threshold_modes(sections=sections, n_modes=6)
    ks = cd.kogelnik_shank_modes(kappa_L=kappa_L, n_modes=6)
    assert len(tmm) == len(ks) == 6
    for m, (a, d) in zip(tmm, ks):
        assert m.alpha_L == pytest.approx(a, abs=1e-7)
        assert m.delta_L == pytest.approx(d, abs=1e-7)


@pytest.mark.slow
def test_quarter_wave_shift_lases_at_bragg_with_lower_threshold():
    length_um = 200.0
    for kappa_L in (1.0, 2.0, 3.0):
        kappa = kappa_L / (length_um * 1e-4)
        qw = cd.threshold_modes(
            sections=cd.phase_shifted_grating(length_um=length_um, kappa_per_cm=kappa, phase_shift_rad=np.pi), n_modes=3
        )
        uni = cd.kogelnik_shank_modes(kappa_L=kappa_L, n_modes=1)
        assert abs(qw[0].delta_L) < 1e-8
        assert qw[0].alpha_L < uni[0][0] - 0.2
        assert qw[1].alpha_L > qw[0].alpha_L + 0.3  # single-mode: the next mode is well above


@pytest.mark.slow
def test_quarter_wave_high_q_mode_is_found_at_strong_coupling():
    """kappa L = 13: the lambda/4 mode is very narrow (alpha L ~ 1e-4) and must still be found
    (a magnitude-minimum grid search at step 0.1 misses it)."""
    length_um = 100.0
    kappa = 13.0 / (length_um * 1e-4)
    modes = cd.threshold_modes(
        sections=cd.phase_shifted_grating(length_um=length_um, kappa_per_cm=kappa, phase_shift_rad=np.pi), n_modes=3
    )
    assert abs(modes[0].delta_L) < 1e-8
    assert 0 < modes[0].alpha_L < 1e-3
    assert modes[1].alpha_L > 100 * modes[0].alpha_L
    assert abs(modes[1].delta_L) > 13.0  # the next modes sit outside the stopband


def test_phase_shift_of_full_period_is_uniform():
    length_um = 250.0
    kappa = 2.0 / (length_um * 1e-4)
    shifted = cd.threshold_modes(
        sections=cd.phase_shifted_grating(length_um=length_um, kappa_per_cm=kappa, phase_shift_rad=2 * np.pi,
                                          position_fraction=0.3), n_modes=2)
    assert shifted[0].alpha_L == pytest.approx(KS_TABLE[2][0], abs=1e-4)


def _layered_grating(*, delta_n, n_avg, duty, lambda_b_nm, kappa_L, quarter_wave):
    """Rectangular index profile (first order) of the given kappa L, as exact periodic segments."""
    nh, nl = n_avg + (1 - duty) * delta_n, n_avg - duty * delta_n
    period = lambda_b_nm / (2 * n_avg)
    kappa = ck.kappa_from_indices_per_cm(neff_high=nh, neff_low=nl, duty=duty, period_nm=period, order=1)
    n_periods = int(round(kappa_L / (kappa * period * 1e-7) / 2)) * 2
    dh, dl = duty * period, (1 - duty) * period
    if quarter_wave:  # right half displaced by half a period: [H L ... H L][L H ... L H]
        segs = [([nh, nl], [dh, dl], n_periods // 2), ([nl, nh], [dl, dh], n_periods // 2)]
    else:
        segs = [([nh, nl], [dh, dl], n_periods)]
    return segs, kappa, n_periods * period * 1e-3


@pytest.mark.slow
@pytest.mark.parametrize("quarter_wave", [False, True])
def test_thresholds_against_exact_layered_stack(quarter_wave):
    """Poles of the exact 1D transfer matrix of the actual index profile (uniform gain as Im n)
    against coupled-mode theory, for a weak (dn = 0.004) grating with kappa L = 2."""
    n_avg, lam_b = 1.9, 780.0
    segs, kappa, length_um = _layered_grating(
        delta_n=0.004, n_avg=n_avg, duty=0.5, lambda_b_nm=lam_b, kappa_L=2.0, quarter_wave=quarter_wave
    )
    sections = (
        cd.phase_shifted_grating(length_um=length_um, kappa_per_cm=kappa, phase_shift_rad=np.pi)
        if quarter_wave
        else cd.uniform_grating(length_um=length_um, kappa_per_cm=kappa)
    )
    cmt = cd.threshold_modes(sections=sections, n_modes=3)
    length_cm = length_um * 1e-4
    poles = ex.lasing_poles(
        segments=segs, n_outside=n_avg, wavelength_bounds_nm=(lam_b - 2.5, lam_b + 2.5),
        alpha_bounds_per_cm=(0.2 / length_cm, 2.5 / length_cm),
    )
    exact = [(a * length_cm, ck.delta_from_wavelength_per_cm(wavelength_nm=w, bragg_wavelength_nm=lam_b,
                                                              group_index=n_avg) * length_cm) for w, a in poles]
    assert len(exact) >= 3
    assert exact[0][0] == pytest.approx(cmt[0].alpha_L, abs=2e-3)  # same lowest threshold
    for m in cmt:  # every CMT mode has an exact partner (degenerate pairs may come in either order)
        a_ex, d_ex = min(exact, key=lambda p: abs(p[0] - m.alpha_L) + abs(p[1] - m.delta_L))
        assert m.alpha_L == pytest.approx(a_ex, abs=2e-3)
        assert m.delta_L == pytest.approx(d_ex, abs=1e-2)
    if quarter_wave:
        assert exact[0][0] == pytest.approx(0.6971, abs=1e-3)
        assert abs(exact[0][1]) < 1e-2


@pytest.mark.slow
def test_radiation_makes_the_dark_edge_lase():
    """2nd order, kappa > 0 (duty < 0.5): the symmetric standing wave at delta = -kappa radiates,
    so with h > 0 the lowest mode moves to the delta > 0 (short-wavelength, dark) side, and
    the radiating-side mode pays roughly the 2h of the infinite grating."""
    length_um = 400.0
    length_cm = length_um * 1e-4
    kappa = 6.0 / length_cm
    h = 0.5 / length_cm
    modes = cd.threshold_modes(sections=cd.uniform_grating(length_um=length_um, kappa_per_cm=kappa, radiation_per_cm=h),
                               n_modes=4)
    plain = cd.kogelnik_shank_modes(kappa_L=6.0, n_modes=1)[0][0]
    assert modes[0].delta_per_cm > 0
    red = min((m for m in modes if m.delta_per_cm < 0), key=lambda m: m.alpha_per_cm)
    assert red.alpha_L > plain + 0.5 * 2 * h * length_cm
    assert modes[0].alpha_L < red.alpha_L
    flipped = cd.threshold_modes(
        sections=cd.uniform_grating(length_um=length_um, kappa_per_cm=-kappa, radiation_per_cm=h), n_modes=1
    )
    assert flipped[0].delta_per_cm < 0
    assert flipped[0].alpha_L == pytest.approx(modes[0].alpha_L, abs=1e-8)


def test_section_validation():
    with pytest.raises(ValueError):
        cd.GratingSection(length_um=0.0, kappa_per_cm=10.0)
    with pytest.raises(ValueError):
        cd.GratingSection(length_um=1.0, kappa_per_cm=10.0, radiation_per_cm=-1.0)


@pytest.mark.parametrize("h_i", [0.0, 14.0, -30.0])
def test_complex_radiation_coupling_moves_only_the_radiating_edge(h_i):
    """Kazarinov-Henry with h = h_r + i h_i, infinite grating (gamma = 0 at a band edge, so the one-section
    matrix has trace 2 for any length): the dark edge stays at delta = +kappa with no gain, the radiating edge
    sits at delta = -kappa - 2 h_i and needs amplitude gain 2 h_r. Any other edge position gives trace != 2."""
    kappa, h_r = 400.0, 41.0
    sec = cd.GratingSection(length_um=50.0, kappa_per_cm=kappa, radiation_per_cm=h_r, radiation_reactive_per_cm=h_i)

    def trace(alpha, delta):
        m = cd._section_matrix(sec, np.array(alpha - 1j * delta))
        return complex(np.trace(m))

    assert trace(0.0, kappa) == pytest.approx(2.0, abs=1e-9)
    assert trace(2 * h_r, -kappa - 2 * h_i) == pytest.approx(2.0, abs=1e-9)
    assert abs(trace(2 * h_r, -kappa) - 2.0) > 1e-3 or h_i == 0.0
    assert abs(trace(0.0, kappa + 5.0) - 2.0) > 1e-3
