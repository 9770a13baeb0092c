"""Fit measured lasing lines (and optional cold-cavity linewidths) of a uniform grating: n_eff, n_g, |kappa| and the
modal loss by weighted least squares (scipy ``least_squares``, trust-region reflective) with the section engine as
the forward model (``grating_lines``), over the mode assignments of ``assignments``. Uncertainties: the Gauss-Newton
covariance (J^T J)^-1 of the residuals divided by the stated standard deviations (absolute sigma)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import least_squares

from perocav.fdtd.models.fit.assignments import Candidate, candidates, n_orders, order_sum
from perocav.fdtd.models.fit.grating_lines import (
    bragg_wavelength_nm,
    grating_modes,
    label,
    line_wavelength_nm,
    linewidth_nm,
)
from perocav.fdtd.models.fit.lines_data import PARAM_NAMES, GratingParams, LinesData

#: assignments within this chi^2 of the best fit the lines equally well; the lowest mode orders are taken then
CHI2_TIE = 1.0
#: residual given to a mode the engine did not find (keeps the optimiser away, never a fit)
MISSING = 1e6
LOWER = {"n_eff": 1.0, "group_index": 1.0, "kappa_per_cm": 1e-3, "loss_per_cm": 0.0}
UPPER = {"n_eff": 5.0, "group_index": 20.0, "kappa_per_cm": 1e5, "loss_per_cm": 1e5}


@dataclass(frozen=True)
class ModelLines:
    """Model wavelengths [nm], cold-cavity linewidths [nm] and threshold modal gains incl. loss [1/cm] of modes."""

    wavelength_nm: np.ndarray
    linewidth_nm: np.ndarray
    threshold_per_cm: np.ndarray


@dataclass(frozen=True)
class Assignment:
    """The modes assigned to the sorted lines (labels such as ``red-1``), the sign of kappa in the engine, the sum
    of the modes' orders and the chi^2 of its own best fit."""

    labels: tuple[str, ...]
    kappa_sign: int
    order_sum: int
    chi2: float


@dataclass(frozen=True)
class LinesFit:
    """The best fit: parameters, the free names and their one-sigma uncertainties and covariance, the lines sorted
    with the model's, chi^2 and degrees of freedom, the assignment taken and every one tried (best first), and
    whether another assignment fits as well (``ambiguous``). Numbers from the device CMT model."""

    params: GratingParams
    bragg_wavelength_nm: float
    free: tuple[str, ...]
    uncertainty: tuple[float, ...]
    covariance: np.ndarray
    lines_nm: tuple[float, ...]
    model: ModelLines
    linewidths_nm: tuple[float, ...] | None
    chi2: float
    dof: int
    assignment: Assignment
    tried: tuple[Assignment, ...]
    ambiguous: bool
    model_name: str = "device CMT"


def model_lines(*, data: LinesData, params: GratingParams, positions, kappa_sign: int) -> ModelLines:
    """The modes at ``positions`` (``grating_modes`` order) for these parameters."""
    modes = grating_modes(kappa_per_cm=kappa_sign * params.kappa_per_cm, h_per_cm=data.h_per_cm,
                          length_um=data.length_um, n_orders=n_orders(data))
    pos = list(positions)
    lam = line_wavelength_nm(bragg_nm=bragg_wavelength_nm(n_eff=params.n_eff, period_nm=data.period_nm,
                                                          order=data.order),
                             group_index=params.group_index, detuning_per_cm=modes.detuning_per_cm[pos])
    thr = modes.threshold_per_cm[pos] + params.loss_per_cm
    return ModelLines(wavelength_nm=lam, threshold_per_cm=thr,
                      linewidth_nm=linewidth_nm(wavelength_nm=lam, group_index=params.group_index,
                                                total_gain_per_cm=thr))


def _residuals(x, data: LinesData, base: GratingParams, cand: Candidate) -> np.ndarray:
    m = model_lines(data=data, params=base.with_values(data.free, x), positions=cand.positions,
                    kappa_sign=cand.kappa_sign)
    r = (m.wavelength_nm - np.sort(data.lines_nm)) / data.lines_sigma_nm
    if data.linewidths_nm is not None:
        order = np.argsort(data.lines_nm)
        widths, sig = np.asarray(data.linewidths_nm)[order], np.asarray(data.widths_sigma_nm)[order]
        r = np.concatenate([r, (m.linewidth_nm - widths) / sig])
    return np.where(np.isfinite(r), r, MISSING)


