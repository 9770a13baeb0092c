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


def propagator_parts(*, a, bd, length_cm, slopes: bool = True, stable: bool = True):
    """(cosh + a s, cosh - a s, s, r, d(cosh + a s)/da, d(cosh - a s)/da) of exp(A l) for A = [[a, b], [d, -a]] with
    gamma^2 = a^2 + b d [1/cm^2]: cosh(gamma l), s = sinh(gamma l)/gamma [cm], r = (l cosh(gamma l) - s)/gamma^2
    [cm^3] (ds/da = a r); the last three are None unless ``slopes``; ``stable`` False skips the guard below (a coarse
    look at |T22|, ~30 % cheaper). The diagonal is e^x (1 +/- a/gamma)/2 +
    e^-x (1 -/+ a/gamma)/2 with the small one of 1 +/- a/gamma taken from (1 + a/gamma)(1 - a/gamma) = b d/gamma^2:
    no cancellation of e^x when a ~ +/-gamma (weak coupling under strong gain or loss), where cosh - a s would be
    rounding noise; the slopes likewise: d(cosh +/- a s)/da = (l a/gamma)(e^x (1 +/- a/gamma) - e^-x (1 -/+
    a/gamma))/2 +/- (b d/gamma^2) s. Below |gamma l| = SERIES_BELOW the Taylor series are used."""
    a, bd = np.asarray(a, dtype=complex), np.asarray(bd, dtype=complex)
    gamma_sq = a * a + bd
    with np.errstate(all="ignore"):
        gamma = np.sqrt(gamma_sq)
        inv_g = 1.0 / gamma
        e = np.exp(gamma * length_cm)
        e_inv = 1.0 / e
        s = 0.5 * (e - e_inv) * inv_g
        p, m = 1.0 + a * inv_g, 1.0 - a * inv_g
        ratio = bd * inv_g * inv_g  # = p m
        if stable:
            big = p.real * p.real + p.imag * p.imag >= m.real * m.real + m.imag * m.imag
            m = np.where(big, ratio / np.where(big, p, 1.0), m)
            p = np.where(big, p, ratio / np.where(big, 1.0, m))
        plus, minus = 0.5 * (e * p + e_inv * m), 0.5 * (e * m + e_inv * p)
        r = d_plus = d_minus = None
        if slopes:
            r = (length_cm * 0.5 * (e + e_inv) - s) * inv_g * inv_g
            lag, bds = 0.5 * length_cm * a * inv_g, ratio * s
            d_plus, d_minus = lag * (e * p - e_inv * m) + bds, lag * (e * m - e_inv * p) - bds
    small = np.abs(gamma * length_cm) < SERIES_BELOW
    if small.any():
        plus, minus, s, r, d_plus, d_minus = _series(a, gamma_sq, length_cm, small, plus, minus, s, r, d_plus,
                                                     d_minus)
    return plus, minus, s, r, d_plus, d_minus


def _series(a, gamma_sq, length_cm, small, *parts):
    """``propagator_parts`` where |gamma l| is small: cosh, sinh(x)/x and its slope by their Taylor series."""
    shape = np.broadcast(a, gamma_sq, length_cm, small).shape
    a, gamma_sq, length = (np.broadcast_to(v, shape)[small] for v in (a, gamma_sq, np.asarray(length_cm, float)))
    x_sq = gamma_sq * length * length
    cosh = 1.0 + x_sq / 2.0 + x_sq * x_sq / 24.0
    s = length * (1.0 + x_sq / 6.0 + x_sq * x_sq / 120.0)
    r = length**3 * (1.0 / 3.0 + x_sq / 30.0)
    new = [cosh + a * s, cosh - a * s, s, r, a * length * s + a * a * r + s, a * length * s - a * a * r - s]
    out = []
    for old, value in zip(parts, new):
        if old is None:
            out.append(None)
            continue
        full = np.array(np.broadcast_to(old, shape), dtype=complex)
        full[small] = value
        out.append(full)
    return tuple(out)


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
