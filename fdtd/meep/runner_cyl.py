"""MEEP ring-downs of a ``GeometryCyl``: cylindrical (r, z, azimuthal order m) and, for spot-checks, full 3D.
Imports meep.

Media come from ``meep.runner_2d.meep_medium`` (same rules as the 2D runner). A run whose fields go NaN/inf is
``status="unstable"``; one where Harminv finds nothing is ``"no_resonance"``. With ``mode_window_um`` > 0 the
cylindrical run continues after the ring-down with DFT monitors at the Harminv frequencies over the cell
(outside the PML): each resonance's own field, for confinement factors.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import meep as mp
import numpy as np

from perocav.fdtd.meep.geometry_2d import Medium2D
from perocav.fdtd.meep.geometry_cyl import GeometryCyl
from perocav.fdtd.meep.runner_2d import meep_medium
from perocav.fdtd.extract.resonance import Resonance, resonances_from_harminv

NM_PER_UM = 1000.0
CYL_COMPONENTS = {"Er": mp.Er, "Ep": mp.Ep, "Ez": mp.Ez, "Hr": mp.Hr, "Hp": mp.Hp, "Hz": mp.Hz}
COMPONENTS_3D = {"Ex": mp.Ex, "Ey": mp.Ey, "Ez": mp.Ez, "Hz": mp.Hz}


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


def _media(geometry: GeometryCyl, wl_min: float, wl_max: float, dispersive: bool, freeze_nm: float | None = None):
    cache: dict[Medium2D, mp.Medium] = {}

    def med(m: Medium2D) -> mp.Medium:
        if m not in cache:
            cache[m] = meep_medium(medium=m, wavelength_min_nm=wl_min, wavelength_max_nm=wl_max, dispersive=dispersive,
                                   freeze_wavelength_nm=freeze_nm)
        return cache[m]

    return med


def _z_span(geometry: GeometryCyl, z0: float, z1: float) -> tuple[float, float]:
    """(centre, size) along z; infinite bounds are clipped past the cell (or to mp.inf for a z-invariant cell)."""
    if geometry.size_z_um == 0:
        return 0.0, mp.inf
    lim = geometry.size_z_um
    a, b = max(z0, -lim), min(z1, lim)
    return 0.5 * (a + b), b - a


def _band(wl_min: float, wl_max: float) -> tuple[float, float]:
    if not 0 < wl_min < wl_max:
        raise ValueError(f"need 0 < wavelength_min_nm < wavelength_max_nm, got {wl_min}, {wl_max}")
    f_max, f_min = NM_PER_UM / wl_min, NM_PER_UM / wl_max
    return 0.5 * (f_min + f_max), f_max - f_min


def _finish(sim, harminv, c, blew_up: bool):
    samples = np.asarray(harminv.data, dtype=complex)
    finite = not blew_up and bool(np.all(np.isfinite(samples)))
    if finite:
        finite = bool(np.all(np.isfinite(sim.get_array(component=c, center=sim.geometry_center, size=sim.cell_size))))
    if finite:
        res = tuple(resonances_from_harminv(harminv.modes))
        status = "ok" if res else "no_resonance"
    else:
        res, status = (), "unstable"
    dt = float(harminv.data_dt) if harminv.data_dt else float(sim.fields.dt)
    return status, res, samples, dt


def _run(sim, step, until_after_sources: float) -> bool:
    try:
        sim.run(step, until_after_sources=until_after_sources)
        return False
    except RuntimeError as err:  # MEEP stops itself with "simulation fields are NaN or Inf"
        if "NaN" not in str(err) and "Inf" not in str(err):
            raise
        return True


def run_ringdown_cyl(
    *,
    geometry: GeometryCyl,
    m: int,
    wavelength_min_nm: float,
    wavelength_max_nm: float,
    source_rz_um: tuple[float, float],
    probe_rz_um: tuple[float, float],
    resolution_px_per_um: float,
    ring_down_um: float,
    component: str = "Er",
    dispersive: bool = False,
    mode_window_um: float = 0.0,
    mode_freqs=None,
    freeze_wavelength_nm: float | None = None,
) -> CylRingdownResult:
    """Gaussian point (ring) source of azimuthal order ``m`` covering the band, then ``ring_down_um`` (um / c)
    recorded by Harminv at ``probe_rz_um``. component: "Er", "Ep", "Ez" (or H). mode_window_um: extra time with
    DFT monitors at the resonances found (0: none); mode_freqs: optional
    ``(samples, dt_um) -> frequencies`` choosing them instead of Harminv (e.g. the matrix pencil).
    freeze_wavelength_nm: non-dispersive media take their n,k there (default: the band-centre frequency)."""
    fcen, df = _band(wavelength_min_nm, wavelength_max_nm)
    if component not in CYL_COMPONENTS:
        raise ValueError(f"component={component!r} not in {sorted(CYL_COMPONENTS)}")
    c = CYL_COMPONENTS[component]
    med = _media(geometry, wavelength_min_nm, wavelength_max_nm, dispersive, freeze_wavelength_nm)
    objs = []
    for s in geometry.shapes:
        zc, dz = _z_span(geometry, s.z0_um, s.z1_um)
        objs.append(mp.Block(center=mp.Vector3(0.5 * (s.r0_um + s.r1_um), 0, zc),
                             size=mp.Vector3(s.r1_um - s.r0_um, mp.inf, dz), material=med(s.medium)))
    pml = [mp.PML(geometry.pml_r_um, direction=mp.R)]
    if geometry.pml_z_um > 0:
        pml.append(mp.PML(geometry.pml_z_um, direction=mp.Z))
    sim = mp.Simulation(
        cell_size=mp.Vector3(geometry.size_r_um, 0, geometry.size_z_um),
        dimensions=mp.CYLINDRICAL, m=m, geometry=objs, default_material=med(geometry.background),
        boundary_layers=pml, resolution=resolution_px_per_um, force_complex_fields=True,
        sources=[mp.Source(mp.GaussianSource(fcen, fwidth=df), component=c,
                           center=mp.Vector3(source_rz_um[0], 0, source_rz_um[1]))],
    )
    harminv = mp.Harminv(c, mp.Vector3(probe_rz_um[0], 0, probe_rz_um[1]), fcen, df)
    t0 = time.perf_counter()
    blew_up = _run(sim, mp.after_sources(harminv), ring_down_um)
    status, res, samples, dt = _finish(sim, harminv, c, blew_up)
    fields: tuple[ModeField, ...] = ()
    if status == "ok" and mode_window_um > 0:
        freqs = list(mode_freqs(samples, dt)) if mode_freqs is not None else [r.freq for r in res]
        if freqs:
            fields = _mode_fields(sim, geometry, freqs, mode_window_um)
    wall = time.perf_counter() - t0
    sim.reset_meep()
    return CylRingdownResult(status=status, m=m, resonances=res, samples=samples, dt_um=dt,
                             resolution_px_per_um=float(resolution_px_per_um), wall_time_s=wall, mode_fields=fields)


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


def run_ringdown_3d(
    *,
    geometry: GeometryCyl,
    wavelength_min_nm: float,
    wavelength_max_nm: float,
    source_xyz_um: tuple[float, float, float],
    probe_xyz_um: tuple[float, float, float],
    resolution_px_per_um: float,
    ring_down_um: float,
    component: str = "Ex",
    mirror_y_even: bool = True,
    m: int | None = None,
    n_sources: int | None = None,
) -> CylRingdownResult:
    """The same body of revolution in a full 3D cell (spot-check): features become ``mp.Cylinder``s, levels
    ``mp.Block``s, PML on all sides. mirror_y_even: use the y -> -y mirror (the field of an x-directed source on the
    x axis is even), halving the cell. ``m`` of the result is -1 (all orders at once) unless ``m`` is given.

    m: excite only azimuthal order +-m: ``n_sources`` (default max(8, 4 m)) radial (E_r) point sources on the
    circle of radius hypot(x, y) of ``source_xyz_um`` at height z, weighted cos(m phi) (aliases only at
    |m +- j n_sources|). The probe should sit on the +x axis (phi = 0, where cos(m phi) = 1) and component be "Ex"
    (= E_r there). The field is then even in y and has parity (-1)^m in x: both mirrors are used (cell / 4)."""
    fcen, df = _band(wavelength_min_nm, wavelength_max_nm)
    c = COMPONENTS_3D[component]
    med = _media(geometry, wavelength_min_nm, wavelength_max_nm, False)
    span = geometry.size_r_um
    levels = [s for s in geometry.shapes if s.r0_um == 0 and s.r1_um >= span]
    feats = sorted((s for s in geometry.shapes if s not in levels), key=lambda s: -s.r1_um)
    objs = []
    for s in levels:
        zc, dz = _z_span(geometry, s.z0_um, s.z1_um)
        objs.append(mp.Block(center=mp.Vector3(0, 0, zc), size=mp.Vector3(mp.inf, mp.inf, dz), material=med(s.medium)))
    for s in feats:
        zc, dz = _z_span(geometry, s.z0_um, s.z1_um)
        objs.append(mp.Cylinder(radius=s.r1_um, height=dz, center=mp.Vector3(0, 0, zc), material=med(s.medium)))
        if s.r0_um > 0:
            under = next((l for l in reversed(levels) if l.z0_um <= zc <= l.z1_um), None)
            inner = med(under.medium) if under else med(geometry.background)
            objs.append(mp.Cylinder(radius=s.r0_um, height=dz, center=mp.Vector3(0, 0, zc), material=inner))
    side = 2 * geometry.size_r_um
    pml = [mp.PML(geometry.pml_r_um, direction=mp.X), mp.PML(geometry.pml_r_um, direction=mp.Y)]
    if geometry.pml_z_um > 0:
        pml.append(mp.PML(geometry.pml_z_um, direction=mp.Z))
    symmetries = [mp.Mirror(mp.Y, phase=1)] if mirror_y_even else []
    src = mp.GaussianSource(fcen, fwidth=df)
    if m is None:
        sources = [mp.Source(src, component=c, center=mp.Vector3(*source_xyz_um))]
    else:
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
        if mirror_y_even:
            symmetries.append(mp.Mirror(mp.X, phase=-1 if m % 2 else 1))
    sim = mp.Simulation(
        cell_size=mp.Vector3(side, side, geometry.size_z_um), geometry=objs,
        default_material=med(geometry.background), boundary_layers=pml, resolution=resolution_px_per_um,
        symmetries=symmetries, sources=sources,
    )
    harminv = mp.Harminv(c, mp.Vector3(*probe_xyz_um), fcen, df)
    t0 = time.perf_counter()
    blew_up = _run(sim, mp.after_sources(harminv), ring_down_um)
    wall = time.perf_counter() - t0
    status, res, samples, dt = _finish(sim, harminv, c, blew_up)
    sim.reset_meep()
    return CylRingdownResult(status=status, m=-1 if m is None else int(m), resonances=res, samples=samples, dt_um=dt,
                             resolution_px_per_um=float(resolution_px_per_um), wall_time_s=wall)
