"""One dispersion model for every path: n_eff(lambda) of a stack region (grating teeth, gaps, duty-averaged) from
the slab solver, and the group index n_g = n_eff - lambda dn_eff/dlambda from the same curve.

The slab solver's TE0 n_eff (real part, with the materials' own n,k at each wavelength) is sampled on a grid over
the stack's gain window (plus a margin) and interpolated by a cubic spline; n_g is the spline's derivative, so it
is smooth and consistent with n_eff. Tables are cached per (stack content, region, duty, grid).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import numpy as np
from scipy.interpolate import CubicSpline

from perocav.fdtd.models.slab.slab_modes import solve_slab_neff
from perocav.fdtd.models.spectral_gain.stack_window import stack_gain_window
from perocav.pdk.errors import InputError
from perocav.pdk.materials import resolve_material
from perocav.pdk.stack import Stack, StackLayer

Region = Literal["tooth", "gap", "average", "stack"]
REGIONS: tuple[str, ...] = ("tooth", "gap", "average", "stack")
#: grid step (nm) and margin beyond the gain window (nm) of the n_eff tables
TABLE_STEP_NM = 1.0
TABLE_MARGIN_NM = 12.0


def grating_layer(stack: Stack) -> StackLayer:
    """The stack's (first) patterned level: role 'grating', nonzero thickness (with its fill material)."""
    gratings = [layer for layer in stack.optical_layers() if layer.role == "grating"]
    if not gratings:
        raise InputError(f"stack {stack.name!r} has no grating level (role 'grating' with thickness > 0)",
                         field="stack", allowed="a stack with a grating layer")
    return gratings[0]  # its fill_material is set: the stack requires one of every grating level


def region_stack(*, stack: Stack, region: Region, duty_cycle: float | None = None) -> Stack:
    """The unpatterned stack seen by one region of a grating: 'tooth' (level filled with the tooth material),
    'gap' (filled with the fill material), 'average' (permittivity average at ``duty_cycle``), 'stack' (as is)."""
    if region == "stack":
        return stack
    g = grating_layer(stack)
    if region == "tooth":
        new = g.model_copy(update={"fill_material": None})
    elif region == "gap":
        new = g.model_copy(update={"fill_material": None, "material": g.fill_material})
    elif region == "average":
        if duty_cycle is None or not 0 < duty_cycle < 1:
            raise InputError(f"{duty_cycle} is outside (0, 1)", field="duty_cycle", allowed="0 < duty_cycle < 1")
        new = g.model_copy(update={"fill_fraction": float(duty_cycle)})
    else:
        raise InputError(f"{region!r} is not a region", field="region", allowed=", ".join(REGIONS))
    layers = tuple(new if layer.name == g.name else layer for layer in stack.layers)
    return stack.model_copy(update={"layers": layers})


def data_range_nm(stack: Stack) -> tuple[float, float]:
    """Wavelength range (nm) where every material of the stack has data."""
    specs = [stack.substrate, stack.cover]
    for layer in stack.optical_layers():
        specs += [layer.material] + ([layer.fill_material] if layer.fill_material is not None else [])
    mats = [resolve_material(s) for s in specs]
    return max(m.wavelength_min_nm for m in mats), min(m.wavelength_max_nm for m in mats)


@dataclass(frozen=True)
class NeffDispersion:
    """TE0 Re(n_eff) of one region versus wavelength (nm): a cubic spline through slab-solver roots."""

    stack_name: str
    region: str
    wavelength_nm: tuple[float, ...]
    neff_table: tuple[float, ...]

    @property
    def range_nm(self) -> tuple[float, float]:
        return self.wavelength_nm[0], self.wavelength_nm[-1]

    def _spline(self) -> CubicSpline:
        return _spline(self.wavelength_nm, self.neff_table)

    def _check(self, wl: np.ndarray) -> None:
        lo, hi = self.range_nm
        if np.any(wl < lo - 1e-9) or np.any(wl > hi + 1e-9):
            raise InputError(f"{np.min(wl):g}-{np.max(wl):g} nm is outside the n_eff table of {self.stack_name!r}",
                             field="wavelength_nm", allowed=f"{lo:g}-{hi:g} nm")

    def neff(self, *, wavelength_nm: float | np.ndarray) -> float | np.ndarray:
        """Re(n_eff) at ``wavelength_nm``."""
        wl = np.asarray(wavelength_nm, dtype=float)
        self._check(wl)
        out = self._spline()(wl)
        return float(out) if out.ndim == 0 else out

    def dneff_dlambda_per_nm(self, *, wavelength_nm: float | np.ndarray) -> float | np.ndarray:
        """d Re(n_eff) / d lambda [1/nm]."""
        wl = np.asarray(wavelength_nm, dtype=float)
        self._check(wl)
        out = self._spline()(wl, 1)
        return float(out) if out.ndim == 0 else out

    def group_index(self, *, wavelength_nm: float | np.ndarray) -> float | np.ndarray:
        """n_g = n_eff - lambda dn_eff/dlambda of the mode (material and waveguide dispersion)."""
        wl = np.asarray(wavelength_nm, dtype=float)
        out = self.neff(wavelength_nm=wl) - wl * self.dneff_dlambda_per_nm(wavelength_nm=wl)
        return float(out) if np.ndim(out) == 0 else out



