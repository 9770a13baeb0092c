"""Complex poles from RCWA: Muller's method on the mode function, real-axis candidates, and a Fano (rational)
fit of the reflection amplitude. Wavelengths in nm, physics convention (decaying pole: Im(lambda) > 0)."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Pole:
    """A complex wavelength pole: ``wavelength_nm`` = Re, Q = Re / (2 Im) (inf for a lossless mode)."""

    lam: complex
    iterations: int = 0
    residual: float = math.nan

    @property
    def wavelength_nm(self) -> float:
        return self.lam.real

    @property
    def q(self) -> float:
        im = self.lam.imag
        return math.inf if abs(im) < 1e-12 * abs(self.lam) else self.lam.real / (2 * im)


def muller(func: Callable[[complex], complex], *, start: complex, step: complex, tol_nm: float = 1e-7,
           max_iter: int = 40, radius_nm: float = 20.0) -> Pole | None:
    """Root of ``func`` near ``start`` by Muller's method (three points start - step, start, start + step);
    None when it does not converge or wanders farther than ``radius_nm`` from ``start``."""
    x = [start - step, start + step, start]
    f = [func(z) for z in x]
    for it in range(max_iter):
        h1, h2 = x[1] - x[0], x[2] - x[1]
        d1, d2 = (f[1] - f[0]) / h1, (f[2] - f[1]) / h2
        a = (d2 - d1) / (h2 + h1)
        b = a * h2 + d2
        disc = np.sqrt(b * b - 4 * a * f[2] + 0j)
        den = b + disc if abs(b + disc) > abs(b - disc) else b - disc
        if den == 0:
            return None
        dx = -2 * f[2] / den
        x_new = x[2] + dx
        if not np.isfinite(x_new) or abs(x_new - start) > radius_nm:
            return None
        x, f = [x[1], x[2], x_new], [f[1], f[2], func(x_new)]
        if abs(dx) < tol_nm:
            return Pole(lam=complex(x_new), iterations=it + 1, residual=float(abs(f[2])))
    return None


def real_axis_candidates(values: np.ndarray, wavelength_nm: np.ndarray, *, keep: int = 6) -> list[float]:
    """Wavelengths of the ``keep`` deepest local minima of |g| on a real grid (modes near the real axis)."""
    a = np.abs(values)
    idx = [i for i in range(1, len(a) - 1) if a[i] <= a[i - 1] and a[i] <= a[i + 1]]
    idx = sorted(idx, key=lambda i: a[i] / max(a[i - 1], a[i + 1]))[:keep]
    return [float(wavelength_nm[i]) for i in idx]


def fano_fit(*, wavelength_nm: np.ndarray, r: np.ndarray, centre_nm: float, scale_nm: float) -> tuple[Pole, float]:
    """One pole of r(lambda) = (a0 + a1 x + a2 x^2) / (1 + b1 x), x = (lambda - centre) / scale, by linear least
    squares (Levy); returns (pole, relative rms misfit)."""
    x = (np.asarray(wavelength_nm) - centre_nm) / scale_nm
    a = np.column_stack([np.ones_like(x), x, x * x, -x * r]).astype(complex)
    coef, *_ = np.linalg.lstsq(a, r, rcond=None)
    fit = (coef[0] + coef[1] * x + coef[2] * x * x) / (1 + coef[3] * x)
    misfit = float(np.sqrt(np.mean(np.abs(fit - r) ** 2)) / np.sqrt(np.mean(np.abs(r) ** 2)))
    x_pole = -1.0 / coef[3]
    return Pole(lam=complex(centre_nm + scale_nm * x_pole)), misfit
