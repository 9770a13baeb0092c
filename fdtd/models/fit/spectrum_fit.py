"""Fit measured spectra of one uniform grating (below threshold, or multimode) with the model spectrum of
distributed spontaneous emission (``spontaneous``): shared n_eff, n_g, |kappa|; per spectrum an amplitude and the
net modal gain g = g_1 - exp(u) below the lowest threshold g_1 (it sets the peaks' widths and relative heights).
Start: the spectra's peaks fitted as lines (``lines_fit``: the mode assignment). Least squares on the intensities
inside a window around the peaks; uncertainties from the Jacobian, scaled by the reduced chi^2 (the spectra carry
no error bars)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.optimize import least_squares
from scipy.signal import find_peaks

from perocav.fdtd.models.fit.grating_lines import NM_PER_CM, bragg_wavelength_nm, grating_modes
from perocav.fdtd.models.fit.lines_data import GratingParams, LinesData
from perocav.fdtd.models.fit.lines_fit import LOWER, UPPER, LinesFit, fit_lines
from perocav.fdtd.models.fit.spontaneous import spontaneous_spectrum

#: a peak is a line when its height and prominence are at least this share of its spectrum's maximum and
#: NOISE_PROMINENCE times the noise (the standard deviation of point-to-point differences / sqrt 2, from their
#: median absolute value)
PEAK_PROMINENCE = 0.05
NOISE_PROMINENCE = 5.0
#: at most this many peaks (the highest) are taken as lines
MAX_PEAKS = 4
#: two peaks of different spectra closer than this [nm] are one line
SAME_LINE_NM = 0.3
#: without a window, each spectrum is fitted within this distance [nm] of its own peaks
PEAK_WINDOW_NM = 0.5


@dataclass(frozen=True)
class SpectrumData:
    """Spectra of one grating (wavelength [nm], intensity) pairs, its order, period [nm], length [um], fixed h
    [1/cm], the free parameters (a subset of n_eff, group_index, kappa_per_cm), the window [nm] (None: each
    spectrum within PEAK_WINDOW_NM of its own peaks: a lasing spectrum's missing partner lines, which mode
    competition suppressed and a linear model cannot, stay out of the fit) and the values of the parameters that
    are not free."""

    wavelength_nm: tuple[np.ndarray, ...]
    intensity: tuple[np.ndarray, ...]
    order: int
    period_nm: float
    length_um: float
    h_per_cm: float = 0.0
    free: tuple[str, ...] = ("n_eff", "group_index", "kappa_per_cm")
    window_nm: tuple[float, float] | None = None
    n_eff: float | None = None
    group_index: float | None = None
    kappa_per_cm: float | None = None


@dataclass(frozen=True)
class SpectrumFit:
    """The fitted parameters, free names, one-sigma uncertainties, per spectrum its amplitude and net gain [1/cm]
    and the lowest threshold [1/cm], the window [nm], the model on each spectrum's points inside it, reduced chi^2,
    the peaks taken as lines and their lines fit (the start). Device CMT model."""

    params: GratingParams
    bragg_wavelength_nm: float
    free: tuple[str, ...]
    uncertainty: tuple[float, ...]
    amplitude: tuple[float, ...]
    gain_per_cm: tuple[float, ...]
    lowest_threshold_per_cm: float
    window_nm: tuple[float, float]
    wavelength_nm: tuple[np.ndarray, ...]
    measured: tuple[np.ndarray, ...]
    model: tuple[np.ndarray, ...]
    reduced_chi2: float
    peaks_nm: tuple[float, ...]
    lines: LinesFit
    model_name: str = "device CMT (distributed spontaneous emission)"


def spectrum_peaks(data: SpectrumData) -> tuple[float, ...]:
    """The MAX_PEAKS highest prominent peaks of all spectra [nm] (heights relative to their spectrum's maximum;
    each at the vertex of the parabola through its three highest samples); peaks of different spectra within
    SAME_LINE_NM are one line, placed at the relatively strongest of them; sorted by wavelength."""
    found = []
    for lam, inten in zip(data.wavelength_nm, data.intensity):
        idx, _ = find_peaks(inten, prominence=_prominence(inten), height=PEAK_PROMINENCE * np.max(inten))
        found += [(_vertex(lam, inten, i), float(inten[i] / np.max(inten))) for i in idx]
    merged: list[list[tuple[float, float]]] = []
    for p in sorted(found):
        if merged and p[0] - merged[-1][-1][0] < SAME_LINE_NM:
            merged[-1].append(p)
        else:
            merged.append([p])
    lines = sorted(merged, key=lambda m: -max(h for _, h in m))[:MAX_PEAKS]
    return tuple(sorted(max(m, key=lambda wh: wh[1])[0] for m in lines))


def _vertex(lam: np.ndarray, inten: np.ndarray, i: int) -> float:
    """Wavelength [nm] of the vertex of the parabola through samples i - 1, i, i + 1 (sample i at an end)."""
    if i == 0 or i == lam.size - 1:
        return float(lam[i])
    a, b, _ = np.polyfit(lam[i - 1:i + 2] - lam[i], inten[i - 1:i + 2], 2)
    return float(lam[i] - b / (2 * a)) if a < 0 else float(lam[i])


def _prominence(inten: np.ndarray) -> float:
    noise = 1.4826 * np.median(np.abs(np.diff(inten))) / math.sqrt(2.0)
    return max(PEAK_PROMINENCE * float(np.max(inten)), NOISE_PROMINENCE * noise)


def model_spectrum(*, wavelength_nm, params: GratingParams, data: SpectrumData, gain_per_cm: float,
                   kappa_sign: int) -> np.ndarray:
    """The model spectrum at the wavelengths [nm], normalised to its maximum there."""
    lam_b = bragg_wavelength_nm(n_eff=params.n_eff, period_nm=data.period_nm, order=data.order)
    delta = 2.0 * math.pi * params.group_index * NM_PER_CM * (1.0 / np.asarray(wavelength_nm) - 1.0 / lam_b)
    with np.errstate(all="ignore"):
        p = spontaneous_spectrum(detuning_per_cm=delta, kappa_per_cm=kappa_sign * params.kappa_per_cm,
                                 h_per_cm=data.h_per_cm, gain_per_cm=gain_per_cm, length_um=data.length_um)
        return p / np.max(p)


def _lowest_threshold(data: SpectrumData, params: GratingParams, sign: int) -> float:
    modes = grating_modes(kappa_per_cm=sign * params.kappa_per_cm, h_per_cm=data.h_per_cm, length_um=data.length_um,
                          n_orders=2)
    return float(np.nanmin(modes.threshold_per_cm))


def _unpack(x, data: SpectrumData, base: GratingParams):
    nf, ns = len(data.free), len(data.intensity)
    return base.with_values(data.free, x[:nf]), x[nf:nf + ns], x[nf + ns:]


def _residuals(x, data, base, sign, pts):
    params, amp, u = _unpack(x, data, base)
    g1 = _lowest_threshold(data, params, sign)
    out = [a * model_spectrum(wavelength_nm=lam, params=params, data=data, gain_per_cm=g1 - math.exp(ui),
                              kappa_sign=sign) - inten for (lam, inten), a, ui in zip(pts, amp, u)]
    r = np.concatenate(out)
    return np.where(np.isfinite(r), r, 1e3)  # an overflowing trial point: far off, never a fit


def fit_spectrum(data: SpectrumData) -> SpectrumFit:
    """Peaks -> lines fit (start, assignment) -> the spectra's shape in the window."""
    peaks = spectrum_peaks(data)
    lines = fit_lines(LinesData(order=data.order, period_nm=data.period_nm, length_um=data.length_um,
                                lines_nm=peaks, h_per_cm=data.h_per_cm, free=data.free, n_eff=data.n_eff,
                                group_index=data.group_index, kappa_per_cm=data.kappa_per_cm))
    window = data.window_nm or (peaks[0] - PEAK_WINDOW_NM, peaks[-1] + PEAK_WINDOW_NM)
    pts = [(lam[m], inten[m]) for lam, inten in zip(data.wavelength_nm, data.intensity)
           for m in [_inside(data, lam, inten, window)]]
    sign, base = lines.assignment.kappa_sign, lines.params
    g1 = _lowest_threshold(data, base, sign)
    x0 = np.concatenate([base.values(data.free), [float(np.max(i)) for _, i in pts],
                         [math.log(0.05 * g1)] * len(pts)])
    lo = [LOWER[n] for n in data.free] + [0.0] * len(pts) + [math.log(1e-4 * g1) - 5.0] * len(pts)
    hi = [UPPER[n] for n in data.free] + [np.inf] * len(pts) + [math.log(1e4 * g1)] * len(pts)
    res = least_squares(_residuals, x0, args=(data, base, sign, pts), bounds=(lo, hi), x_scale="jac",
                        diff_step=1e-7, max_nfev=300)
    return _result(data, res, base, sign, pts, window, peaks, lines)


