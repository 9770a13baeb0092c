"""The transfer matrix of one uniform coupled-wave section, exp(A l) with A = [[a, b], [d, -a]] (traceless), and its
slope in a: the one building block of ``cmt_dfb`` (the grating's own sign convention) and of the device engine
(``fdtd.models.device``, physics.md section 8). Everything broadcasts; coefficients in 1/cm, lengths in cm.

exp(A l) = cosh(gamma l) I + sinh(gamma l)/gamma A with gamma^2 = a^2 + b d: entire in a (cosh x and sinh(x)/x
are entire in x^2), so the square-root branch never matters.
"""

from __future__ import annotations

import numpy as np

#: below this |gamma l| the series of cosh, sinh(x)/x and their slope are used (error ~ x^6)
SERIES_BELOW = 1e-3


def propagator_parts(*, a, bd, length_cm):
    """(cosh + a s, cosh - a s, s, r, d(cosh + a s)/da, d(cosh - a s)/da) of exp(A l) for A = [[a, b], [d, -a]] with gamma^2 = a^2 + b d [1/cm^2]:
    cosh(gamma l), s = sinh(gamma l)/gamma [cm] and r = (l cosh(gamma l) - s)/gamma^2 [cm^3] (ds/da = a r and
    dcosh/da = a l s give the slopes in a). The diagonal is formed as e^x (1 +/- a/gamma)/2 + e^-x (1 -/+ a/gamma)/2
    with the small one of 1 +/- a/gamma from b d / (gamma (gamma -/+ a)): no cancellation of e^x when a ~ +/-gamma
    (weak coupling under strong gain or loss), where cosh - a s would be rounding noise."""
    a, bd = np.asarray(a, dtype=complex), np.asarray(bd, dtype=complex)
    gamma_sq = a * a + bd
    gamma = np.sqrt(gamma_sq)
    x = gamma * length_cm
    x_sq = gamma_sq * length_cm * length_cm
    small = np.abs(x) < SERIES_BELOW
    with np.errstate(all="ignore"):
        e = np.exp(x)
        e_inv = 1.0 / e
        cosh = 0.5 * (e + e_inv)
        safe = np.where(small, 1.0, gamma)
        s = np.where(small, length_cm * (1.0 + x_sq / 6.0), 0.5 * (e - e_inv) / safe)
        r = np.where(small, length_cm**3 * (1.0 / 3.0 + x_sq / 30.0), (length_cm * cosh - s) / (safe * safe))
        g_plus, g_minus = safe + a, safe - a
        big = np.abs(g_plus) >= np.abs(g_minus)
        p = np.where(big, g_plus, bd / np.where(big, 1.0, g_minus)) / safe  # 1 + a / gamma
        m = np.where(big, bd / np.where(big, g_plus, 1.0), g_minus) / safe  # 1 - a / gamma
        plus = np.where(small, cosh + a * s, 0.5 * (e * p + e_inv * m))
        minus = np.where(small, cosh - a * s, 0.5 * (e * m + e_inv * p))
        lag, bds = 0.5 * length_cm * a / safe, bd * s / (safe * safe)
        als, aar = a * length_cm * s, a * a * r
        d_plus = np.where(small, als + aar + s, lag * (e * p - e_inv * m) + bds)
        d_minus = np.where(small, als - aar - s, lag * (e * m - e_inv * p) - bds)
    return plus, minus, s, r, d_plus, d_minus


def coupled_wave_matrix(*, a, b, d, length_cm) -> np.ndarray:
    """exp(A l) for A = [[a, b], [d, -a]] [1/cm] over a length [cm]; shape broadcast(...) + (2, 2)."""
    a, b, d = (np.asarray(v, dtype=complex) for v in (a, b, d))
    plus, minus, s, *_ = propagator_parts(a=a, bd=b * d, length_cm=length_cm)
    shape = np.broadcast(a, b, d, plus).shape
    out = np.empty(shape + (2, 2), dtype=complex)
    out[..., 0, 0] = plus
    out[..., 0, 1] = b * s
    out[..., 1, 0] = d * s
    out[..., 1, 1] = minus
    return out
