"""Exact 2D resonances of concentric dielectric rings (disk, ring, circular grating in an effective-index picture).

Region j (r_{j-1} < r < r_j, index n_j): psi = a_j J_m(k n_j r) + b_j H1_m(k n_j r), psi = E_z ("Ez", E normal to
the plane) or H_z ("Hz"). psi and p dpsi/dr are continuous (p = 1 for Ez, 1/n^2 for Hz). The centre is regular
(b_0 = 0); outside only outgoing waves remain (a_N = 0). Resonances are complex frequencies with Im f < 0
(exp(-i omega t)); Q = Re f / (-2 Im f). Units: MEEP's, lengths in um and f = 1 / wavelength_um.

Also the textbook estimate for thin rings: the circular resonance condition m lambda = 2 pi R n_eff with n_eff of the
ring's cross-section as a planar slab.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
from scipy.special import h1vp, hankel1, jv, jvp

from perocav.pdk.errors import InputError


@dataclass(frozen=True)
class Resonance2D:
    """One resonance of azimuthal order m: frequency (1/um), wavelength (nm) and radiation Q."""

    m: int
    freq: complex
    wavelength_nm: float
    q: float


def _check(radii_um: Sequence[float], indices: Sequence[complex], pol: str) -> None:
    if len(indices) != len(radii_um) + 1:
        raise InputError("need one more index than radii (the outside)", field="indices", allowed="len(radii) + 1")
    if any(b <= a for a, b in zip(radii_um, radii_um[1:])) or (radii_um and radii_um[0] <= 0):
        raise InputError(f"{list(radii_um)} must increase from > 0", field="radii_um", allowed="0 < r1 < r2 < ...")
    if pol not in ("Ez", "Hz"):
        raise InputError(f"{pol!r}", field="pol", allowed="Ez, Hz")


def outgoing_coefficient(*, freq: complex, m: int, radii_um: Sequence[float], indices: Sequence[complex],
                         pol: str = "Ez") -> complex:
    """a_N (incoming-wave amplitude outside) for a regular centre field; zero at a resonance."""
    k = 2 * np.pi * freq
    coef = np.array([1.0 + 0j, 0.0 + 0j])
    for j, r in enumerate(radii_um):
        rows = []
        for n in (indices[j], indices[j + 1]):
            x = k * n * r
            p = 1.0 if pol == "Ez" else 1.0 / n**2
            rows.append(np.array([[jv(m, x), hankel1(m, x)], [p * n * jvp(m, x), p * n * h1vp(m, x)]]))
        inner, outer = rows
        try:
            coef = np.linalg.solve(outer, inner @ coef)
        except np.linalg.LinAlgError:
            return complex(np.inf)
        if not np.all(np.isfinite(coef)):
            return complex(np.inf)
        coef = coef / max(abs(coef[0]), abs(coef[1]), 1e-300)  # keep the scale bounded
    return coef[0] / (abs(coef[1]) + 1e-300)


def _outgoing_scan(freqs: np.ndarray, *, m: int, radii_um: Sequence[float], indices: Sequence[complex],
                   pol: str) -> np.ndarray:
    """|a_N| of ``outgoing_coefficient`` for many real frequencies at once (vectorised over frequency)."""
    k = 2 * np.pi * np.asarray(freqs, dtype=complex)
    a = np.ones_like(k)
    b = np.zeros_like(k)
    with np.errstate(all="ignore"):
        for j, r in enumerate(radii_um):
            mats = []
            for n in (indices[j], indices[j + 1]):
                x = k * n * r
                p = 1.0 if pol == "Ez" else 1.0 / n**2
                mats.append((jv(m, x), hankel1(m, x), p * n * jvp(m, x), p * n * h1vp(m, x)))
            (j1, h1, dj1, dh1), (j2, h2, dj2, dh2) = mats
            u, w = j1 * a + h1 * b, dj1 * a + dh1 * b  # field and flux just inside r
            det = j2 * dh2 - h2 * dj2
            a, b = (dh2 * u - h2 * w) / det, (-dj2 * u + j2 * w) / det
            scale = np.maximum(np.abs(a), np.abs(b))
            a, b = a / scale, b / scale
        out = np.abs(a) / (np.abs(b) + 1e-300)
    return np.where(np.isfinite(out), out, np.inf)


def _refine(func, f0: complex, tol: float = 1e-12, max_iter: int = 80) -> complex:
    x0, x1 = f0, f0 * (1 + 1e-4) - 1e-5j * abs(f0)
    y0, y1 = func(x0), func(x1)
    for _ in range(max_iter):
        if y1 == y0:
            break
        x2 = x1 - y1 * (x1 - x0) / (y1 - y0)
        if not np.isfinite(x2) or x2.real <= 0:
            return complex(np.nan)
        x0, y0, x1, y1 = x1, y1, x2, func(x2)
        if not np.isfinite(y1):
            return complex(np.nan)
        if abs(x1 - x0) < tol * abs(x1):
            break
    return x1


def resonances_2d(*, m: int, radii_um: Sequence[float], indices: Sequence[complex], freq_min: float,
                  freq_max: float, pol: str = "Ez", n_scan: int = 400) -> list[Resonance2D]:
    """All resonances of order ``m`` with Re f in [freq_min, freq_max] (1/um), found from minima of |a_N| on the
    real axis, then refined in the complex plane."""
    _check(radii_um, indices, pol)
    f = np.linspace(freq_min, freq_max, n_scan)
    vals = _outgoing_scan(f, m=m, radii_um=radii_um, indices=indices, pol=pol)
    found: list[Resonance2D] = []
    # refine only clear dips: a local minimum well below its neighbourhood (ripples of |a_N| are not poles)
    width = max(2, n_scan // 60)
    for i in range(1, n_scan - 1):
        around = vals[max(0, i - width): i + width + 1]
        if vals[i] < vals[i - 1] and vals[i] <= vals[i + 1] and vals[i] < 0.7 * np.max(around):
            root = _refine(lambda z: outgoing_coefficient(freq=z, m=m, radii_um=radii_um, indices=indices, pol=pol),
                           complex(f[i], -1e-3 * f[i]))
            if not np.isfinite(root) or not (freq_min <= root.real <= freq_max) or root.imag >= 0:
                continue
            if abs(outgoing_coefficient(freq=root, m=m, radii_um=radii_um, indices=indices, pol=pol)) > 1e-6:
                continue
            if any(abs(root - r.freq) < 1e-7 for r in found):
                continue
            found.append(Resonance2D(m=m, freq=complex(root), wavelength_nm=1000.0 / root.real,
                                     q=root.real / (-2 * root.imag)))
    return sorted(found, key=lambda r: r.freq.real)


def ring_estimate_wavelength_nm(*, m: int, radius_um: float, n_eff: float) -> float:
    """Circular resonance condition m lambda = 2 pi R n_eff (R: radius of the mode's path)."""
    if m < 1:
        raise InputError(f"{m}", field="m", allowed=">= 1")
    return 2 * np.pi * radius_um * n_eff / m * 1000.0
