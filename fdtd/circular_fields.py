"""What the cylindrical FDTD entry point (``fdtd.circular``) reads off its MEEP-room records: the modes of one run
(``CylRingdownResult``) and the gain-level confinement of a recorded mode field on the cell's geometry
(``GeometryCyl``), as ``fdtd.dfb_fields`` does for the 2D cells. Frequencies in 1/um, wavelengths in nm.

The gain confinement is the power-weighted one (Visser et al., IEEE JQE 1997; ``SlabMode.confinement_power``) in its
energy form, n_g int_gain Re(n) |E|^2 r / int eps |E|^2 r with n_g the waveguide group index of the frozen-media run:
the exact first-order ratio of modal to material gain of a cavity mode (for a TE slab mode n_g int eps_a |E|^2 / int
eps |E|^2 ... = Re(n_a) int_a |E|^2 / (n_eff int |E|^2), the slab solver's definition)."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from perocav.fdtd.extract.circular_modes import match_nearest, pencil_modes
from perocav.fdtd.extract.resonance import Resonance
from perocav.fdtd.meep.geometry_cyl import GeometryCyl
from perocav.fdtd.meep.runner_cyl import CylRingdownResult, ModeField
from perocav.pdk.materials import resolve_material
from perocav.pdk.units import NM_PER_UM


def ringdown_modes(run: CylRingdownResult, *, freq_band: tuple[float, float], q_min: float) -> list[Resonance]:
    """Modes of one cylindrical run: the pencil's (converged Q from a short ring-down), else Harminv's with
    Q >= q_min; none for a run that is not "ok" or has fewer than 16 samples."""
    if run.status != "ok" or len(run.samples) < 16:
        return []
    return (pencil_modes(samples=run.samples, dt_um=run.dt_um, freq_band=freq_band, q_min=q_min)
            or [r for r in run.resonances if r.q >= q_min])


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


def power_confinement(*, mode_field: ModeField, geometry: GeometryCyl, level: str, group_index: float) -> float:
    """Power-weighted confinement of stack level ``level``: n_g int_level Re(n) |E|^2 r / int eps |E|^2 r (module
    docstring); NaN for a group index that is not finite and > 0."""
    if not (math.isfinite(group_index) and group_index > 0):
        return math.nan
    if level not in geometry.levels_um:
        raise ValueError(f"no level {level!r} in the geometry ({sorted(geometry.levels_um)})")
    eps = eps_grid(geometry=geometry, r_um=mode_field.r_um, z_um=mode_field.z_um,
                   wavelength_nm=NM_PER_UM / mode_field.freq)
    r = np.abs(mode_field.r_um)[:, None]
    z0, z1 = geometry.levels_um[level]
    inside = (mode_field.z_um >= z0) & (mode_field.z_um <= z1)
    total = float((eps * mode_field.e2 * r).sum())
    gain = float((np.sqrt(eps) * mode_field.e2 * r)[:, inside].sum())
    return group_index * gain / total if total > 0 else math.nan


def gain_confinement(*, resonance: Resonance, mode_fields: Sequence[ModeField], geometry: GeometryCyl,
                     group_index: float) -> float:
    """Power-weighted confinement in the gain level of the mode field recorded at ``resonance``'s frequency
    (``group_index``: the frozen-media run's waveguide n_g there; NaN without a field, or without a gain level)."""
    mf = match_nearest(resonance.freq, mode_fields)
    if mf is None or not abs(mf.freq - resonance.freq) < 1e-9 * resonance.freq:
        return math.nan
    if geometry.gain_level not in geometry.levels_um:
        return math.nan
    return power_confinement(mode_field=mf, geometry=geometry, level=geometry.gain_level, group_index=group_index)