def blended_group_index(*, tooth: NeffDispersion, gap: NeffDispersion, weight_high: float | np.ndarray,
                        wavelength_nm: float | np.ndarray) -> float | np.ndarray:
    """Group index of a grating region that is a fraction ``weight_high`` teeth and the rest gaps (a duty-averaged
    grating, or 1 for the teeth alone): the weighted mean of the two tables' group indices (arrays broadcast)."""
    return (weight_high * tooth.group_index(wavelength_nm=wavelength_nm)
            + (1 - weight_high) * gap.group_index(wavelength_nm=wavelength_nm))

@lru_cache(maxsize=256)
def _spline(wl: tuple[float, ...], n: tuple[float, ...]) -> CubicSpline:
    return CubicSpline(np.asarray(wl), np.asarray(n))


def table_grid_nm(*, stack: Stack, window_nm: tuple[float, float] | None = None,
                  step_nm: float = TABLE_STEP_NM, margin_nm: float = TABLE_MARGIN_NM) -> tuple[float, ...]:
    """Grid (nm) of the n_eff tables: the gain window (or ``window_nm``) plus a margin, inside the data range."""
    lo, hi = window_nm or stack_gain_window(stack=stack).window_nm
    d_lo, d_hi = data_range_nm(stack)
    lo, hi = max(lo - margin_nm, d_lo), min(hi + margin_nm, d_hi)
    if not hi - lo >= 4 * step_nm:
        raise InputError(f"the materials' data cover {d_lo:g}-{d_hi:g} nm, too little of the window {lo:g}-{hi:g} nm",
                         field="gain_window_nm", allowed=f"inside {d_lo:g}-{d_hi:g} nm")
    n = int(np.ceil((hi - lo) / step_nm))
    return tuple(float(x) for x in np.linspace(lo, hi, n + 1))


def neff_dispersion(*, stack: Stack, region: Region = "stack", duty_cycle: float | None = None,
                    window_nm: tuple[float, float] | None = None, step_nm: float = TABLE_STEP_NM) -> NeffDispersion:
    """n_eff(lambda) table of ``region`` of ``stack`` (see ``region_stack``), cached per content."""
    window = list(window_nm) if window_nm is not None else list(stack_gain_window(stack=stack).window_nm)
    key = json.dumps([stack.model_dump(mode="json"), region, duty_cycle, window, step_nm], sort_keys=True)
    return _table(key)


@lru_cache(maxsize=512)
def _table(key: str) -> NeffDispersion:
    stack_dump, region, duty, window, step = json.loads(key)
    stack = Stack.model_validate(stack_dump)
    reg = region_stack(stack=stack, region=region, duty_cycle=duty)
    grid = table_grid_nm(stack=stack, window_nm=tuple(window) if window else None, step_nm=step)
    neff: list[complex] = []
    for wl in grid:  # continuation from the previous wavelength; a full root search where it does not hold
        neff.append(solve_slab_neff(profile=reg.index_profile(wavelength_nm=wl), pol="TE",
                                    guess=neff[-1] if neff else None))
    return NeffDispersion(stack_name=stack.name, region=region, wavelength_nm=grid,
                          neff_table=tuple(float(n.real) for n in neff))


def frozen_group_index(*, stack: Stack, wavelength_nm: float, d_nm: float = 1.0) -> float:
    """Group index of ``stack``'s TE0 mode with every index frozen at ``wavelength_nm`` (waveguide dispersion
    only): the n_g a non-dispersive FDTD run sees."""
    prof = stack.index_profile(wavelength_nm=wavelength_nm)
    n = [solve_slab_neff(profile=prof.model_copy(update={"wavelength_nm": wavelength_nm + s * d_nm})).real
         for s in (-1, 1)]
    n0 = solve_slab_neff(profile=prof).real
    return n0 - wavelength_nm * (n[1] - n[0]) / (2 * d_nm)
