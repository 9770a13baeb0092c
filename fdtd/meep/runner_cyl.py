"""MEEP ring-downs of a ``GeometryCyl``: cylindrical (r, z, azimuthal order m) and, for spot-checks, full 3D.
Imports meep.

Band, media and run settings come as one ``meep.ringdown.RingdownSpec``; media from ``meep.media`` (same rules as
the 2D runner). A run whose fields go NaN/inf is ``status="unstable"``; one where Harminv finds nothing is
``"no_resonance"``. With ``mode_window_um`` > 0 the cylindrical run continues after the ring-down with DFT monitors
at the Harminv frequencies over the cell (outside the PML): each resonance's own field, for confinement factors.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import meep as mp
import numpy as np

from perocav.fdtd.extract.resonance import Resonance
from perocav.fdtd.meep.geometry_cyl import Annulus, GeometryCyl
from perocav.fdtd.meep.media import media_lookup
from perocav.fdtd.meep.ringdown import RingdownSpec, read_ringdown, run_ringdown, z_span_um

CYL_COMPONENTS = {"Er": mp.Er, "Ep": mp.Ep, "Ez": mp.Ez, "Hr": mp.Hr, "Hp": mp.Hp, "Hz": mp.Hz}
COMPONENTS_3D = {"Ex": mp.Ex, "Ey": mp.Ey, "Ez": mp.Ez, "Hz": mp.Hz}

#: ``(samples, dt_um) -> frequencies`` (1/um) at which to record mode fields (e.g. the matrix pencil's)
ModeFreqs = Callable[[np.ndarray, float], Sequence[float]]


@dataclass(frozen=True)
class ModeField:
    """|E|^2 (summed over Er, Ep, Ez) of one resonance on the grid r_um x z_um (DFT over the mode window)."""

    freq: float
    r_um: np.ndarray = field(repr=False)
    z_um: np.ndarray = field(repr=False)
    e2: np.ndarray = field(repr=False)


@dataclass(frozen=True)
class CylRingdownResult:
    """status: "ok", "unstable" or "no_resonance"; resonances (freq in 1/um) from Harminv; samples: probe field
    every dt_um after the sources; mode_fields: one per resonance when a mode window was asked for."""

    status: str
    m: int
    resonances: tuple[Resonance, ...]
    samples: np.ndarray = field(repr=False)
    dt_um: float
    resolution_px_per_um: float
    wall_time_s: float
    mode_fields: tuple[ModeField, ...] = ()
    meep_version: str = mp.__version__


def _media(spec: RingdownSpec, *, dispersive: bool):
    return media_lookup(wavelength_min_nm=spec.wavelength_min_nm, wavelength_max_nm=spec.wavelength_max_nm,
                        dispersive=dispersive, freeze_wavelength_nm=spec.freeze_wavelength_nm)


def _z(geometry: GeometryCyl, s: Annulus) -> tuple[float, float]:
    return z_span_um(size_z_um=geometry.size_z_um, z0_um=s.z0_um, z1_um=s.z1_um)


def _pml(geometry: GeometryCyl, *directions) -> list[mp.PML]:
    """PML of pml_r_um along each of ``directions`` (the radial ones) and pml_z_um along z when the cell has one."""
    pml = [mp.PML(geometry.pml_r_um, direction=d) for d in directions]
    if geometry.pml_z_um > 0:
        pml.append(mp.PML(geometry.pml_z_um, direction=mp.Z))
    return pml


def _cyl_simulation(geometry: GeometryCyl, *, m: int, spec: RingdownSpec, source_rz_um: tuple[float, float],
                    component) -> mp.Simulation:
    med = _media(spec, dispersive=spec.dispersive)
    objs = []
    for s in geometry.shapes:
        zc, dz = _z(geometry, s)
        objs.append(mp.Block(center=mp.Vector3(0.5 * (s.r0_um + s.r1_um), 0, zc),
                             size=mp.Vector3(s.r1_um - s.r0_um, mp.inf, dz), material=med(s.medium)))
    return mp.Simulation(
        cell_size=mp.Vector3(geometry.size_r_um, 0, geometry.size_z_um),
        dimensions=mp.CYLINDRICAL, m=m, geometry=objs, default_material=med(geometry.background),
        boundary_layers=_pml(geometry, mp.R), resolution=spec.resolution_px_per_um, force_complex_fields=True,
        sources=[mp.Source(spec.source(), component=component,
                           center=mp.Vector3(source_rz_um[0], 0, source_rz_um[1]))],
    )


def run_ringdown_cyl(*, geometry: GeometryCyl, m: int, spec: RingdownSpec, source_rz_um: tuple[float, float],
                     probe_rz_um: tuple[float, float], component: str = "Er", mode_window_um: float = 0.0,
                     mode_freqs: ModeFreqs | None = None) -> CylRingdownResult:
    """Gaussian point (ring) source of azimuthal order ``m`` covering ``spec``'s band, then ``spec.ring_down_um``
    (um / c) recorded by Harminv at ``probe_rz_um``. component: "Er", "Ep", "Ez" (or H). mode_window_um: extra
    time with DFT monitors at the resonances found (0: none); mode_freqs: chooses those frequencies instead of
    Harminv (e.g. the matrix pencil)."""
    if component not in CYL_COMPONENTS:
        raise ValueError(f"component={component!r} not in {sorted(CYL_COMPONENTS)}")
    c = CYL_COMPONENTS[component]
    sim = _cyl_simulation(geometry, m=m, spec=spec, source_rz_um=source_rz_um, component=c)
    harminv = spec.harminv(c, mp.Vector3(probe_rz_um[0], 0, probe_rz_um[1]))
    t0 = time.perf_counter()
    out = read_ringdown(sim, harminv, c, blew_up=run_ringdown(sim, harminv, ring_down_um=spec.ring_down_um))
    fields: tuple[ModeField, ...] = ()
    if out.status == "ok" and mode_window_um > 0:
        freqs = (list(mode_freqs(out.samples, out.dt_um)) if mode_freqs is not None
                 else [r.freq for r in out.resonances])
        if freqs:
            fields = _mode_fields(sim, geometry, freqs, mode_window_um)
    wall = time.perf_counter() - t0
    sim.reset_meep()
    return CylRingdownResult(status=out.status, m=m, resonances=out.resonances, samples=out.samples,
                             dt_um=out.dt_um, resolution_px_per_um=float(spec.resolution_px_per_um),
                             wall_time_s=wall, mode_fields=fields)


def _mode_fields(sim, geometry: GeometryCyl, freqs: list[float], window_um: float) -> tuple[ModeField, ...]:
    size_r = geometry.size_r_um - geometry.pml_r_um
    size_z = max(geometry.size_z_um - 2 * geometry.pml_z_um, 0)
    vol = mp.Volume(center=mp.Vector3(0.5 * size_r, 0, 0), size=mp.Vector3(size_r, 0, size_z))
    dft = sim.add_dft_fields([mp.Er, mp.Ep, mp.Ez], freqs, where=vol)
    sim.run(until=window_um)
    _, _, z_meta, _ = sim.get_array_metadata(dft_cell=dft)  # MEEP 1.25 gives no r coordinates here
    out = []
    for i, f in enumerate(freqs):
        # MEEP 1.25 returns cylindrical DFT arrays as (z, r); store them as (r, z)
        e2 = sum(np.abs(np.atleast_2d(np.asarray(sim.get_dft_array(dft, comp, i)))) ** 2
                 for comp in (mp.Er, mp.Ep, mp.Ez))
        e2 = np.asarray(e2, dtype=float).T
        nr, nz = e2.shape
        r = np.linspace(0.0, size_r, nr)
        z_meta = np.asarray(z_meta, dtype=float)
        z = z_meta if len(z_meta) == nz else np.linspace(-0.5 * size_z, 0.5 * size_z, nz)
        out.append(ModeField(freq=float(f), r_um=r, z_um=z, e2=e2))
    return tuple(out)


# ---------------------------------------------------------------- full 3D spot-check


def _objects_3d(geometry: GeometryCyl, med) -> list:
    """Levels (shapes spanning the whole radius) as infinite slabs, then features as cylinders, largest first;
    an annulus is a cylinder of its medium with the level's medium under it inside r0."""
    span = geometry.size_r_um
    levels = [s for s in geometry.shapes if s.r0_um == 0 and s.r1_um >= span]
    feats = sorted((s for s in geometry.shapes if s not in levels), key=lambda s: -s.r1_um)
    objs = []
    for s in levels:
        zc, dz = _z(geometry, s)
        objs.append(mp.Block(center=mp.Vector3(0, 0, zc), size=mp.Vector3(mp.inf, mp.inf, dz), material=med(s.medium)))
    for s in feats:
        zc, dz = _z(geometry, s)
        objs.append(mp.Cylinder(radius=s.r1_um, height=dz, center=mp.Vector3(0, 0, zc), material=med(s.medium)))
        if s.r0_um > 0:
            under = next((lv for lv in reversed(levels) if lv.z0_um <= zc <= lv.z1_um), None)
            inner = med(under.medium) if under else med(geometry.background)
            objs.append(mp.Cylinder(radius=s.r0_um, height=dz, center=mp.Vector3(0, 0, zc), material=inner))
    return objs


