"""Figures of a far field (``farfield.FarField``): main-lobe angles, central-lobe power share, FWHM divergence."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from perocav.fdtd.models.device.farfield import FarField

#: a local maximum at least this share of the peak is a main lobe
MAIN_LOBE = 0.5


@dataclass(frozen=True)
class Lobes:
    """Angles of the main lobes [deg] (local maxima >= MAIN_LOBE x peak, ascending); the share of the radiated
    power in the central lobe (between the minima on either side of normal; 0 when normal is a minimum); whether
    normal is a local minimum (a null / dip on axis); the FWHM of the strongest lobe [deg]; and the share of the
    radiated power inside the computed angular window."""

    lobe_angles_deg: tuple[float, ...]
    central_lobe_fraction: float
    dip_at_normal: bool
    fwhm_deg: float
    window_fraction: float


def _integral(theta_rad: np.ndarray, p: np.ndarray) -> float:
    return float(np.sum(0.5 * (p[1:] + p[:-1]) * np.diff(theta_rad))) if p.size > 1 else 0.0


def _fwhm(theta: np.ndarray, p: np.ndarray, i: int) -> float:
    """Full width at half maximum [deg] of the lobe peaking at index i (linear interpolation at the crossings)."""
    half = 0.5 * p[i]
    lo = i
    while lo > 0 and p[lo] > half:
        lo -= 1
    hi = i
    while hi < p.size - 1 and p[hi] > half:
        hi += 1
    left = np.interp(half, [p[lo], p[lo + 1]], [theta[lo], theta[lo + 1]]) if p[lo] <= half else theta[lo]
    right = np.interp(half, [p[hi], p[hi - 1]], [theta[hi], theta[hi - 1]]) if p[hi] <= half else theta[hi]
    return float(right - left)


def lobes(ff: FarField) -> Lobes:
    """The figures of ``ff`` (its angle grid must include normal incidence: an odd, symmetric grid)."""
    th, p = ff.theta_deg, ff.power_per_rad
    rad = np.radians(th)
    peaks = [i for i in range(1, p.size - 1) if p[i] >= p[i - 1] and p[i] > p[i + 1]]
    main = [i for i in peaks if p[i] >= MAIN_LOBE * p.max()]
    c = int(np.argmin(abs(th)))
    dip = bool(0 < c < p.size - 1 and p[c] <= p[c - 1] and p[c] <= p[c + 1])
    central = 0.0
    if not dip:
        lo = c
        while lo > 0 and p[lo - 1] <= p[lo]:
            lo -= 1
        hi = c
        while hi < p.size - 1 and p[hi + 1] <= p[hi]:
            hi += 1
        central = _integral(rad[lo:hi + 1], p[lo:hi + 1])
    best = int(np.argmax(p))
    return Lobes(lobe_angles_deg=tuple(float(th[i]) for i in main), central_lobe_fraction=central, dip_at_normal=dip,
                 fwhm_deg=_fwhm(th, p, best), window_fraction=_integral(rad, p))
