"""Threshold from ring-downs below it: the lowest mode's decay rate at a few gain levels, fitted by a straight line;
the threshold is where the fit crosses zero. Pure (no solver); tested on synthetic numbers. Gains 1/cm, decay rates
in the ring-down's unit (MEEP: -Im f, 1/um; > 0 decays)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class ThresholdFit:
    """Zero crossing of decay(g) = intercept + slope g: threshold_gain_per_cm = -intercept / slope; the RMS
    residual of the fit (decay units; 0 for two levels) and the number of levels."""

    threshold_gain_per_cm: float
    slope: float
    intercept: float
    residual_rms: float
    n_levels: int


def zero_crossing(*, gains_per_cm: Sequence[float], decay_rates: Sequence[float]) -> ThresholdFit:
    """Least-squares line through (gain, decay rate) and its zero: the gain at which the mode stops decaying.
    Needs >= 2 distinct gains and decay falling with gain (slope < 0); otherwise ValueError."""
    g = np.asarray(gains_per_cm, dtype=float)
    d = np.asarray(decay_rates, dtype=float)
    if g.shape != d.shape or g.size < 2 or np.unique(g).size < 2:
        raise ValueError(f"need >= 2 distinct gain levels with one decay rate each, got {g.tolist()}, {d.tolist()}")
    if not (np.all(np.isfinite(g)) and np.all(np.isfinite(d))):
        raise ValueError("gains and decay rates must be finite")
    slope, intercept = np.polyfit(g, d, 1)
    if not slope < 0:
        raise ValueError(f"the decay rate does not fall with gain (slope {slope:.3g}): no threshold")
    resid = d - (intercept + slope * g)
    return ThresholdFit(threshold_gain_per_cm=float(-intercept / slope), slope=float(slope),
                        intercept=float(intercept), residual_rms=float(math.sqrt(np.mean(resid**2))),
                        n_levels=int(g.size))


def richardson(*, coarse: float, fine: float, resolution_coarse: float, resolution_fine: float,
               order: float = 2.0) -> float:
    """Richardson extrapolation to infinite resolution of a quantity converging as resolution^-order (two rungs)."""
    if not resolution_fine > resolution_coarse > 0:
        raise ValueError(f"need resolution_fine > resolution_coarse > 0, got {resolution_coarse}, {resolution_fine}")
    r = (resolution_fine / resolution_coarse) ** order
    return fine + (fine - coarse) / (r - 1.0)


@dataclass(frozen=True)
class ModeThreshold:
    """One mode followed over the gain levels: its wavelength at the highest level [nm], its decay rate at each
    level and the zero crossing."""

    wavelength_nm: float
    decay_rates: tuple[float, ...]
    fit: ThresholdFit


def mode_thresholds(*, gains_per_cm: Sequence[float], poles: Sequence[Sequence[tuple[float, float, float]]],
                    match_tol_nm: float, rel_amp_min: float = 0.05) -> list[ModeThreshold]:
    """Modes by threshold. ``poles[i]``: (wavelength_nm, decay_rate, |amplitude|) of the poles found at gain level
    i; the modes are the poles of the highest level with >= rel_amp_min of its strongest amplitude, each matched to
    the nearest pole (within ``match_tol_nm``) at every other level; a mode missing at a level, or whose decay does
    not fall with gain, is dropped."""
    top = int(np.argmax(gains_per_cm))
    a_max = max((a for _, _, a in poles[top]), default=0.0)
    out = []
    for lam, _, amp in poles[top]:
        if amp < rel_amp_min * a_max:
            continue
        rates = []
        for level in poles:
            near = min(level, key=lambda p: abs(p[0] - lam), default=None)
            if near is None or abs(near[0] - lam) > match_tol_nm:
                break
            rates.append(near[1])
        if len(rates) != len(poles):
            continue
        try:
            fit = zero_crossing(gains_per_cm=gains_per_cm, decay_rates=rates)
        except ValueError:
            continue
        out.append(ModeThreshold(wavelength_nm=float(lam), decay_rates=tuple(map(float, rates)), fit=fit))
    return sorted(out, key=lambda m: m.fit.threshold_gain_per_cm)


def single_level_thresholds(*, gain_per_cm: float, poles: Sequence[tuple[float, float, float]],
                            reference: Sequence[ModeThreshold], match_tol_nm: float, shift_nm: float = 0.0,
                            rel_amp_min: float = 0.05) -> list[ModeThreshold]:
    """Modes by threshold from ONE gain level, each with the slope of its reference mode (the nearest in
    wavelength within ``match_tol_nm``, from a run at another resolution): the zero of the line of that slope
    through the measured (gain, decay rate), g_th = g - decay / slope. For a decay rate linear in the gain with a
    slope that does not change with the grid (docs/validation.md: 0.04 % between 60 and 80 px/um), the answer equals
    the two-level zero. ``poles``: (wavelength_nm, decay_rate, |amplitude|); weak (< rel_amp_min of the strongest)
    and unmatched poles are dropped; ``shift_nm``: how far the modes moved from the reference run (a pole at lam
    matches a reference mode at lam - shift_nm)."""
    a_max = max((a for _, _, a in poles), default=0.0)
    out = []
    for lam, decay, amp in poles:
        if amp < rel_amp_min * a_max or not reference:
            continue
        ref = min(reference, key=lambda m: abs(m.wavelength_nm + shift_nm - lam))
        if abs(ref.wavelength_nm + shift_nm - lam) > match_tol_nm:
            continue
        slope = ref.fit.slope
        fit = ThresholdFit(threshold_gain_per_cm=float(gain_per_cm - decay / slope), slope=slope,
                           intercept=float(decay - slope * gain_per_cm), residual_rms=0.0, n_levels=1)
        out.append(ModeThreshold(wavelength_nm=float(lam), decay_rates=(float(decay),), fit=fit))
    return sorted(out, key=lambda m: m.fit.threshold_gain_per_cm)


#: how ``combine_rungs`` turns per-resolution values into one
RUNG_ESTIMATES = ("mean", "finest", "richardson")


def combine_rungs(*, values: Sequence[float], resolutions_px_per_um: Sequence[float], method: str) -> float:
    """One value from per-rung values (coarse to fine): ``"richardson"`` (order 2) of the last two, ``"finest"``, or
    the ``"mean"`` of the last two (averages a wiggle with the grid's alignment, but not a 1/resolution^2 trend);
    one rung: that value."""
    if method not in RUNG_ESTIMATES:
        raise ValueError(f"method must be one of {RUNG_ESTIMATES}, got {method!r}")
    if len(values) != len(resolutions_px_per_um) or not values:
        raise ValueError("need one value per resolution, at least one")
    if len(values) == 1 or method == "finest":
        return float(values[-1])
    if method == "mean":
        return 0.5 * float(values[-2] + values[-1])
    return richardson(coarse=values[-2], fine=values[-1], resolution_coarse=resolutions_px_per_um[-2],
                      resolution_fine=resolutions_px_per_um[-1])
