"""Pure extractors of the cylindrical FDTD (``fdtd.circular``): resonances of a ring-down series, the lossless twin's
Q split, the selections the pipeline reports. No solver, no MEEP-room records (``fdtd.circular_fields`` reads those);
frequencies in 1/um (MEEP units), wavelengths in nm."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import TypeVar

import numpy as np

from perocav.fdtd.extract.resonance import Resonance, find_resonances
from perocav.fdtd.models.circular.circular_mode import CircularMode

T = TypeVar("T")


def pencil_modes(*, samples: np.ndarray, dt_um: float, freq_band: tuple[float, float], q_min: float) -> list[Resonance]:
    """Matrix-pencil resonances of a ring-down in ``freq_band`` (f_min, f_max) with Q >= q_min ([] when the series
    is too short to fit)."""
    try:
        return find_resonances(samples=samples, dt=dt_um, freq_min=freq_band[0], freq_max=freq_band[1], q_min=q_min)
    except ValueError:
        return []


def match_nearest(freq: float, others: Sequence[T], *, key: Callable[[T], float] = lambda x: x.freq) -> T | None:
    """The element of ``others`` whose ``key`` is nearest ``freq`` (None when empty)."""
    return min(others, key=lambda x: abs(key(x) - freq)) if others else None


def combine_q(*, q_total: float, q_radiation: float) -> float:
    """Absorption Q from 1/Q = 1/Q_rad + 1/Q_abs (inf when the lossless run is no better)."""
    inv = 1.0 / q_total - 1.0 / q_radiation
    return 1.0 / inv if inv > 0 else math.inf


def split_q(*, resonance: Resonance, lossless: Sequence[Resonance]) -> tuple[float, float]:
    """(Q_radiation, Q_absorption) of ``resonance`` from its twin in the lossless-contact run (within half a
    linewidth + 1e-4 f); (NaN, NaN) without one."""
    r = resonance
    twin = match_nearest(r.freq, lossless)
    if twin is not None and abs(twin.freq - r.freq) < 0.5 * r.freq / r.q + 1e-4 * r.freq:
        return twin.q, combine_q(q_total=r.q, q_radiation=twin.q)
    return math.nan, math.nan


def nearest_gain_peak(*, modes: tuple[CircularMode, ...], gain_peak_nm: float, count: int = 3) -> tuple[CircularMode, ...]:
    """The ``count`` modes closest in wavelength to the gain peak."""
    return tuple(sorted(modes, key=lambda x: abs(x.wavelength_nm - gain_peak_nm))[:count])


def band_edge_modes(*, modes: tuple[CircularMode, ...], m_max: int = 1, count: int = 2) -> tuple[CircularMode, ...]:
    """For each m <= m_max, the ``count`` highest-Q modes (the band-edge modes of a circular grating)."""
    out = []
    for m in sorted({x.m for x in modes if x.m <= m_max}):
        out.extend(sorted((x for x in modes if x.m == m), key=lambda x: -x.q)[:count])
    return tuple(out)
