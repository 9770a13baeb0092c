"""Band-edge poles of a grating cell at one Bloch k: scan |g| on the real axis, refine the candidates in the complex
plane (Muller), keep the two highest-Q modes in the window; follow them when the harmonics grow. Lengths in nm."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from perocav.fdtd.rcwa.cell import GratingCell
from perocav.fdtd.rcwa.poles import Pole, muller, real_axis_candidates
from perocav.fdtd.rcwa.solver import mode_function

Q_MIN = 30.0  # radiation-continuum features have Q of a few (as the MEEP band-edge picker)
Q_LOSSLESS = 1e9  # |Q| above this: a lossless mode (Q = inf)


def _func(cell: GratingCell, n_harmonics: int, k_bloch_per_nm: float):
    return lambda lam: mode_function(cell=cell, wavelength_nm=lam, n_harmonics=n_harmonics,
                                     k_bloch_per_nm=k_bloch_per_nm)


def _clean(pole: Pole) -> Pole:
    """A pole whose |Q| exceeds Q_LOSSLESS (lossless cell; the sign of Im is round-off) lands on the real axis."""
    if abs(pole.q) > Q_LOSSLESS:
        return Pole(lam=complex(pole.lam.real, 0.0), iterations=pole.iterations, residual=pole.residual)
    return pole


def deflated(f, found: Sequence[Pole]):
    """f with the poles already found divided out, so Muller cannot land on them again."""
    if not found:
        return f
    return lambda lam: f(lam) / np.prod([lam - p.lam for p in found])


def find_band_edges(*, cell: GratingCell, k_bloch_per_nm: float, window_nm: tuple[float, float], n_harmonics: int,
                    step_nm: float = 0.25, keep: int = 2) -> tuple[Pole, ...]:
    """The ``keep`` highest-Q decaying poles (Q >= Q_MIN) with Re(lambda) in ``window_nm``, short first."""
    lo, hi = window_nm
    grid = np.linspace(lo, hi, max(int(math.ceil((hi - lo) / step_nm)) + 1, 8))
    f = _func(cell, n_harmonics, k_bloch_per_nm)
    values = np.array([f(complex(x)) for x in grid])
    found: list[Pole] = []
    for x in real_axis_candidates(values, grid, keep=3 * keep + 2):
        p = muller(deflated(f, found), start=complex(x, 0.02), step=0.5 * step_nm)
        if p is None:
            continue
        p = _clean(p)
        if lo <= p.wavelength_nm <= hi and p.lam.imag >= 0 and p.q >= Q_MIN:
            if all(abs(p.lam - o.lam) > 1e-4 for o in found):
                found.append(p)
    for anchor in list(found):  # a partner closer than a grid step (2nd order near duty 0.5) shows no own minimum
        if len(found) >= keep:
            break
        for offset in (-0.5 + 0.3j, 0.5 + 0.3j):
            p = muller(deflated(f, found), start=anchor.lam + offset, step=0.5 * step_nm)
            if p is not None and lo <= p.wavelength_nm <= hi and p.lam.imag >= 0 and _clean(p).q >= Q_MIN:
                found.append(_clean(p))
                break
    best = sorted(found, key=lambda p: p.q, reverse=True)[:keep]
    return tuple(sorted(best, key=lambda p: p.wavelength_nm))


def follow_poles(*, cell: GratingCell, k_bloch_per_nm: float, poles: Sequence[Pole], n_harmonics: int) -> tuple[Pole, ...] | None:
    """The same poles at another number of harmonics (Muller from each); None if one is lost or two merge."""
    f = _func(cell, n_harmonics, k_bloch_per_nm)
    out = []
    for p in poles:
        step = max(abs(p.lam.imag), 0.01)
        q = muller(f, start=p.lam, step=step)
        if q is None:
            return None
        out.append(_clean(q))
    if any(abs(a.lam - b.lam) < 1e-6 for i, a in enumerate(out) for b in out[i + 1:]):
        return None  # two starts fell onto one pole
    return tuple(sorted(out, key=lambda p: p.wavelength_nm))
