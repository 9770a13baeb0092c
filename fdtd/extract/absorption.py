"""Absorption Q of a mode from its sampled field (pure: arrays in, a number out).

First-order perturbation theory for weak loss in non-dispersive media: 1 / Q_abs = int eps'' |E|^2 / int eps' |E|^2
over the cell. The integrals use the *exact* level and tooth boundaries: |E|^2 is interpolated linearly between the
samples and integrated exactly over each piece, so a 20 nm layer two pixels thick counts as 20 nm (MEEP's own
conductivity is not subpixel-averaged: it staircases, and Qs converged only to first order in the resolution).
Lengths um; eps relative, complex (eps'' > 0 absorbs).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np


def segment_integral(*, x: np.ndarray, f: np.ndarray, a: float, b: float) -> float:
    """Exact integral over [a, b] of the linear interpolant of samples ``f`` at sorted ``x`` (held constant beyond
    the ends)."""
    if b <= a:
        return 0.0
    inside = x[(x > a) & (x < b)]
    pts = np.concatenate(([a], inside, [b]))
    return float(np.trapz(np.interp(pts, x, f), pts))


def _periodic_row_integral(*, x: np.ndarray, f: np.ndarray, period_um: float, a: float, b: float) -> float:
    """Integral over [a, b] (inside one period) of the periodic linear interpolant of one row ``f`` at ``x``."""
    xs = np.concatenate((x - period_um, x, x + period_um))
    fs = np.concatenate((f, f, f))
    return segment_integral(x=xs, f=fs, a=a, b=b)


@dataclass(frozen=True)
class CellMedia:
    """The permittivities of a periodic cell (period ``period_um``): level name -> (y0, y1) um and -> (eps inside the
    tooth interval ``tooth_x_um``, eps elsewhere) (equal for uniform levels), and eps under the lowest / over the
    highest level."""

    period_um: float
    levels_um: Mapping[str, tuple[float, float]]
    level_eps: Mapping[str, tuple[complex, complex]]
    tooth_x_um: tuple[float, float]
    below_eps: complex
    above_eps: complex


def absorption_q(*, field_abs2: np.ndarray, x_um: np.ndarray, y_um: np.ndarray, media: CellMedia,
                 y_range_um: tuple[float, float]) -> float:
    """Q_abs of the mode ``field_abs2[x, y]`` (x samples over one period) of the cell ``media``, integrated over
    ``y_range_um`` (inside the PMLs). Infinite when nothing absorbs."""
    m = media
    period_um, levels_um, level_eps, tooth_x_um = m.period_um, m.levels_um, m.level_eps, m.tooth_x_um
    below_eps, above_eps = m.below_eps, m.above_eps
    f = np.asarray(field_abs2, dtype=float)
    x, y = np.asarray(x_um, float), np.asarray(y_um, float)
    full = np.array([_periodic_row_integral(x=x, f=f[:, j], period_um=period_um, a=-period_um / 2, b=period_um / 2)
                     for j in range(y.size)])
    tooth = np.array([_periodic_row_integral(x=x, f=f[:, j], period_um=period_um, a=tooth_x_um[0], b=tooth_x_um[1])
                      for j in range(y.size)])
    pieces = sorted(levels_um.items(), key=lambda kv: kv[1][0])
    lo, hi = pieces[0][1][0], pieces[-1][1][1]
    num = den = 0.0

    def add(eps_in: complex, eps_out: complex, a: float, b: float) -> None:
        nonlocal num, den
        a, b = max(a, y_range_um[0]), min(b, y_range_um[1])
        w_in = segment_integral(x=y, f=tooth, a=a, b=b)
        w_out = segment_integral(x=y, f=full, a=a, b=b) - w_in
        num += eps_in.imag * w_in + eps_out.imag * w_out
        den += eps_in.real * w_in + eps_out.real * w_out

    add(below_eps, below_eps, y_range_um[0], lo)
    for name, (a, b) in pieces:
        e_in, e_out = level_eps[name]
        add(complex(e_in), complex(e_out), a, b)
    add(above_eps, above_eps, hi, y_range_um[1])
    if num <= 0 or den <= 0:
        return math.inf
    return den / num