def _start(data: LinesData, cand: Candidate) -> GratingParams:
    """The candidate's grid values, the file's fixed values for the parameters that are not free."""
    pick = {"n_eff": cand.n_eff, "group_index": cand.group_index, "kappa_per_cm": cand.kappa_per_cm}
    vals = {n: (pick[n] if n in data.free or getattr(data, n) is None else getattr(data, n)) for n in pick}
    loss = data.loss_per_cm
    if "loss_per_cm" in data.free:
        m = model_lines(data=data, params=GratingParams(**vals), positions=cand.positions,
                        kappa_sign=cand.kappa_sign)
        widths = np.asarray(data.linewidths_nm)[np.argsort(data.lines_nm)]
        loss = float(max(0.0, np.median(m.threshold_per_cm * (widths / m.linewidth_nm - 1.0))))
    return GratingParams(**vals, loss_per_cm=loss)


def _refine(data: LinesData, cand: Candidate):
    """(params, least_squares result) of the full fit from one candidate."""
    base = _start(data, cand)
    lo, hi = [LOWER[n] for n in data.free], [UPPER[n] for n in data.free]
    x0 = np.clip(base.values(data.free), np.array(lo) * (1 + 1e-9) + 1e-12, np.array(hi) * (1 - 1e-9))
    res = least_squares(_residuals, x0, args=(data, base, cand), bounds=(lo, hi), x_scale="jac", diff_step=1e-6,
                        xtol=1e-12, ftol=1e-12, gtol=1e-12, max_nfev=200)
    return base.with_values(data.free, res.x), res


def fit_lines(data: LinesData) -> LinesFit:
    """Fit every candidate assignment; keep the best chi^2, and among those within CHI2_TIE of it the one with the
    lowest mode orders (lasing lines are the lowest-threshold modes)."""
    k = n_orders(data)
    fits = []
    for cand in candidates(data):
        params, res = _refine(data, cand)
        chi2 = float(np.sum(res.fun ** 2))
        fits.append((Assignment(labels=tuple(label(p, n_orders=k) for p in cand.positions),
                                kappa_sign=cand.kappa_sign, order_sum=order_sum(cand.positions, k), chi2=chi2),
                     cand, params, res))
    best_chi2 = min(f[0].chi2 for f in fits)
    tied = [f for f in fits if f[0].chi2 <= best_chi2 + CHI2_TIE]
    chosen = min(tied, key=lambda f: (f[0].order_sum, f[0].chi2))
    a, cand, params, res = chosen
    same = sum(1 for f in tied if f[0].order_sum == a.order_sum)
    return _result(data, a, cand, params, res, tried=tuple(sorted((f[0] for f in fits), key=lambda t: t.chi2)),
                   ambiguous=same > 1)


def _result(data, a, cand, params, res, *, tried, ambiguous) -> LinesFit:
    jac = np.asarray(res.jac)
    try:
        cov = np.linalg.inv(jac.T @ jac)
    except np.linalg.LinAlgError:
        cov = np.full((len(data.free),) * 2, np.inf)
    model = model_lines(data=data, params=params, positions=cand.positions, kappa_sign=cand.kappa_sign)
    return LinesFit(params=params, bragg_wavelength_nm=bragg_wavelength_nm(n_eff=params.n_eff,
                                                                           period_nm=data.period_nm, order=data.order),
                    free=tuple(n for n in PARAM_NAMES if n in data.free), uncertainty=tuple(
                        float(np.sqrt(cov[data.free.index(n), data.free.index(n)])) for n in PARAM_NAMES
                        if n in data.free), covariance=_reorder(cov, data.free),
                    lines_nm=tuple(sorted(data.lines_nm)), model=model,
                    linewidths_nm=None if data.linewidths_nm is None else tuple(
                        np.asarray(data.linewidths_nm)[np.argsort(data.lines_nm)].tolist()),
                    chi2=a.chi2, dof=data.n_data - len(data.free), assignment=a, tried=tried, ambiguous=ambiguous)


def _reorder(cov: np.ndarray, free) -> np.ndarray:
    idx = [list(free).index(n) for n in PARAM_NAMES if n in free]
    return cov[np.ix_(idx, idx)]
