"""Pure extractors of the cylindrical FDTD (``fdtd.circular``): modes of a ring-down, the lossless twin's Q split,
confinement of a mode field in a stack level, the selections the pipeline reports. No solver; frequencies in 1/um
(MEEP units), wavelengths in nm."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TypeVar

import numpy as np

from perocav.fdtd.extract.resonance import Resonance, find_resonances
from perocav.fdtd.models.circular_mode import CircularMode
from perocav.pdk.materials import resolve_material
from perocav.pdk.units import NM_PER_UM

if TYPE_CHECKING:  # records of the meep room (runner_cyl imports meep)
    from perocav.fdtd.meep.geometry_cyl import GeometryCyl
    from perocav.fdtd.meep.runner_cyl import CylRingdownResult, ModeField

T = TypeVar("T")


def pencil_modes(*, samples: np.ndarray, dt_um: float, freq_band: tuple[float, float], q_min: float) -> list[Resonance]:
    """Matrix-pencil resonances of a ring-down in ``freq_band`` (f_min, f_max) with Q >= q_min ([] when the series
    is too short to fit)."""
    try:
        return find_resonances(samples=samples, dt=dt_um, freq_min=freq_band[0], freq_max=freq_band[1], q_min=q_min)
    except ValueError:
        return []


def ringdown_modes(run: CylRingdownResult, *, freq_band: tuple[float, float], q_min: float) -> list[Resonance]:
    """Modes of one cylindrical run: the pencil's (converged Q from a short ring-down), else Harminv's with
    Q >= q_min; none for a run that is not "ok" or has fewer than 16 samples."""
    if run.status != "ok" or len(run.samples) < 16:
        return []
    return (pencil_modes(samples=run.samples, dt_um=run.dt_um, freq_band=freq_band, q_min=q_min)
            or [r for r in run.resonances if r.q >= q_min])


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


def eps_grid(*, geometry: GeometryCyl, r_um: np.ndarray, z_um: np.ndarray, wavelength_nm: float) -> np.ndarray:
    """Re(n)^2 on the grid r_um x z_um (shape len(r), len(z)), painting the shapes in order."""
    def n2(med) -> float:
        n = med.index if med.index is not None else resolve_material(med.material).nk(wavelength_nm=wavelength_nm)
        return float(complex(n).real ** 2)

    rr, zz = np.meshgrid(np.asarray(r_um, float), np.asarray(z_um, float), indexing="ij")
    eps = np.full(rr.shape, n2(geometry.background))
    for s in geometry.shapes:
        mask = (rr >= s.r0_um) & (rr <= s.r1_um) & (zz >= s.z0_um) & (zz <= s.z1_um)
        eps[mask] = n2(s.medium)
    return eps


def confinement_factor(*, mode_field: ModeField, geometry: GeometryCyl, level: str) -> float:
    """Fraction of the electric energy int eps |E|^2 r dr dz that lies in stack level ``level``."""
    if level not in geometry.levels_um:
        raise ValueError(f"no level {level!r} in the geometry ({sorted(geometry.levels_um)})")
    wl_nm = NM_PER_UM / mode_field.freq
    eps = eps_grid(geometry=geometry, r_um=mode_field.r_um, z_um=mode_field.z_um, wavelength_nm=wl_nm)
    w = eps * mode_field.e2 * np.abs(mode_field.r_um)[:, None]
    z0, z1 = geometry.levels_um[level]
    inside = (mode_field.z_um >= z0) & (mode_field.z_um <= z1)
    total = float(w.sum())
    return float(w[:, inside].sum()) / total if total > 0 else math.nan


def gain_confinement(*, resonance: Resonance, mode_fields: Sequence[ModeField], geometry: GeometryCyl) -> float:
    """Confinement in the gain level of the mode field recorded at ``resonance``'s frequency (NaN without one, or
    without a gain level)."""
    mf = match_nearest(resonance.freq, mode_fields)
    if mf is None or not abs(mf.freq - resonance.freq) < 1e-9 * resonance.freq:
        return math.nan
    if geometry.gain_level not in geometry.levels_um:
        return math.nan
    return confinement_factor(mode_field=mf, geometry=geometry, level=geometry.gain_level)


def nearest_gain_peak(*, modes: tuple[CircularMode, ...], gain_peak_nm: float, count: int = 3) -> tuple[CircularMode, ...]:
    """The ``count`` modes closest in wavelength to the gain peak."""
    return tuple(sorted(modes, key=lambda x: abs(x.wavelength_nm - gain_peak_nm))[:count])


def band_edge_modes(*, modes: tuple[CircularMode, ...], m_max: int = 1, count: int = 2) -> tuple[CircularMode, ...]:
    """For each m <= m_max, the ``count`` highest-Q modes (the band-edge modes of a circular grating)."""
    out = []
    for m in sorted({x.m for x in modes if x.m <= m_max}):
        out.extend(sorted((x for x in modes if x.m == m), key=lambda x: -x.q)[:count])
    return tuple(out)
