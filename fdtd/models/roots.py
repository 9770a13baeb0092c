"""Grid-seeded 2D root search for one complex equation of two real unknowns.

Used for lasing conditions (a complex determinant that vanishes at a real pair such as
(alpha L, delta L) or (wavelength, gain)). The residual is evaluated on a grid, every local
minimum of its modulus seeds ``scipy.optimize.root``, and converged roots are de-duplicated.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable

import numpy as np
from scipy.optimize import newton, root

Residual = Callable[[np.ndarray, np.ndarray], np.ndarray]


def _local_minima(mag: np.ndarray) -> list[tuple[int, int]]:
    """Indices of grid points whose value is <= all 8 neighbours (edges padded with +inf)."""
    padded = np.pad(mag, 1, mode="constant", constant_values=np.inf)
    centre = padded[1:-1, 1:-1]
    is_min = np.ones_like(centre, dtype=bool)
    for di in (-1, 0, 1):
        for dj in (-1, 0, 1):
            if di == 0 and dj == 0:
                continue
            shifted = padded[1 + di : padded.shape[0] - 1 + di, 1 + dj : padded.shape[1] - 1 + dj]
            is_min &= centre <= shifted
    return [tuple(ix) for ix in np.argwhere(is_min)]


def grid_roots_2d(
    residual: Residual,
    *,
    x_bounds: tuple[float, float],
    y_bounds: tuple[float, float],
    nx: int,
    ny: int,
    residual_tol: float = 1e-9,
    dedupe_tol: float = 1e-6,
) -> list[tuple[float, float]]:
    """Real pairs (x, y) inside the bounds where the complex ``residual(x, y)`` vanishes.

    ``residual`` must broadcast over numpy arrays and should be normalised to order one
    (its zeros are what matter, not its scale). Returns roots sorted by x then y.
    """
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        return _grid_roots(residual, x_bounds, y_bounds, nx, ny, residual_tol, dedupe_tol)


def _grid_roots(residual, x_bounds, y_bounds, nx, ny, residual_tol, dedupe_tol):
    xs = np.linspace(*x_bounds, nx)
    ys = np.linspace(*y_bounds, ny)
    gx, gy = np.meshgrid(xs, ys, indexing="ij")
    mag = np.abs(residual(gx, gy))
    mag = np.where(np.isfinite(mag), mag, np.inf)

    def vec(p: np.ndarray) -> list[float]:
        r = complex(residual(np.asarray(p[0]), np.asarray(p[1])))
        return [r.real, r.imag]

    span_x = x_bounds[1] - x_bounds[0]
    span_y = y_bounds[1] - y_bounds[0]
    found: list[tuple[float, float]] = []
    for i, j in _local_minima(mag):
        sol = root(vec, [gx[i, j], gy[i, j]], method="hybr", options={"xtol": 1e-13})
        x, y = (float(v) for v in sol.x)
        if not np.isfinite(x) or not np.isfinite(y):
            continue
        if abs(complex(*vec(sol.x))) > residual_tol:
            continue
        if not (x_bounds[0] - 1e-9 * span_x <= x <= x_bounds[1] + 1e-9 * span_x):
            continue
        if not (y_bounds[0] - 1e-9 * span_y <= y <= y_bounds[1] + 1e-9 * span_y):
            continue
        scale = max(1.0, abs(x), abs(y))
        if any(abs(x - fx) + abs(y - fy) < dedupe_tol * scale for fx, fy in found):
            continue
        found.append((x, y))
    return sorted(found)


def analytic_roots(
    func: Callable[[np.ndarray], np.ndarray],
    *,
    seeds: np.ndarray,
    accept: Callable[[complex], bool],
    rel_tol: float = 1e-9,
    dedupe_tol: float = 1e-7,
    step: float = 1e-6,
) -> list[complex]:
    """Zeros of an analytic function of one complex variable (two real unknowns), by vectorised
    Newton iteration (``scipy.optimize.newton``) from every seed; the derivative is a central
    difference, exact enough for analytic functions. Analytic functions have wide Newton basins,
    so narrow (high-Q) zeros are found from seeds that are far from them on the scale of the
    zero's width. ``accept`` filters the converged roots; results are de-duplicated and
    returned in seed-independent order (sorted by real, then imaginary part)."""
    def fprime(z):
        return (func(z + step) - func(z - step)) / (2.0 * step)

    with np.errstate(over="ignore", invalid="ignore", divide="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # unconverged seeds are dropped below
        res = newton(func, np.asarray(seeds, dtype=complex).ravel(), fprime=fprime, maxiter=80, tol=1e-13,
                     full_output=True, disp=False)
        roots = np.asarray(res.root)
        ok = np.asarray(res.converged) & np.isfinite(roots)
        found: list[complex] = []
        for z in roots[ok]:
            z = complex(z)
            # a genuine zero: |f| small against |f| a little way off
            near = np.abs(func(np.array([z]))[0])
            probe = np.max(np.abs(func(z + 1e-3 * np.exp(2j * np.pi * np.arange(4) / 4))))
            if not np.isfinite(near) or not near <= rel_tol * max(probe, 1e-300):
                continue
            if not accept(z):
                continue
            if any(abs(z - w) < dedupe_tol * max(1.0, abs(z)) for w in found):
                continue
            found.append(z)
    return sorted(found, key=lambda w: (w.real, w.imag))
