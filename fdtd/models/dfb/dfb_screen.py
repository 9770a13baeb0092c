"""Vectorised analytic DFB screen: many (period, duty, order, length, quarter-wave shift) designs on ONE stack at
once, with the physics of ``fdtd.models.dfb.dfb_analytic.analyze_dfb_on_stack`` (no meep):

1. Bragg point: the root of the Bragg condition on the stack's tooth/gap n_eff splines inside the gain window
   (``bragg_batch``: the same spline pieces as ``models.dfb.bragg``); of several, the one the spectrum favours
   (``models.spectral_gain.stack_window.favoured_root``, as the per-design path);
2. tooth/gap n_eff re-solved directly at that wavelength (``slab_batch``, secant from the spline value), so the
   Bragg residual is the per-design path's own check;
3. the duty-averaged stack's TE0 mode at lambda_B for every design (secant from the first-order guess
   sqrt(D n_t^2 + (1 - D) n_g^2)) and its layer integrals in closed form: grating-layer |E|^2 fraction (kappa),
   grating-layer int E (2nd-order radiation coupling h), gain-layer confinement (field and power), modal loss;
4. Kogelnik-Shank / transfer-matrix thresholds of all designs at once (``threshold_batch``).

The per-stack tables are the n_eff splines (cached by ``models.dispersion.dispersion``) and the universal threshold tables
(cached per kappa L / h L range); everything per design is a handful of numpy operations on arrays. A design this
path cannot answer with certainty (no root in the window, Bragg residual above ``BRAGG_TOL_NM``, a
slab secant or threshold track that did not converge) has ``ok`` False: evaluate it with the per-design path.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from perocav.fdtd.models.dfb.bragg import BRAGG_TOL_NM, grating_tables
from perocav.fdtd.models.dfb.bragg_batch import bragg_roots_batch
from perocav.fdtd.models.dispersion.dispersion import blended_group_index, grating_layer
from perocav.fdtd.models.slab.slab_batch import mode_integrals, solve_te0
from perocav.fdtd.models.slab.stack_eps import region_eps
from perocav.fdtd.models.dfb.threshold_batch import threshold_batch
from perocav.fdtd.models.spectral_gain.stack_window import GainWindow, favoured_roots, resolve_gain_window
from perocav.pdk.materials import resolve_material
from perocav.pdk.stack import Stack
from perocav.pdk.units import NM_PER_CM

N_MODES = 3


@dataclass(frozen=True)
class DfbScreen:
    """Arrays over designs (N,), units as ``DfbAnalytic``; mode arrays (N, N_MODES). Valid where ``ok``."""

    ok: np.ndarray
    reason: np.ndarray  # '' where ok, else why the design needs the per-design path
    bragg_wavelength_nm: np.ndarray
    bragg_residual_nm: np.ndarray
    neff_high: np.ndarray
    neff_low: np.ndarray
    n_avg: np.ndarray
    group_index: np.ndarray
    kappa_per_cm: np.ndarray
    radiation_per_cm: np.ndarray
    confinement: np.ndarray
    confinement_power: np.ndarray
    modal_loss_per_cm: np.ndarray
    alpha_per_cm: np.ndarray  # (N, N_MODES) amplitude threshold gains, lowest first
    delta_per_cm: np.ndarray  # (N, N_MODES) detuning beta - beta_B
    bragg_note: np.ndarray | None = None  # how the root was chosen among several ('' for one)
    gain_window: GainWindow | None = None  # where the roots were solved


def _arr(v, n: int, dtype=float) -> np.ndarray:
    return np.broadcast_to(np.asarray(v, dtype=dtype), (n,)).copy()


def screen_dfb(*, stack: Stack, period_nm, duty_cycle, order, length_um, quarter_wave,
               window_nm: tuple[float, float] | GainWindow | None = None) -> DfbScreen:
    """Screen every design (arrays or scalars, broadcast to one length) on ``stack`` inside its gain window (or
    ``window_nm``: a ``GainWindow`` or (low, high) nm)."""
    n = int(np.broadcast(period_nm, duty_cycle, order, length_um, quarter_wave).size)
    period, duty = _arr(period_nm, n), _arr(duty_cycle, n)
    order, length, shifted = _arr(order, n, int), _arr(length_um, n), _arr(quarter_wave, n, bool)
    reason = np.full(n, "", dtype=object)
    reason[~((duty > 0) & (duty < 1))] = "duty outside (0, 1)"
    reason[~np.isin(order, (1, 2))] = "order not 1 or 2"
    window = resolve_gain_window(stack=stack, window_nm=window_nm)
    tooth, gap = grating_tables(stack=stack, window_nm=window.window_nm)
    valid = reason == ""
    d_safe = np.where(valid, duty, 0.5)
    o_safe = np.where(valid, order, 1)
    bragg = bragg_roots_batch(tooth=tooth, gap=gap, period_nm=period, duty_cycle=d_safe, order=o_safe,
                              window_nm=window.window_nm)
    lam_b, note = bragg.wavelength_nm.copy(), np.full(n, "", dtype=object)
    reason[valid & (bragg.n_roots == 0)] = "no Bragg root in the window"
    several = np.flatnonzero(valid & (bragg.n_roots > 1))  # the spectrum's choice, as the per-design path
    if several.size:
        lam_b[several], note[several] = favoured_roots(window=window, roots_nm=bragg.roots_nm[several])
        reason[several[~np.isfinite(lam_b[several])]] = "several Bragg roots and no choice (per-design path)"
    good = np.flatnonzero(reason == "")
    out = {k: np.full(n, np.nan) for k in DfbScreen.__dataclass_fields__
           if k not in ("ok", "reason", "bragg_note", "gain_window")}
    out["alpha_per_cm"] = np.full((n, N_MODES), np.nan)
    out["delta_per_cm"] = np.full((n, N_MODES), np.nan)
    if good.size:
        designs = _Designs(lam=lam_b[good], period=period[good], duty=duty[good], order=order[good],
                           length=length[good], shifted=shifted[good])
        why = _physics(stack, tooth, gap, designs, good, out)
        reason[good] = why
    ok = reason == ""
    return DfbScreen(ok=ok, reason=reason, **out, bragg_note=note, gain_window=window)



@dataclass(frozen=True)
class _Designs:
    """The designs with one Bragg root, as arrays: Bragg wavelength [nm], period [nm], duty, order, length [um],
    quarter-wave shifted."""

    lam: np.ndarray
    period: np.ndarray
    duty: np.ndarray
    order: np.ndarray
    length: np.ndarray
    shifted: np.ndarray


def _physics(stack, tooth, gap, designs: _Designs, idx, out) -> np.ndarray:
    """Fill ``out[...][idx]`` for designs with one Bragg root; returns their reasons ('' = fine)."""
    d = designs
    lam, period, duty, order, length, shifted = d.lam, d.period, d.duty, d.order, d.length, d.shifted
    why = np.full(lam.size, "", dtype=object)
    a = 2.0 * period / order
    regions = {}
    for region in ("tooth", "gap"):
        se = region_eps(stack=stack, region=region, wavelength_nm=lam)
        spline = tooth if region == "tooth" else gap
        regions[region], conv = solve_te0(eps=se.eps, thickness_nm=se.thickness_nm, wavelength_nm=lam,
                                          guess=spline.neff(wavelength_nm=lam) + 0j)
        why[~conv] = f"{region} n_eff did not converge"
    n_t, n_g = regions["tooth"], regions["gap"]
    n_avg = duty * n_t.real + (1 - duty) * n_g.real
    residual = lam - a * n_avg
    why[(why == "") & ~(np.abs(residual) < BRAGG_TOL_NM)] = "Bragg residual above tolerance (per-design polish)"
    n_grp = blended_group_index(tooth=tooth, gap=gap, weight_high=duty, wavelength_nm=lam)
    se = region_eps(stack=stack, region="average", wavelength_nm=lam, duty_cycle=duty)
    neff, conv = solve_te0(eps=se.eps, thickness_nm=se.thickness_nm, wavelength_nm=lam,
                           guess=np.sqrt(duty * n_t**2 + (1 - duty) * n_g**2))
    why[(why == "") & ~conv] = "averaged-stack mode did not converge"
    ints = mode_integrals(eps=se.eps, thickness_nm=se.thickness_nm, wavelength_nm=lam, neff=neff)
    coupling = _couplings(stack, se, lam, duty, order, neff, ints)
    length_cm = length * 1e-4
    thr = threshold_batch(kappa_l=coupling["kappa"] * length_cm, h_l=coupling["h"] * length_cm, shifted=shifted,
                          n_modes=N_MODES)
    why[(why == "") & ~thr.ok] = "threshold modes not certain (per-design search)"
    vals = dict(bragg_wavelength_nm=lam, bragg_residual_nm=residual, neff_high=n_t.real, neff_low=n_g.real,
                n_avg=n_avg, group_index=n_grp, kappa_per_cm=coupling["kappa"], radiation_per_cm=coupling["h"],
                confinement=coupling["gamma"], confinement_power=coupling["gamma_p"],
                modal_loss_per_cm=2 * (2 * np.pi / (lam * 1e-7)) * neff.imag)
    for key, v in vals.items():
        out[key][idx] = v
    out["alpha_per_cm"][idx] = thr.alpha_l / length_cm[:, None]
    out["delta_per_cm"][idx] = thr.delta_l / length_cm[:, None]
    return why


def _couplings(stack: Stack, se, lam, duty, order, neff, ints) -> dict[str, np.ndarray]:
    """kappa (signed, 1/cm), h (1/cm, 2nd order; 0 otherwise), gain-layer confinement (field, power)."""
    g = grating_layer(stack)
    names = se.names
    j = names.index(g.name)
    d_eps = (resolve_material(g.material).nk(wavelength_nm=lam) ** 2
             - resolve_material(g.fill_material).nk(wavelength_nm=lam) ** 2).real
    k0 = 2 * np.pi / lam
    total = ints.e2.sum(axis=1)
    hf_m = np.sin(order * np.pi * duty) / (order * np.pi)
    kappa = k0 / (2 * neff.real) * hf_m * d_eps * ints.e2[:, j] / total * NM_PER_CM
    n_sub = resolve_material(stack.substrate).nk(wavelength_nm=lam).real
    source = (np.exp(-1j * ints.phase) * ints.e1[:, j]).real * d_eps * np.sin(np.pi * duty) / np.pi
    h = k0**2 * source**2 / (4.0 * n_sub * neff.real * ints.re2_total) * NM_PER_CM
    h = np.where(order == 2, h, 0.0)
    gain = stack.gain_layer
    if gain is None or gain not in names:
        nan = np.full(lam.size, np.nan)
        return dict(kappa=kappa, h=h, gamma=nan, gamma_p=nan)
    jg = names.index(gain)
    gamma = ints.e2[:, jg] / total
    gamma_p = np.sqrt(se.eps[:, jg]).real * ints.e2[:, jg] / (neff.real * total)
    return dict(kappa=kappa, h=h, gamma=gamma, gamma_p=gamma_p)

