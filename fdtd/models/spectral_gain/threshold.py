"""The carrier density at which one wavelength reaches a material gain: g(lambda, N) rises monotonically with N
(f_c grows, f_v falls), so the root of g(lambda, N) = g_target in ln N is bracketed by [N_MIN, ceiling] and unique.
Above the ceiling: no lasing, with the reason (the largest gain that wavelength reaches there)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from scipy.optimize import brentq

from perocav.fdtd.models.spectral_gain.params import BandEdge
from perocav.fdtd.models.spectral_gain.spectrum import gain_per_cm

#: lowest density searched [cm^-3]
N_MIN_PER_CM3 = 1e14
#: default ceiling of the threshold search [cm^-3] (the paper's Auger critical density k2 / k3 = 2e18 ... 1e19:
#: above ~1e19 no perovskite film sustains an inversion)
N_CEILING_PER_CM3 = 1e19


@dataclass(frozen=True)
class DensityForGain:
    """N [cm^-3] where g(lambda, N) = target (inf when the ceiling does not reach it) and why not."""

    density_per_cm3: float
    gain_at_ceiling_per_cm: float
    reason: str


def density_for_gain(*, edge: BandEdge, wavelength_nm: float, gain_per_cm_target: float, temperature_k: float = 300.0,
                     ceiling_per_cm3: float = N_CEILING_PER_CM3) -> DensityForGain:
    """Solve g(wavelength, N, T) = target for N in [N_MIN, ceiling] (brentq on ln N, 1e-10 relative)."""
    def g(ln_n: float) -> float:
        return float(gain_per_cm(edge=edge, wavelength_nm=wavelength_nm, density_per_cm3=math.exp(ln_n),
                                 temperature_k=temperature_k)) - gain_per_cm_target
    lo, hi = math.log(N_MIN_PER_CM3), math.log(ceiling_per_cm3)
    g_hi = g(hi)
    if not math.isfinite(gain_per_cm_target) or g_hi < 0:
        return DensityForGain(math.inf, g_hi + gain_per_cm_target,
                              f"no lasing: g({wavelength_nm:.1f} nm) reaches {g_hi + gain_per_cm_target:.0f} 1/cm at "
                              f"the ceiling {ceiling_per_cm3:.1e} cm^-3, below the {gain_per_cm_target:.0f} 1/cm needed")
    if g(lo) >= 0:
        return DensityForGain(N_MIN_PER_CM3, g_hi + gain_per_cm_target, "")
    return DensityForGain(math.exp(brentq(g, lo, hi, xtol=1e-10, rtol=1e-12)), g_hi + gain_per_cm_target, "")