def _inside(data: SpectrumData, lam: np.ndarray, inten: np.ndarray, window) -> np.ndarray:
    """The points fitted: inside the window, or (no window given) near this spectrum's own peaks."""
    if data.window_nm is not None:
        return (lam >= window[0]) & (lam <= window[1])
    idx, _ = find_peaks(inten, prominence=_prominence(inten), height=PEAK_PROMINENCE * np.max(inten))
    return np.any(np.abs(lam[:, None] - lam[idx][None, :]) <= PEAK_WINDOW_NM, axis=1)


def _result(data, res, base, sign, pts, window, peaks, lines) -> SpectrumFit:
    params, amp, u = _unpack(res.x, data, base)
    g1 = _lowest_threshold(data, params, sign)
    n_pts, n_par = sum(len(p[0]) for p in pts), res.x.size
    red = float(np.sum(res.fun ** 2) / max(1, n_pts - n_par))
    jac = np.asarray(res.jac)
    try:
        cov = np.linalg.inv(jac.T @ jac) * red
        sig = tuple(float(np.sqrt(cov[i, i])) for i in range(len(data.free)))
    except np.linalg.LinAlgError:
        sig = tuple(math.inf for _ in data.free)
    gains = tuple(float(g1 - math.exp(ui)) for ui in u)
    models = tuple(a * model_spectrum(wavelength_nm=lam, params=params, data=data, gain_per_cm=g, kappa_sign=sign)
                   for (lam, _), a, g in zip(pts, amp, gains))
    return SpectrumFit(params=params, bragg_wavelength_nm=bragg_wavelength_nm(n_eff=params.n_eff,
                                                                              period_nm=data.period_nm,
                                                                              order=data.order),
                       free=data.free, uncertainty=sig, amplitude=tuple(float(a) for a in amp), gain_per_cm=gains,
                       lowest_threshold_per_cm=g1, window_nm=(float(window[0]), float(window[1])),
                       wavelength_nm=tuple(p[0] for p in pts), measured=tuple(p[1] for p in pts), model=models,
                       reduced_chi2=red, peaks_nm=peaks, lines=lines)
