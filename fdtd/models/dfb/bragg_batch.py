"""The Bragg condition of many gratings on one stack at once: the roots of

    D n_tooth(lambda) + (1 - D) n_gap(lambda) - m lambda / (2 Lambda)

on the stack's n_eff splines (``models.dispersion.dispersion``) inside the gain window, exactly as ``models.dfb.bragg``'s
``bragg_roots_nm`` finds them one design at a time (same spline pieces; roots rounded to 1e-9 nm), vectorised
over designs: every spline piece is split at its critical points, so the sign changes count every root."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from perocav.fdtd.models.dispersion.dispersion import NeffDispersion


@dataclass(frozen=True)
class BraggBatch:
    """Per design: the root (nm; NaN unless exactly one), the number of roots inside the window and every root
    (``roots_nm`` (N, max roots), ascending, NaN-padded)."""

    wavelength_nm: np.ndarray
    n_roots: np.ndarray
    roots_nm: np.ndarray | None = None


def _poly(c: np.ndarray, dx: np.ndarray) -> np.ndarray:
    return ((c[0] * dx + c[1]) * dx + c[2]) * dx + c[3]


def bragg_roots_batch(*, tooth: NeffDispersion, gap: NeffDispersion, period_nm: np.ndarray, duty_cycle: np.ndarray,
                      order: np.ndarray, window_nm: tuple[float, float]) -> BraggBatch:
    """Roots of the Bragg condition of every design (``period_nm``, ``duty_cycle``, ``order``: arrays (N,))."""
    st, sg = tooth._spline(), gap._spline()
    x = st.x
    w0, w1 = window_nm
    k = np.flatnonzero((x[1:] > w0) & (x[:-1] < w1))  # pieces that overlap the window
    d = np.asarray(duty_cycle, dtype=float)[:, None]
    inv_a = (np.asarray(order, dtype=float) / (2.0 * np.asarray(period_nm, dtype=float)))[:, None]
    c = d[None] * st.c[:, None, k] + (1.0 - d[None]) * sg.c[:, None, k]  # (4, N, P)
    c[2] -= inv_a
    c[3] -= x[k][None, :] * inv_a
    lo = np.maximum(x[k], w0) - x[k]  # sub-interval of each piece inside the window, as offsets
    hi = np.minimum(x[k + 1], w1) - x[k]
    pts = np.concatenate([np.broadcast_to(lo, c[0].shape)[..., None], _critical(c, lo, hi),
                          np.broadcast_to(hi, c[0].shape)[..., None]], axis=-1)  # (N, P, 4), sorted
    val = _poly(c[..., None], pts)
    change = (val[..., :-1] * val[..., 1:] < 0) | ((val[..., 1:] == 0) & (pts[..., 1:] > pts[..., :-1]))
    n_roots = change.sum(axis=(1, 2))
    where = np.argwhere(change)  # (M, 3): design, piece, sub-interval; lexicographic = ascending lambda per design
    design, p, sub = where[:, 0], where[:, 1], where[:, 2]
    cc = c[:, design, p]
    a, b = pts[design, p, sub], pts[design, p, sub + 1]
    fa = _poly(cc, a)
    for _ in range(64):  # bisection on the cubic to machine precision
        m = 0.5 * (a + b)
        fm = _poly(cc, m)
        left = np.sign(fm) == np.sign(fa)
        a, fa = np.where(left, m, a), np.where(left, fm, fa)
        b = np.where(left, b, m)
    roots = np.full((d.shape[0], max(int(n_roots.max(initial=0)), 1)), np.nan)
    first = np.concatenate([[0], np.cumsum(n_roots)[:-1]])
    roots[design, np.arange(design.size) - first[design]] = np.round(x[k][p] + 0.5 * (a + b), 9)
    lam = np.where(n_roots == 1, roots[:, 0], np.nan)
    return BraggBatch(wavelength_nm=lam, n_roots=n_roots, roots_nm=roots)


def _critical(c: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """The cubic pieces' two critical points (offsets), clipped to [lo, hi] and sorted: (N, P, 2)."""
    a3, b2, c1 = 3 * c[0], 2 * c[1], c[2]
    disc = b2 * b2 - 4 * a3 * c1
    with np.errstate(all="ignore"):
        sq = np.sqrt(np.maximum(disc, 0.0))
        q = -0.5 * (b2 + np.copysign(sq, b2))
        r1 = np.where(q != 0, c1 / q, np.nan)
        r2 = np.where(a3 != 0, q / a3, np.nan)
    r = np.stack([r1, r2], axis=-1)
    r = np.where((disc[..., None] >= 0) & np.isfinite(r), r, lo[..., None] if np.ndim(lo) else lo)
    r = np.clip(r, np.broadcast_to(lo, c[0].shape)[..., None], np.broadcast_to(hi, c[0].shape)[..., None])
    return np.sort(r, axis=-1)
