"""Finite-volume grid of the axisymmetric (r, z) pixel and its heat-capacity / conductance matrices (SI units).

z: uniform cells inside each thin film, geometrically graded cells in thick slabs (fine next to the heated film,
coarse far away). r: uniform cells inside the opening radius, graded cells outside it up to ``r_max``. One radial
column of radius = opening radius with an adiabatic side wall is the 1D (z only) model.
Boundaries: fixed temperature (heat sink) under the substrate, adiabatic top and outer radius.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from perocav.fdtd.models.thermal.thermal_stack import ThermalStack


@dataclass(frozen=True)
class GridSettings:
    """Resolution knobs; ``refined(f)`` multiplies cell counts by f (growth ratios -> ratio ** (1/f))."""

    film_cells: int = 6            # cells across each thin film (the heated film gets twice as many)
    film_max_cell_m: float = 25e-9
    z_growth: float = 1.25         # ratio of neighbouring cells in thick slabs
    opening_cells: int = 8         # uniform radial cells inside the opening
    r_growth: float = 1.3
    graded_above_m: float = 2e-6   # slabs thicker than this are graded

    def refined(self, factor: float) -> "GridSettings":
        return GridSettings(
            film_cells=int(round(self.film_cells * factor)), film_max_cell_m=self.film_max_cell_m / factor,
            z_growth=self.z_growth ** (1 / factor), opening_cells=int(round(self.opening_cells * factor)),
            r_growth=self.r_growth ** (1 / factor), graded_above_m=self.graded_above_m,
        )


def graded_cells(*, total_m: float, first_m: float, growth: float) -> np.ndarray:
    """Cell sizes starting at ``first_m`` and growing by ``growth`` until they fill ``total_m`` (rescaled exactly)."""
    sizes, acc = [], 0.0
    h = min(first_m, total_m)
    while acc + h < total_m * (1 - 1e-12):
        sizes.append(h)
        acc += h
        h *= growth
    sizes.append(max(total_m - acc, 0.0))
    if len(sizes) > 1 and sizes[-1] < 0.5 * sizes[-2]:  # merge a sliver into its neighbour
        sizes[-2] += sizes.pop()
    out = np.asarray(sizes)
    return out * (total_m / out.sum())


def z_cells(stack: ThermalStack, s: GridSettings) -> tuple[np.ndarray, np.ndarray]:
    """Cell sizes [m] in z (bottom to top) and the slab index of each cell."""
    hot = stack.heated_index
    films = [sl for sl in stack.slabs if sl.thickness_m <= s.graded_above_m]
    h_film = min(sl.thickness_m / s.film_cells for sl in films) if films else s.film_max_cell_m
    sizes, owner = [], []
    for k, sl in enumerate(stack.slabs):
        if sl.thickness_m > s.graded_above_m:
            h = graded_cells(total_m=sl.thickness_m, first_m=h_film, growth=s.z_growth)
            h = h[::-1] if k < hot else h  # fine next to the heated film
        else:
            n = max(s.film_cells * (2 if sl.heated else 1), int(np.ceil(sl.thickness_m / s.film_max_cell_m)))
            h = np.full(n, sl.thickness_m / n)
        sizes.append(h)
        owner.append(np.full(h.size, k))
    return np.concatenate(sizes), np.concatenate(owner)


def r_faces(*, opening_radius_m: float, r_max_m: float, s: GridSettings, one_d: bool) -> np.ndarray:
    """Radial cell faces [m] from 0; the opening radius is a face."""
    inner = np.linspace(0.0, opening_radius_m, (1 if one_d else s.opening_cells) + 1)
    if one_d or r_max_m <= opening_radius_m:
        return inner
    outer = graded_cells(total_m=r_max_m - opening_radius_m, first_m=opening_radius_m / s.opening_cells,
                         growth=s.r_growth)
    return np.concatenate([inner, opening_radius_m + np.cumsum(outer)])


@dataclass(frozen=True)
class ThermalSystem:
    """C dT/dt = -K T + source * p(t); T is the rise over the heat-sink temperature [K], cells ordered j*nr + i."""

    capacity_j_per_k: np.ndarray      # per cell
    conductance: sp.csr_matrix        # K [W/K], includes the heat-sink diagonal
    sink_conductance_w_per_k: np.ndarray  # per cell (nonzero in the bottom row)
    source_w: np.ndarray              # per cell, for unit areal power density 1 W/m^2 over the opening
    heated_mask: np.ndarray           # cells of the heated film inside the opening
    volume_m3: np.ndarray
    r_faces_m: np.ndarray
    z_faces_m: np.ndarray
    opening_radius_m: float


def assemble(*, stack: ThermalStack, opening_radius_m: float, r_max_m: float, settings: GridSettings,
             one_d: bool = False) -> ThermalSystem:
    """Build the finite-volume matrices of the (r, z) problem."""
    dz, owner = z_cells(stack, settings)
    rf = r_faces(opening_radius_m=opening_radius_m, r_max_m=r_max_m, s=settings, one_d=one_d)
    nr, nz = rf.size - 1, dz.size
    k = np.array([stack.slabs[o].material.conductivity_w_per_m_k for o in owner])
    rc = np.array([stack.slabs[o].material.volumetric_heat_capacity_j_per_m3_k for o in owner])
    ring = np.pi * np.diff(rf**2)                      # annulus areas [m^2]
    rmid = 0.5 * (rf[:-1] + rf[1:])
    vol = np.outer(dz, ring)                           # (nz, nr)
    idx = np.arange(nz * nr).reshape(nz, nr)
    rows, cols, vals = [], [], []
    # vertical neighbours (j, j+1): series half-cell resistances
    g_z = ring[None, :] / (0.5 * dz[:-1, None] / k[:-1, None] + 0.5 * dz[1:, None] / k[1:, None])
    _couple(rows, cols, vals, idx[:-1, :], idx[1:, :], g_z)
    if nr > 1:  # radial neighbours (i, i+1) through the face at rf[i+1]
        face = 2 * np.pi * rf[None, 1:-1] * dz[:, None]
        g_r = face * k[:, None] / ((rf[1:-1] - rmid[:-1]) + (rmid[1:] - rf[1:-1]))[None, :]
        _couple(rows, cols, vals, idx[:, :-1], idx[:, 1:], g_r)
    sink = np.zeros((nz, nr))
    sink[0, :] = ring * k[0] / (0.5 * dz[0])
    n = nz * nr
    cond = sp.coo_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(n, n)).tocsr()
    cond = (cond + sp.diags(sink.ravel())).tocsr()
    heated = (owner == stack.heated_index)[:, None] & (rmid < opening_radius_m)[None, :]
    d_active = stack.slabs[stack.heated_index].thickness_m
    source = np.where(heated, vol / d_active, 0.0)     # W per cell for 1 W/m^2 areal power
    zf = np.concatenate([[0.0], np.cumsum(dz)])
    return ThermalSystem(
        capacity_j_per_k=(rc[:, None] * vol).ravel(), conductance=cond, sink_conductance_w_per_k=sink.ravel(),
        source_w=source.ravel(), heated_mask=heated.ravel(), volume_m3=vol.ravel(), r_faces_m=rf, z_faces_m=zf,
        opening_radius_m=opening_radius_m,
    )


def _couple(rows: list, cols: list, vals: list, a: np.ndarray, b: np.ndarray, g: np.ndarray) -> None:
    """Add conductances g between cells a and b to the (symmetric, Laplacian) matrix lists."""
    a, b, g = a.ravel(), b.ravel(), g.ravel()
    rows += [a, b, a, b]
    cols += [a, b, b, a]
    vals += [g, g, -g, -g]