def _m_sources_3d(src: mp.GaussianSource, *, source_xyz_um: tuple[float, float, float], m: int,
                  n_sources: int | None) -> list[mp.Source]:
    """``n_sources`` (default max(8, 4 m)) radial point sources on the source circle, weighted cos(m phi)."""
    if m < 0:
        raise ValueError(f"m must be >= 0, got {m}")
    n = int(n_sources or max(8, 4 * m))
    r_s, z_s = math.hypot(source_xyz_um[0], source_xyz_um[1]), source_xyz_um[2]
    sources = []
    for k in range(n):
        phi = 2 * math.pi * k / n
        w = math.cos(m * phi)
        for comp, a in ((mp.Ex, w * math.cos(phi)), (mp.Ey, w * math.sin(phi))):
            if abs(a) > 1e-12:
                sources.append(mp.Source(src, component=comp, amplitude=a,
                                         center=mp.Vector3(r_s * math.cos(phi), r_s * math.sin(phi), z_s)))
    return sources


def run_ringdown_3d(*, geometry: GeometryCyl, spec: RingdownSpec, source_xyz_um: tuple[float, float, float],
                    probe_xyz_um: tuple[float, float, float], component: str = "Ex", mirror_y_even: bool = True,
                    m: int | None = None, n_sources: int | None = None) -> CylRingdownResult:
    """The same body of revolution in a full 3D cell (spot-check): features become ``mp.Cylinder``s, levels
    ``mp.Block``s, PML on all sides; media frozen (``spec.dispersive`` must be False). mirror_y_even: use the
    y -> -y mirror (the field of an x-directed source on the x axis is even), halving the cell. ``m`` of the
    result is -1 (all orders at once) unless ``m`` is given.

    m: excite only azimuthal order +-m: ``n_sources`` (default max(8, 4 m)) radial (E_r) point sources on the
    circle of radius hypot(x, y) of ``source_xyz_um`` at height z, weighted cos(m phi) (aliases only at
    |m +- j n_sources|). The probe should sit on the +x axis (phi = 0, where cos(m phi) = 1) and component be "Ex"
    (= E_r there). The field is then even in y and has parity (-1)^m in x: both mirrors are used (cell / 4)."""
    if spec.dispersive:
        raise ValueError("the 3D spot-check runs with frozen media only (spec.dispersive=False)")
    c = COMPONENTS_3D[component]
    med = _media(spec, dispersive=False)
    symmetries = [mp.Mirror(mp.Y, phase=1)] if mirror_y_even else []
    if m is None:
        sources = [mp.Source(spec.source(), component=c, center=mp.Vector3(*source_xyz_um))]
    else:
        sources = _m_sources_3d(spec.source(), source_xyz_um=source_xyz_um, m=m, n_sources=n_sources)
        if mirror_y_even:
            symmetries.append(mp.Mirror(mp.X, phase=-1 if m % 2 else 1))
    side = 2 * geometry.size_r_um
    sim = mp.Simulation(
        cell_size=mp.Vector3(side, side, geometry.size_z_um), geometry=_objects_3d(geometry, med),
        default_material=med(geometry.background), boundary_layers=_pml(geometry, mp.X, mp.Y),
        resolution=spec.resolution_px_per_um, symmetries=symmetries, sources=sources,
    )
    harminv = spec.harminv(c, mp.Vector3(*probe_xyz_um))
    t0 = time.perf_counter()
    blew_up = run_ringdown(sim, harminv, ring_down_um=spec.ring_down_um)
    wall = time.perf_counter() - t0
    out = read_ringdown(sim, harminv, c, blew_up=blew_up)
    sim.reset_meep()
    return CylRingdownResult(status=out.status, m=-1 if m is None else int(m), resonances=out.resonances,
                             samples=out.samples, dt_um=out.dt_um,
                             resolution_px_per_um=float(spec.resolution_px_per_um), wall_time_s=wall)
