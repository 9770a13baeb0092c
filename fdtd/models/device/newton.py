"""Vectorised 2D real Newton on T22(g_p, delta) = 0 (``transfer``): two real unknowns, one complex equation. Steps are
measured in the device's natural units, y = g_p L_p / 2 (the pumped amplitude gain-length) and x = delta L, capped
at ``MAX_STEP`` per iteration; a point has converged when its last step is below ``tol`` max(1, |y|, |x|)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from perocav.fdtd.models.device.transfer import SectionArrays, t22_with_slopes

#: largest step per iteration in (y, x) units (keeps a seed inside its basin)
MAX_STEP = 1.0


@dataclass(frozen=True)
class NewtonResult:
    """Final points g_p, delta [1/cm] and whether each converged (arrays like the seeds)."""

    g_p: np.ndarray
    delta: np.ndarray
    converged: np.ndarray


def newton_2d(arr: SectionArrays, *, g_p, delta, g_unit, delta_unit, rows=None, iters: int = 60,
              tol: float = 1e-10, box=None) -> NewtonResult:
    """Newton from the seeds (g_p, delta) [1/cm], shape (P,); ``rows`` (P,) names each seed's device in ``arr``
    (None: one device); ``g_unit``/``delta_unit`` [1/cm] per unit of y and x, scalars or arrays like the seeds;
    ``box`` = (g_lo, g_hi, delta_abs_max) [1/cm]: a point that leaves it is given up (not converged)."""
    g, dl = np.array(g_p, dtype=float), np.array(delta, dtype=float)
    gu, du = np.broadcast_to(g_unit, g.shape), np.broadcast_to(delta_unit, g.shape)
    rows = np.zeros(g.shape, dtype=int) if rows is None else np.asarray(rows)
    active = np.isfinite(g) & np.isfinite(dl)
    converged = np.zeros(g.shape, dtype=bool)
    with np.errstate(all="ignore"):
        for _ in range(iters):
            idx = np.flatnonzero(active)
            if idx.size == 0:
                break
            f, fg, fd = t22_with_slopes(arr.take(rows[idx]), g[idx], dl[idx])
            det = fg.real * fd.imag - fd.real * fg.imag
            step_g = -(f.real * fd.imag - fd.real * f.imag) / det
            step_d = -(fg.real * f.imag - fg.imag * f.real) / det
            size = np.hypot(step_g / gu[idx], step_d / du[idx])
            scale = np.minimum(1.0, MAX_STEP / size)
            g[idx] += scale * step_g
            dl[idx] += scale * step_d
            bad = ~np.isfinite(size) | ~np.isfinite(g[idx]) | ~np.isfinite(dl[idx])
            if box is not None:
                lo, hi, dmax = (np.broadcast_to(v, g.shape)[idx] for v in box)
                bad |= (g[idx] < lo) | (g[idx] > hi) | (np.abs(dl[idx]) > dmax)
            done = size < tol * np.maximum(1.0, np.maximum(np.abs(g[idx] / gu[idx]), np.abs(dl[idx] / du[idx])))
            converged[idx[done & ~bad]] = True
            active[idx[done | bad]] = False
    return NewtonResult(g_p=g, delta=dl, converged=converged)
