"""kappa of rectangular gratings against independent exact answers: the quarter-wave Bragg
stack gap formula, Bloch bands of the actual layer stack, and an exact slab-mode calculation."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import brentq

from tests.oracles import cmt_exact1d as ex
from perocav.fdtd.models.dfb import cmt_kappa as ck
from perocav.fdtd.models.dfb import cmt_radiation as cr


def _cmt_edges(nh, nl, duty, period_nm, order):
    n_avg = ck.average_index(neff_high=nh, neff_low=nl, duty=duty)
    kappa = ck.kappa_from_indices_per_cm(neff_high=nh, neff_low=nl, duty=duty, period_nm=period_nm, order=order)
    lam_b = ck.bragg_wavelength_nm(n_avg=n_avg, period_nm=period_nm, order=order)
    return ck.stopband_edges_nm(kappa_per_cm=kappa, bragg_wavelength_nm=lam_b, group_index=n_avg)


def _gap_over_centre(short_nm, long_nm):
    """d_omega / omega_0 with omega_0 the mid-gap frequency."""
    f_hi, f_lo = 1.0 / short_nm, 1.0 / long_nm
    return (f_hi - f_lo) / (0.5 * (f_hi + f_lo))


@pytest.mark.parametrize("nh, nl", [(2.5, 1.5), (2.06, 1.46), (1.51, 1.49)])
def test_bloch_trace_reproduces_quarter_wave_gap_formula(nh, nl):
    """Own Bloch-matrix trace vs (4/pi) arcsin(|nH - nL| / (nH + nL)) (exact for quarter-wave stacks)."""
    lam0 = 780.0
    short, long_ = ex.bloch_gap_edges_nm(indices=[nh, nl], thicknesses_nm=[lam0 / (4 * nh), lam0 / (4 * nl)], order=1)
    formula = 4 / np.pi * np.arcsin(abs(nh - nl) / (nh + nl))
    assert _gap_over_centre(short, long_) == pytest.approx(formula, rel=1e-9)


def test_cmt_gap_approaches_quarter_wave_formula_at_small_contrast():
    """CMT (Fourier-harmonic kappa) vs the exact quarter-wave gap: error shrinks like contrast^2."""
    lam0 = 780.0
    errors = []
    for dn in (0.1, 0.02, 0.004):
        nh, nl = 1.5 + dn / 2, 1.5 - dn / 2
        dh, dl = lam0 / (4 * nh), lam0 / (4 * nl)
        short, long_ = _cmt_edges(nh, nl, dh / (dh + dl), dh + dl, 1)
        formula = 4 / np.pi * np.arcsin(dn / (nh + nl))
        errors.append(abs(_gap_over_centre(short, long_) / formula - 1))
    assert errors[-1] < 1e-5
    assert errors[0] / errors[1] > 15 and errors[1] / errors[2] > 15  # ~ (ratio 5)^2 = 25


@pytest.mark.slow
@pytest.mark.parametrize("duty", [0.3, 0.5, 0.7])
@pytest.mark.parametrize("order", [1, 2])
def test_cmt_stopband_edges_against_exact_bloch_bands(duty, order):
    """Both stopband edges of first- and second-order gratings against the exact band edges of
    the periodic two-layer stack, within 2 % of the gap width (contrast 0.02)."""
    nh, nl, period = 1.91, 1.89, 400.0 * order
    if order == 2 and duty == 0.5:
        # the 2nd harmonic of a 50 % rectangular grating vanishes: CMT has no gap; the exact stack
        # keeps a gap of second order in the contrast, and closes it exactly where the optical
        # thicknesses are equal (D = nl / (nh + nl)).
        kappa = ck.kappa_from_indices_per_cm(neff_high=nh, neff_low=nl, duty=duty, period_nm=period, order=2)
        assert abs(kappa) < 1e-9
        s5, l5 = ex.bloch_gap_edges_nm(indices=[nh, nl], thicknesses_nm=[0.5 * period] * 2, order=2, points=200001)
        s3, l3 = ex.bloch_gap_edges_nm(indices=[nh, nl], thicknesses_nm=[0.3 * period, 0.7 * period], order=2)
        assert (l5 - s5) < 0.03 * (l3 - s3)
        d_opt = nl / (nh + nl)
        with pytest.raises(ValueError, match="no gap"):
            ex.bloch_gap_edges_nm(indices=[nh, nl], thicknesses_nm=[d_opt * period, (1 - d_opt) * period], order=2,
                                  points=200001)
        return
    exact = ex.bloch_gap_edges_nm(indices=[nh, nl], thicknesses_nm=[duty * period, (1 - duty) * period], order=order)
    cmt = _cmt_edges(nh, nl, duty, period, order)
    width = exact[1] - exact[0]
    assert (cmt[1] - cmt[0]) == pytest.approx(width, rel=0.02)
    assert abs(cmt[0] - exact[0]) < 0.02 * width
    assert abs(cmt[1] - exact[1]) < 0.02 * width


def _slab_te0(*, n_core, n_clad, thickness_nm, wavelength_nm):
    """Exact TE0 of a symmetric slab: n_eff and E_y(z) on a grid (test-only reference)."""
    k0 = 2 * np.pi / wavelength_nm
    a = thickness_nm / 2

    def disp(neff):
        kx = k0 * np.sqrt(n_core**2 - neff**2)
        g = k0 * np.sqrt(neff**2 - n_clad**2)
        return kx * np.tan(kx * a) - g

    hi = min(n_core, n_clad + (n_core - n_clad) * 0.999999)
    # the TE0 branch: kx a in (0, pi/2)
    lo = np.sqrt(max(n_core**2 - (np.pi / 2 / (k0 * a)) ** 2, n_clad**2)) + 1e-12
    neff = brentq(disp, lo, hi - 1e-12, xtol=1e-14)
    kx = k0 * np.sqrt(n_core**2 - neff**2)
    g = k0 * np.sqrt(neff**2 - n_clad**2)
    z = np.linspace(-a - 8 / g, a + 8 / g, 40001)
    e = np.where(np.abs(z) <= a, np.cos(kx * z), np.cos(kx * a) * np.exp(-g * (np.abs(z) - a)))
    return neff, z, e


def test_slab_reference_matches_physics_brief():
    neff, _, _ = _slab_te0(n_core=2.5, n_clad=1.5, thickness_nm=200, wavelength_nm=780)
    assert neff == pytest.approx(2.208039, abs=2e-6)


def test_overlap_kappa_uniform_medium_equals_fourier_formula():
    """|E|^2 constant, d_eps = eps_h - eps_l everywhere: the overlap integral must give
    kappa = 2 dn sin(pi D) / lambda (exact in the index picture up to O(dn^2))."""
    nh, nl, duty, lam = 1.905, 1.895, 0.37, 780.0
    z = np.linspace(0, 1000, 101)
    n_avg = ck.average_index(neff_high=nh, neff_low=nl, duty=duty)
    for order in (1, 2):
        period = order * lam / (2 * n_avg)
        k_idx = ck.kappa_from_indices_per_cm(neff_high=nh, neff_low=nl, duty=duty, period_nm=period, order=order)
        k_ovl = ck.kappa_from_overlap_per_cm(
            z_nm=z, field_sq=np.ones_like(z), d_eps=np.full_like(z, nh**2 - nl**2), duty=duty, order=order,
            n_eff=n_avg, wavelength_nm=lam,
        )
        assert k_ovl == pytest.approx(k_idx, rel=5e-3)
        assert np.sign(k_ovl) == np.sign(np.sin(order * np.pi * duty))


def test_overlap_kappa_matches_region_effective_indices_of_an_exact_slab():
    """A grating that modulates the whole core of a symmetric slab (n_core +/- 0.005): kappa from
    the exact n_eff of the two regions == kappa from the overlap with the unperturbed mode."""
    n_core, n_clad, t, lam, duty, order = 2.5, 1.5, 130.0, 780.0, 0.4, 1
    dn = 0.005
    nh = _slab_te0(n_core=n_core + dn, n_clad=n_clad, thickness_nm=t, wavelength_nm=lam)[0]
    nl = _slab_te0(n_core=n_core - dn, n_clad=n_clad, thickness_nm=t, wavelength_nm=lam)[0]
    n0, z, e = _slab_te0(n_core=n_core, n_clad=n_clad, thickness_nm=t, wavelength_nm=lam)
    n_avg = ck.average_index(neff_high=nh, neff_low=nl, duty=duty)
    period = lam / (2 * n_avg)
    k_idx = ck.kappa_from_indices_per_cm(neff_high=nh, neff_low=nl, duty=duty, period_nm=period, order=order)
    d_eps = np.where(np.abs(z) <= t / 2, (n_core + dn) ** 2 - (n_core - dn) ** 2, 0.0)
    k_ovl = ck.kappa_from_overlap_per_cm(
        z_nm=z, field_sq=e**2, d_eps=d_eps, duty=duty, order=order, n_eff=n0, wavelength_nm=lam
    )
    assert k_ovl == pytest.approx(k_idx, rel=2e-3)
    # a grating confined to the lower half of the core sees half of the core overlap
    half = np.where((z <= 0) & (z >= -t / 2), d_eps, 0.0)
    k_half = ck.kappa_from_overlap_per_cm(z_nm=z, field_sq=e**2, d_eps=half, duty=duty, order=order, n_eff=n0,
                                          wavelength_nm=lam)
    assert k_half == pytest.approx(0.5 * k_ovl, rel=1e-3)  # grid edges


def test_radiation_coupling_symmetry_and_scaling():
    """h ~ sin^2(pi D) (same for D and 1 - D), ~ grating thickness^2 for thin gratings, and zero
    when the field changes sign across the grating layer (the sources cancel)."""
    lam, n_eff, n_rad = 780.0, 1.9, 1.46
    z = np.linspace(-500, 500, 20001)
    e = np.exp(-(z / 150) ** 2)

    def h(duty, t, field=e):
        d_eps = np.where(np.abs(z - 60) <= t / 2, 2.06**2 - 1.46**2, 0.0)
        return cr.radiation_coupling_per_cm(z_nm=z, field=field, d_eps=d_eps, duty=duty, n_eff=n_eff,
                                            wavelength_nm=lam, n_radiation=n_rad)

    assert h(0.3, 20) == pytest.approx(h(0.7, 20), rel=1e-12)
    assert h(0.5, 20) / h(0.25, 20) == pytest.approx(2.0, rel=1e-12)
    assert h(0.5, 10) / h(0.5, 5) == pytest.approx(4.0, rel=2e-2)
    odd = np.sign(z - 60) * np.exp(-(((z - 60) / 150) ** 2))
    assert h(0.5, 40, odd) < 1e-9 * h(0.5, 40)


@pytest.mark.parametrize("duty, radiating", [(0.3, "long"), (0.7, "short")])
def test_which_second_order_edge_radiates(duty, radiating):
    """Symmetric standing wave radiates; it is the low-frequency (long) edge when the high-index
    region is narrower than half a period. Independent check: the parity of the exact Bloch
    band-edge modes of the two-layer stack about the centre of the high layer."""
    nh, nl, period = 1.95, 1.90, 400.0
    kappa = ck.kappa_from_indices_per_cm(neff_high=nh, neff_low=nl, duty=duty, period_nm=period, order=2)
    n_avg = ck.average_index(neff_high=nh, neff_low=nl, duty=duty)
    lam_b = ck.bragg_wavelength_nm(n_avg=n_avg, period_nm=period, order=2)
    edges = cr.second_order_band_edges(kappa_per_cm=kappa, radiation_per_cm=30.0, bragg_wavelength_nm=lam_b,
                                       group_index=n_avg)
    assert edges.radiating_edge == radiating
    assert edges.radiating_loss_per_cm == pytest.approx(60.0)

    # exact: a unit cell centred on the high layer is mirror-symmetric, M = [[a, b], [c, a]];
    # at a 2nd-gap edge a = 1 and the Bloch mode is the null vector of M - 1: (1, 0) (even,
    # E' = 0 at the centre) where c = 0, (0, 1) (odd) where b = 0.
    dh, dl = duty * period, (1 - duty) * period
    cell = dict(indices=[nh, nl, nh], thicknesses_nm=[dh / 2, dl, dh / 2])
    short, long_ = ex.bloch_gap_edges_nm(indices=[nh, nl], thicknesses_nm=[dh, dl], order=2)
    parity = {}
    for name, lam in (("short", short), ("long", long_)):
        m = ex.stack_matrix(wavelength_nm=lam, **cell)
        b, c = abs(m[0, 1]), abs(m[1, 0])
        assert min(b, c) < 1e-6 * max(b, c)
        parity[name] = "even" if c < b else "odd"
    assert parity[radiating] == "even"
    assert sorted(parity.values()) == ["even", "odd"]

    # relabelling the regions (high <-> low, D -> 1 - D) describes the same grating
    kappa_swapped = ck.kappa_from_indices_per_cm(neff_high=nl, neff_low=nh, duty=1 - duty, period_nm=period, order=2)
    swapped = cr.second_order_band_edges(kappa_per_cm=kappa_swapped, radiation_per_cm=30.0, bragg_wavelength_nm=lam_b,
                                         group_index=n_avg)
    assert swapped.radiating_edge == radiating


def test_wavelength_detuning_round_trip():
    lam = ck.wavelength_from_delta_nm(delta_per_cm=100.0, bragg_wavelength_nm=780.0, group_index=2.0)
    assert lam < 780.0  # positive detuning = higher frequency
    back = ck.delta_from_wavelength_per_cm(wavelength_nm=lam, bragg_wavelength_nm=780.0, group_index=2.0)
    assert back == pytest.approx(100.0, rel=1e-4)
