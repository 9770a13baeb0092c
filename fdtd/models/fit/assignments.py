"""Which threshold modes the measured lines are: every ordered choice of modes (lines sorted by wavelength take
modes in wavelength order), scored on a grid of kappa L with n_eff and n_g solved linearly for each (1 / lambda is
linear in 1 / lambda_B and 1 / n_g at fixed kappa). The best candidates seed the full fit (``lines_fit``)."""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np
from scipy.interpolate import CubicSpline

from perocav.fdtd.models.fit.grating_lines import NM_PER_CM, bragg_wavelength_nm, grating_modes
from perocav.fdtd.models.fit.lines_data import LinesData

#: kappa L values [1] of the search grid
KAPPA_L_GRID = np.geomspace(0.2, 30.0, 40)
#: points of the fine kappa grid (spline)
FINE = 2000
#: chi^2 within this of the grid's best counts as fitting (room for the spline's error)
GRID_SLACK = 25.0


@dataclass(frozen=True)
class Candidate:
    """Mode positions (``grating_modes`` order) for the sorted lines, the sign of kappa, the grid's best
    kappa [1/cm], n_eff, n_g and the lines' chi^2 there."""

    positions: tuple[int, ...]
    kappa_sign: int
    kappa_per_cm: float
    n_eff: float
    group_index: float
    chi2: float


def n_orders(data: LinesData) -> int:
    """Mode orders searched on each side of the stop band: one more than the lines."""
    return len(data.lines_nm) + 1


def _linear(data: LinesData, det: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(u0, u1, chi2) for detunings ``det`` (C, n): 1 / lambda = u0 + det u1, weighted least squares in lambda."""
    lam = np.asarray(data.lines_nm)
    y, w = 1.0 / lam, lam * lam / data.lines_sigma_nm  # d(1/lambda) = dlambda / lambda^2: weight lambda^2 / sigma
    fix0 = None if "n_eff" in data.free or data.n_eff is None else 1.0 / bragg_wavelength_nm(
        n_eff=data.n_eff, period_nm=data.period_nm, order=data.order)
    fix1 = None if "group_index" in data.free or data.group_index is None else 1.0 / (
        2.0 * math.pi * data.group_index * NM_PER_CM)
    ww = w * w
    s0, s1, s2 = ww.sum(), (ww * det).sum(-1), (ww * det * det).sum(-1)
    t0, t1 = (ww * y).sum(), (ww * y * det).sum(-1)
    with np.errstate(all="ignore"):
        if fix0 is None and fix1 is None:
            den = s0 * s2 - s1 * s1
            u0, u1 = (t0 * s2 - t1 * s1) / den, (s0 * t1 - s1 * t0) / den
        elif fix0 is None:
            u1 = np.full(det.shape[0], fix1)
            u0 = (t0 - s1 * u1) / s0
        elif fix1 is None:
            u0 = np.full(det.shape[0], fix0)
            u1 = (t1 - s1 * u0) / s2
        else:
            u0, u1 = np.full(det.shape[0], fix0), np.full(det.shape[0], fix1)
        model = 1.0 / (u0[:, None] + det * u1[:, None])
        chi2 = (((model - lam) / data.lines_sigma_nm) ** 2).sum(-1)
    bad = ~np.isfinite(chi2) | (u1 <= 0) | (u0 <= 0)
    return u0, u1, np.where(bad, np.inf, chi2)


def _detunings(data: LinesData, sign: int, k: int) -> tuple[np.ndarray, np.ndarray]:
    """(kappa [1/cm] on a fine grid, detunings (G, 2k) [1/cm]): the engine on KAPPA_L_GRID, a cubic spline in
    log kappa between (the grid's own values where a mode is missing)."""
    kappas = KAPPA_L_GRID / (data.length_um * 1e-4)
    det = np.array([grating_modes(kappa_per_cm=sign * float(kap), h_per_cm=data.h_per_cm, length_um=data.length_um,
                                  n_orders=k).detuning_per_cm for kap in kappas])
    fine = np.geomspace(kappas[0], kappas[-1], FINE)
    if not np.isfinite(det).all():
        return kappas, det
    return fine, CubicSpline(np.log(kappas), det, axis=0)(np.log(fine))


def candidates(data: LinesData, *, keep: int = 8) -> list[Candidate]:
    """Per (positions, sign) its best kappa on the grid; the ``keep`` best of them, those that fit (within
    GRID_SLACK of the best chi^2) first and the lowest mode orders first among them."""
    k = n_orders(data)
    combos = np.array(list(itertools.combinations(range(2 * k), len(data.lines_nm))))
    out: list[Candidate] = []
    for sign in ((1, -1) if data.h_per_cm > 0 else (1,)):
        if "kappa_per_cm" in data.free or not data.kappa_per_cm:
            kappas, det_all = _detunings(data, sign, k)
        else:
            kappas = np.array([data.kappa_per_cm])
            det_all = grating_modes(kappa_per_cm=sign * data.kappa_per_cm, h_per_cm=data.h_per_cm,
                                    length_um=data.length_um, n_orders=k).detuning_per_cm[None, :]
        det = det_all[:, combos]  # (G, C, n)
        u0, u1, chi2 = _linear(data, np.where(np.isfinite(det), det, 0.0).reshape(-1, len(data.lines_nm)))
        chi2 = np.where(np.isfinite(det).all(-1).ravel(), chi2, np.inf).reshape(det.shape[:2])
        g = np.argmin(chi2, axis=0)
        for c in np.flatnonzero(np.isfinite(chi2[g, np.arange(len(combos))])):
            i = g[c] * len(combos) + c
            out.append(Candidate(positions=tuple(int(p) for p in combos[c]), kappa_sign=sign,
                                 kappa_per_cm=float(kappas[g[c]]),
                                 n_eff=float(data.order / (2.0 * data.period_nm * u0[i])),
                                 group_index=float(1.0 / (2.0 * math.pi * NM_PER_CM * u1[i])),
                                 chi2=float(chi2[g[c], c])))
    best = min(c.chi2 for c in out)
    return sorted(out, key=lambda c: (c.chi2 > best + GRID_SLACK, order_sum(c.positions, k), c.chi2))[:keep]


def order_sum(positions, k: int) -> int:
    """Sum of the mode orders at ``positions`` (``grating_modes`` order, ``k`` orders a side)."""
    return int(sum(k - p if p < k else p - k + 1 for p in positions))
