"""Run a 2D MEEP ring-down (Gaussian point source + Harminv) on a ``Geometry2D``. Imports meep.

Lengths um, frequency f = 1000 / wavelength_nm (1/um), time um / c. The band, resolution, ring-down and media come
in a ``RingdownSpec`` (``fdtd.meep.ringdown``, shared with the cylindrical and 3D runners), the Bloch k and mirror
planes in a ``Symmetry2D``. A run whose fields go NaN/inf is ``status="unstable"`` and one where Harminv finds nothing
``"no_resonance"``, never a number.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import meep as mp
import numpy as np

from perocav.fdtd.extract.resonance import Resonance
from perocav.fdtd.meep.geometry_2d import Disk, Geometry2D, Rect
from perocav.fdtd.meep.media import media_lookup
from perocav.fdtd.meep.ringdown import RingdownSpec, cell_snapshot, read_ringdown, run_ringdown

COMPONENTS = {"Ez": mp.Ez, "Hz": mp.Hz}  # 2D: Ez = TE slab mode (E along the layers), Hz = TM


@dataclass(frozen=True)
class Symmetry2D:
    """Boundary and mirror conditions of a 2D run. k_x_per_um: Bloch wave number along x in MEEP units (cycles per um,
    n_eff / wavelength_um; None: no Bloch condition); with it the x boundary is periodic and the geometry must have no
    x PML. mirror_x_odd / mirror_y_odd: parity of the field about x = 0 / y = 0 (True: odd, False: even; None: no
    mirror), only for cells with that mirror plane (x: with k_x = 0 or no Bloch k); MEEP then stores half the cell."""

    k_x_per_um: float | None = None
    mirror_x_odd: bool | None = None
    mirror_y_odd: bool | None = None


#: no Bloch k, no mirror plane
NO_SYMMETRY = Symmetry2D()


@dataclass(frozen=True)
class RingdownResult:
    """status: "ok", "unstable" or "no_resonance"; resonances from MEEP's Harminv (freq in 1/um);
    samples: the probe field after the sources (complex), every ``dt_um`` (um / c)."""

    status: str
    resonances: tuple[Resonance, ...]
    samples: np.ndarray = field(repr=False)
    dt_um: float
    resolution_px_per_um: float
    wall_time_s: float
    meep_version: str = mp.__version__
    #: with ``snapshot=True``: |field|^2 on the whole cell at the end of the ring-down, [x, y], and its
    #: sample coordinates (um, cell centred on 0); the longest-lived mode dominates it.
    field_abs2: np.ndarray | None = field(default=None, repr=False)
    x_um: np.ndarray | None = field(default=None, repr=False)
    y_um: np.ndarray | None = field(default=None, repr=False)


def meep_geometry(*, geometry: Geometry2D, spec: RingdownSpec) -> tuple[list, mp.Medium]:
    """(``mp.Block`` / ``mp.Cylinder`` objects of the shapes, background medium); one medium per distinct spec."""
    med = media_lookup(wavelength_min_nm=spec.wavelength_min_nm, wavelength_max_nm=spec.wavelength_max_nm,
                       dispersive=spec.dispersive, freeze_wavelength_nm=spec.freeze_wavelength_nm,
                       gain_width_fraction=spec.gain_width_fraction)
    objs = []
    half_x = 0.5 * geometry.size_x_um
    for s in geometry.shapes:
        if isinstance(s, Rect):
            # a level spanning the whole cell is infinite in x: a finite block's x edges would land on the
            # periodic copies of a Bloch cell, where subpixel averaging of its corners makes a spurious x-periodic
            # perturbation (it split the two standing waves of a uniform guide by 0.8 nm at 50 px/um)
            whole = s.x0_um <= -half_x and s.x1_um >= half_x
            objs.append(mp.Block(
                size=mp.Vector3(mp.inf if whole else s.x1_um - s.x0_um, s.y1_um - s.y0_um, mp.inf),
                center=mp.Vector3(0.0 if whole else 0.5 * (s.x0_um + s.x1_um), 0.5 * (s.y0_um + s.y1_um)),
                material=med(s.medium)))
        elif isinstance(s, Disk):
            objs.append(mp.Cylinder(radius=s.radius_um, height=mp.inf, center=mp.Vector3(s.x_um, s.y_um),
                                    material=med(s.medium)))
        else:
            raise TypeError(f"unknown shape {type(s).__name__}")
    return objs, med(geometry.background)


def _check(*, geometry: Geometry2D, spec: RingdownSpec, component: str, symmetry: Symmetry2D) -> None:
    k_x_per_um = symmetry.k_x_per_um
    if component not in COMPONENTS:
        raise ValueError(f"component={component!r} not in {sorted(COMPONENTS)}")
    if k_x_per_um is not None and geometry.pml_x_um > 0:
        raise ValueError("a Bloch k_x needs a cell without x PML")
    px = geometry.size_x_um * spec.resolution_px_per_um
    if k_x_per_um is not None and abs(px - round(px)) > 1e-6:
        raise ValueError(f"Bloch cell {geometry.size_x_um:g} um is {px:g} px at {spec.resolution_px_per_um:g} px/um: "
                         f"MEEP would snap it to {round(px)} px and change the period; use a resolution that makes "
                         f"it whole")
    if symmetry.mirror_x_odd is not None and k_x_per_um:
        raise ValueError("an x mirror needs k_x = 0")


def _simulation(*, geometry: Geometry2D, spec: RingdownSpec, component, source_xy_um: tuple[float, float],
                symmetry: Symmetry2D) -> mp.Simulation:
    objs, background = meep_geometry(geometry=geometry, spec=spec)
    pml = []
    if geometry.pml_x_um > 0:
        pml.append(mp.PML(geometry.pml_x_um, direction=mp.X))
    if geometry.pml_y_um > 0:
        pml.append(mp.PML(geometry.pml_y_um, direction=mp.Y))
    mirrors = (symmetry.mirror_x_odd, symmetry.mirror_y_odd)
    symmetries = [mp.Mirror(d, phase=-1 if odd else 1) for d, odd in zip((mp.X, mp.Y), mirrors) if odd is not None]
    k_x_per_um = symmetry.k_x_per_um
    return mp.Simulation(
        cell_size=mp.Vector3(geometry.size_x_um, geometry.size_y_um, 0), geometry=objs, default_material=background,
        boundary_layers=pml, sources=[mp.Source(spec.source(), component=component, center=mp.Vector3(*source_xy_um))],
        resolution=spec.resolution_px_per_um, symmetries=symmetries,
        k_point=mp.Vector3(k_x_per_um, 0, 0) if k_x_per_um is not None else False)


def run_ringdown_2d(
    *, geometry: Geometry2D, spec: RingdownSpec, source_xy_um: tuple[float, float],
    probe_xy_um: tuple[float, float], component: str = "Ez", symmetry: Symmetry2D = NO_SYMMETRY,
    snapshot: bool = False, harminv_analysis: bool = True,
) -> RingdownResult:
    """Gaussian point source covering ``spec``'s band, then ``spec.ring_down_um`` (um / c) of ring-down recorded by
    Harminv at ``probe_xy_um``.

    component: "Ez" (TE) or "Hz" (TM). symmetry: Bloch k_x and mirror planes (``Symmetry2D``; default none).
    snapshot: also return |field|^2 over the cell at the end (``field_abs2``, ``x_um``, ``y_um``).
    harminv_analysis=False: samples only (``resonances`` empty; fit them with ``extract.resonance.find_resonances``).
    """
    _check(geometry=geometry, spec=spec, component=component, symmetry=symmetry)
    c = COMPONENTS[component]
    sim = _simulation(geometry=geometry, spec=spec, component=c, source_xy_um=source_xy_um, symmetry=symmetry)
    fcen, df = spec.band_per_um
    harminv = mp.Harminv(c, mp.Vector3(*probe_xy_um), fcen, df)
    t0 = time.perf_counter()
    blew_up = run_ringdown(sim, harminv, ring_down_um=spec.ring_down_um)
    wall = time.perf_counter() - t0
    out = read_ringdown(sim, harminv, c, blew_up=blew_up, analyse=harminv_analysis)
    snap = cell_snapshot(sim, out.field_end) if snapshot and out.field_end is not None else {}
    sim.reset_meep()
    return RingdownResult(status=out.status, resonances=out.resonances, samples=out.samples, dt_um=out.dt_um,
                          resolution_px_per_um=float(spec.resolution_px_per_um), wall_time_s=wall, **snap)
