"""Lasing thresholds of many finite DFB gratings at once (numpy): the zeros of T22 of ``fdtd.models.dfb.cmt_dfb`` (the same
coupled-wave equations: uniform grating, or a quarter-wave (pi) shift at the centre; 2nd-order radiation
coupling h included), in normalised units gL = (alpha - i delta) L, kappa L, h L.

Method: a universal table of the lowest ``N_TRACK`` zeros over (ln|kappa L|, h L) per phase and sign of kappa,
built once per range: at h = 0 (where the zeros depend on (kappa L)^2 only) by continuation in ln(kappa L) from
a grid-seeded Newton search at kappa L = 1 (the seeds and checks of ``cmt_dfb.threshold_modes``), then by
continuation in h L for all kappa L at once. Every design starts from the bilinear interpolation of the table and
is Newton-polished (analytic derivative) to 1e-13 in gL. The modes are then chosen exactly as ``cmt_dfb._search``
does (alpha L window 8, 16, 32, 64; |delta L| window; sorted by (alpha L rounded to 1e-9, delta L)). Designs where a
step fails (no convergence, two tracks on one zero, fewer modes than asked, |kappa L| < KAPPA_L_MIN) are flagged,
never guessed.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np


#: zeros followed per design; ln(kappa L) steps (fine table, coarse continuation) and h L step of the tables
N_TRACK = 8
LN_STEP = 0.04
COARSE_STEP = 0.1
H_STEP = 0.1
#: smallest |kappa L| the table covers (below it thresholds run off to very large alpha L: per-design path)
KAPPA_L_MIN = 0.02
#: the tables are starting points only: Newton to this step size there, to 1e-13 per design
TABLE_TOL = 1e-7


def _parts(g_l, kappa_l, h_l, shifted: bool):
    a = g_l - h_l
    c = 1j * kappa_l + h_l
    gam = np.sqrt(a * a - c * c + 0j)
    ell = 0.5 if shifted else 1.0
    small = np.abs(gam * ell) < 1e-6
    safe = np.where(small, 1.0, gam)
    s = np.where(small, ell, np.sinh(gam * ell) / safe)  # sinh(gamma l) / gamma
    ch = np.cosh(gam * ell)
    r = np.where(small, ell**3 / 3.0, (ell * ch - s) / (safe * safe))  # (l cosh - s) / gamma^2 -> l^3 / 3
    return a, c, s, ch, r, ell


def t22(g_l: np.ndarray, kappa_l: np.ndarray, h_l: np.ndarray, shifted: bool) -> np.ndarray:
    """T22 of the whole grating (length 1 in units of L) at gL, broadcasting; zero = lasing mode."""
    a, c, s, ch, _, _ = _parts(g_l, kappa_l, h_l, shifted)
    if not shifted:
        return ch - a * s
    return c * c * s * s + (ch - a * s) ** 2  # (M2 M1)_22 with b1 d2 = c^2 (theta = 0 then pi)


def _t22_and_slope(g_l, kappa_l, h_l, shifted: bool):
    """T22 and dT22/d(gL) (analytic: d gamma / da = a / gamma)."""
    a, c, s, ch, r, ell = _parts(g_l, kappa_l, h_l, shifted)
    ds, dch = a * r, ell * a * s
    m = ch - a * s
    dm = dch - s - a * ds
    if not shifted:
        return m, dm
    return c * c * s * s + m * m, 2 * c * c * s * ds + 2 * m * dm


def _newton(g, kappa_l, h_l, shifted, *, iters: int = 30, tol: float = 1e-13):
    """Complex Newton on every entry until the step is below ``tol`` (relative to max(1, |gL|))."""
    g = np.array(g, dtype=complex)
    shape = g.shape
    g = g.ravel()
    kappa_l, h_l = np.broadcast_to(kappa_l, shape).ravel(), np.broadcast_to(h_l, shape).ravel()
    active = np.isfinite(g)
    with np.errstate(all="ignore"):
        for _ in range(iters):
            idx = np.flatnonzero(active)
            if idx.size == 0:
                break
            ga = g[idx]
            f, fp = _t22_and_slope(ga, kappa_l[idx], h_l[idx], shifted)
            dg = f / fp
            g[idx] = ga - dg
            active[idx[~(np.abs(dg) > tol * np.maximum(1.0, np.abs(ga)))]] = False
    return g.reshape(shape)


def _grid(lo: float, hi: float, step: float) -> np.ndarray:
    """Grid with the given step covering [lo, hi] on multiples of ``step`` (so tables are reused)."""
    return np.arange(np.floor(lo / step) - 1, np.ceil(hi / step) + 2) * step


@lru_cache(maxsize=8)
def _reference_zeros(shifted: bool, kappa_l: float) -> np.ndarray:
    """The lowest N_TRACK zeros at h = 0 by Newton from the seed grid of ``cmt_dfb.threshold_modes``."""
    d_max = kappa_l + np.pi * (N_TRACK / 2.0 + 3.0)
    d_seeds = np.arange(-d_max, d_max + 1e-9, np.pi / 4)
    a_max, z = 8.0, np.empty(0, dtype=complex)
    for _ in range(4):  # the seeds and windows of cmt_dfb._search, its checks vectorised
        a_seeds = np.concatenate([[0.02, 0.2], np.arange(0.6, a_max + 1e-9, 0.6)])
        z = _newton((a_seeds[:, None] - 1j * d_seeds[None, :]).ravel(), kappa_l, 0.0, shifted, iters=80)
        with np.errstate(all="ignore"):
            near = np.abs(t22(z, kappa_l, 0.0, shifted))
            probe = np.max(np.abs(t22(z[:, None] + 1e-3 * np.exp(2j * np.pi * np.arange(4) / 4), kappa_l, 0.0,
                                      shifted)), axis=1)
        z = z[np.isfinite(z) & (near <= 1e-9 * probe) & (z.real > 1e-12) & (z.real <= a_max) & (np.abs(z.imag) <= d_max)]
        z = z[np.lexsort((-z.imag, np.round(z.real, 9)))]
        keep = [i for i in range(z.size) if not np.any(np.abs(z[:i] - z[i]) < 1e-7 * max(1.0, abs(z[i])))]
        z = z[keep]
        if z.size >= N_TRACK:
            break
        a_max *= 2.0
    out = np.full(N_TRACK, np.nan + 0j)
    out[:min(z.size, N_TRACK)] = z[:N_TRACK]
    return out


@lru_cache(maxsize=8)
def _h0_column(shifted: bool, ln_lo: float, ln_hi: float) -> tuple[np.ndarray, np.ndarray]:
    """(ln|kappa L| grid, zeros at h = 0): continuation in ln(kappa L) on a coarse grid from kappa L = 1, then
    every fine node by Newton from the coarse interpolation."""
    ln_grid = _grid(ln_lo, ln_hi, LN_STEP)
    coarse = _grid(min(ln_lo, 0.0), max(ln_hi, 0.0), COARSE_STEP)
    i0 = int(np.argmin(np.abs(coarse)))
    zc = np.full((coarse.size, N_TRACK), np.nan + 0j)
    zc[i0] = _reference_zeros(shifted, float(np.exp(coarse[i0])))
    for direction in (1, -1):
        i, prev = i0 + direction, [zc[i0], zc[i0]]
        while 0 <= i < coarse.size:
            zc[i] = _newton(2 * prev[-1] - prev[-2], np.exp(coarse[i]), 0.0, shifted, tol=TABLE_TOL)
            prev, i = [prev[-1], zc[i]], i + direction
    guess = np.stack([np.interp(ln_grid, coarse, zc[:, k].real) + 1j * np.interp(ln_grid, coarse, zc[:, k].imag)
                      for k in range(N_TRACK)], axis=1)
    return ln_grid, _newton(guess, np.exp(ln_grid)[:, None], 0.0, shifted, tol=TABLE_TOL)


@lru_cache(maxsize=16)
def universal_table(shifted: bool, sign: float, ln_lo: float, ln_hi: float, h_hi: float):
    """(ln|kappa L| grid, h L grid, zeros gL (nK, nH, N_TRACK)) for kappa L = sign exp(grid): the h = 0 column
    (same for both signs), then continuation in h L for every kappa L at once."""
    ln_grid, col0 = _h0_column(shifted, ln_lo, ln_hi)
    h_grid = np.arange(0.0, max(h_hi, 0.0) + 2 * H_STEP, H_STEP)
    table = np.full((ln_grid.size, h_grid.size, N_TRACK), np.nan + 0j)
    table[:, 0] = col0
    kap = sign * np.exp(ln_grid)[:, None]
    for j in range(1, h_grid.size):
        guess = table[:, 0] if j == 1 else 2 * table[:, j - 1] - table[:, j - 2]
        table[:, j] = _newton(guess, kap, h_grid[j], shifted, tol=TABLE_TOL)
    return ln_grid, h_grid, table


@dataclass(frozen=True)
class ThresholdBatch:
    """Per design: the lowest ``n_modes`` zeros (alpha L, delta L) (N, n_modes), NaN-padded, and ``ok``."""

    alpha_l: np.ndarray
    delta_l: np.ndarray
    ok: np.ndarray


def threshold_batch(*, kappa_l: np.ndarray, h_l: np.ndarray, shifted: np.ndarray, n_modes: int = 3) -> ThresholdBatch:
    """Lowest-threshold modes of gratings with signed kappa L, radiation h L >= 0 and (``shifted``) a
    quarter-wave shift at the centre, chosen as ``cmt_dfb.threshold_modes`` chooses them."""
    kappa_l, h_l = np.asarray(kappa_l, dtype=float), np.asarray(h_l, dtype=float)
    shifted = np.asarray(shifted, dtype=bool)
    n = kappa_l.size
    roots = np.full((n, N_TRACK), np.nan + 0j)
    usable = np.abs(kappa_l) >= KAPPA_L_MIN
    for flag in (False, True):
        sel = np.flatnonzero(usable & (shifted == flag))
        if sel.size:
            roots[sel] = _follow(kappa_l[sel], h_l[sel], flag)
    alpha, delta, ok = _choose(roots, kappa_l, h_l, n_modes)
    return ThresholdBatch(alpha_l=alpha, delta_l=delta, ok=ok & usable)


def _follow(kappa_l: np.ndarray, h_l: np.ndarray, shifted: bool) -> np.ndarray:
    """Zeros at (kappa L, h L): bilinear start from the universal table, then Newton."""
    z = np.full((kappa_l.size, N_TRACK), np.nan + 0j)
    for sign in (1.0, -1.0):
        sel = np.flatnonzero(np.sign(kappa_l) == sign)
        if sel.size == 0:
            continue
        x, h = np.log(np.abs(kappa_l[sel])), h_l[sel]
        lo, hi = np.floor(x.min() / LN_STEP) * LN_STEP, np.ceil(x.max() / LN_STEP) * LN_STEP
        ln_grid, h_grid, table = universal_table(shifted, sign, float(lo), float(hi),
                                                 float(np.ceil(h.max() / H_STEP) * H_STEP))
        i = np.clip(np.searchsorted(ln_grid, x) - 1, 0, ln_grid.size - 2)
        j = np.clip(np.searchsorted(h_grid, h) - 1, 0, h_grid.size - 2)
        t = ((x - ln_grid[i]) / LN_STEP)[:, None]
        u = ((h - h_grid[j]) / H_STEP)[:, None]
        guess = ((1 - t) * (1 - u) * table[i, j] + t * (1 - u) * table[i + 1, j]
                 + (1 - t) * u * table[i, j + 1] + t * u * table[i + 1, j + 1])
        z[sel] = _newton(guess, kappa_l[sel][:, None], h[:, None], shifted)
    return z


def _choose(roots: np.ndarray, kappa_l: np.ndarray, h_l: np.ndarray, n_modes: int):
    """Apply ``cmt_dfb._search``'s acceptance windows and order; flag anything doubtful."""
    n = roots.shape[0]
    alpha, delta = roots.real, -roots.imag
    finite = np.isfinite(roots)
    d_max = (np.abs(kappa_l) + h_l) + np.pi * (n_modes / 2.0 + 3.0)
    # two tracks on one zero: a zero may have been lost
    diff = np.abs(roots[:, :, None] - roots[:, None, :])
    dup = ((diff < 1e-6 * np.maximum(1.0, np.abs(roots))[:, :, None]) & ~np.eye(roots.shape[1], dtype=bool)).any(axis=(1, 2))
    out_a = np.full((n, n_modes), np.nan)
    out_d = np.full((n, n_modes), np.nan)
    ok = finite.all(axis=1) & ~dup
    chosen = np.zeros((n, N_TRACK), dtype=bool)
    for a_max in (8.0, 16.0, 32.0, 64.0):
        inside = finite & (alpha > 1e-12) & (alpha <= a_max) & (np.abs(delta) <= d_max[:, None])
        take = (inside.sum(axis=1) >= n_modes) & ~chosen.any(axis=1)
        chosen[take] = inside[take]
        if a_max == 64.0:
            rest = ~chosen.any(axis=1)
            chosen[rest] = inside[rest]
    ok &= chosen.sum(axis=1) >= n_modes
    key_a = np.where(chosen, np.round(alpha, 9), np.inf)
    key_d = np.where(chosen, delta, np.inf)
    order = np.lexsort((key_d, key_a), axis=1)[:, :n_modes]
    rows = np.arange(n)[:, None]
    sel = chosen[rows, order]
    out_a[sel] = alpha[rows, order][sel]
    out_d[sel] = delta[rows, order][sel]
    return out_a, out_d, ok
