"""Run a 2D MEEP ring-down (Gaussian point source + Harminv) on a ``Geometry2D``. Imports meep.

The one place where nm become MEEP units: lengths um, frequency f = 1000 / wavelength_nm (1/um), time
in um / c. Results are plain records; a run whose fields go NaN/inf is reported as ``status="unstable"``
and one where Harminv finds nothing as ``"no_resonance"``, never as a number.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import meep as mp
import numpy as np

from perocav.fdtd.meep.geometry_2d import Disk, Geometry2D, Medium2D, Rect
from perocav.fdtd.meep.quiet import silence_meep
from perocav.fdtd.meep.media import medium_from_fit
from perocav.fdtd.extract.resonance import Resonance, resonances_from_harminv
from perocav.pdk.materials import resolve_material
from perocav.pdk.materials.meep_fit import fit_meep_material

silence_meep()  # no Jupyter widget text, no log, no exit-time line (set_meep_verbosity(1): log back)

NM_PER_UM = 1000.0
COMPONENTS = {"Ez": mp.Ez, "Hz": mp.Hz}  # 2D: Ez = TE slab mode (E along the layers), Hz = TM


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


def meep_medium(*, medium: Medium2D, wavelength_min_nm: float, wavelength_max_nm: float,
                dispersive: bool = False, freeze_wavelength_nm: float | None = None) -> mp.Medium:
    """``mp.Medium`` of ``medium``: a Lorentz fit over the band when ``dispersive`` (PDK materials that are
    not lossless), otherwise the constant index at ``freeze_wavelength_nm`` (default: the band-centre frequency),
    with Im(n) as a D conductivity."""
    f_c_per_um = 0.5 * (NM_PER_UM / wavelength_min_nm + NM_PER_UM / wavelength_max_nm)
    if freeze_wavelength_nm is not None:
        f_c_per_um = NM_PER_UM / freeze_wavelength_nm
    if medium.index is not None:
        n = complex(medium.index)
    elif medium.blend_fraction:
        if dispersive:
            raise ValueError("a blended (duty-averaged) medium is non-dispersive only")
        lam = NM_PER_UM / f_c_per_um
        e1 = complex(resolve_material(medium.material).nk(wavelength_nm=lam)) ** 2
        e2 = complex(resolve_material(medium.blend_material).nk(wavelength_nm=lam)) ** 2
        n = complex(np.sqrt((1 - medium.blend_fraction) * e1 + medium.blend_fraction * e2))
    else:
        material = resolve_material(medium.material)
        if dispersive and not medium.lossless:
            fit = fit_meep_material(material=material, wavelength_min_nm=wavelength_min_nm,
                                    wavelength_max_nm=wavelength_max_nm)
            return medium_from_fit(fit)
        n = complex(material.nk(wavelength_nm=NM_PER_UM / f_c_per_um))
    if medium.lossless:
        n = complex(n.real, 0.0)
    eps = n * n
    if eps.imag == 0:
        return mp.Medium(epsilon=eps.real)
    return mp.Medium(epsilon=eps.real, D_conductivity=2 * np.pi * f_c_per_um * eps.imag / eps.real)


def meep_geometry(*, geometry: Geometry2D, wavelength_min_nm: float, wavelength_max_nm: float,
                  dispersive: bool = False, freeze_wavelength_nm: float | None = None) -> tuple[list, mp.Medium]:
    """(``mp.Block`` / ``mp.Cylinder`` objects of the shapes, background medium); media cached per spec."""
    cache: dict[Medium2D, mp.Medium] = {}

    def med(m: Medium2D) -> mp.Medium:
        if m not in cache:
            cache[m] = meep_medium(medium=m, wavelength_min_nm=wavelength_min_nm,
                                   wavelength_max_nm=wavelength_max_nm, dispersive=dispersive,
                                   freeze_wavelength_nm=freeze_wavelength_nm)
        return cache[m]

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


def run_ringdown_2d(
    *,
    geometry: Geometry2D,
    wavelength_min_nm: float,
    wavelength_max_nm: float,
    source_xy_um: tuple[float, float],
    probe_xy_um: tuple[float, float],
    resolution_px_per_um: float,
    ring_down_um: float,
    component: str = "Ez",
    k_x_per_um: float | None = None,
    dispersive: bool = False,
    symmetry_y_odd: bool | None = None,
    snapshot: bool = False,
    freeze_wavelength_nm: float | None = None,
) -> RingdownResult:
    """Gaussian point source covering [wavelength_min_nm, wavelength_max_nm], then ``ring_down_um``
    (um / c) of ring-down recorded by Harminv at ``probe_xy_um``.

    k_x_per_um: Bloch wave number along x in MEEP units (cycles per um, n_eff / wavelength_um); the x
    boundary is periodic and the geometry must have no x PML. component: "Ez" (TE) or "Hz" (TM).
    symmetry_y_odd: mirror symmetry about y = 0 (True: odd, False: even), only for symmetric cells.
    snapshot: also return |field|^2 over the cell at the end (``field_abs2``, ``x_um``, ``y_um``).
    freeze_wavelength_nm: non-dispersive media take their n,k here (default: the source band's centre frequency).
    """
    if not 0 < wavelength_min_nm < wavelength_max_nm:
        raise ValueError(f"need 0 < wavelength_min_nm < wavelength_max_nm, got {wavelength_min_nm}, "
                         f"{wavelength_max_nm}")
    if component not in COMPONENTS:
        raise ValueError(f"component={component!r} not in {sorted(COMPONENTS)}")
    if k_x_per_um is not None and geometry.pml_x_um > 0:
        raise ValueError("a Bloch k_x needs a cell without x PML")
    px = geometry.size_x_um * resolution_px_per_um
    if k_x_per_um is not None and abs(px - round(px)) > 1e-6:
        raise ValueError(f"Bloch cell {geometry.size_x_um:g} um is {px:g} px at {resolution_px_per_um:g} px/um: MEEP "
                         f"would snap it to {round(px)} px and change the period; use a resolution that makes it whole")
    f_max, f_min = NM_PER_UM / wavelength_min_nm, NM_PER_UM / wavelength_max_nm
    fcen, df = 0.5 * (f_min + f_max), f_max - f_min
    c = COMPONENTS[component]

    objs, background = meep_geometry(geometry=geometry, wavelength_min_nm=wavelength_min_nm,
                                     wavelength_max_nm=wavelength_max_nm, dispersive=dispersive,
                                     freeze_wavelength_nm=freeze_wavelength_nm)
    pml = []
    if geometry.pml_x_um > 0:
        pml.append(mp.PML(geometry.pml_x_um, direction=mp.X))
    if geometry.pml_y_um > 0:
        pml.append(mp.PML(geometry.pml_y_um, direction=mp.Y))
    symmetries = [] if symmetry_y_odd is None else [mp.Mirror(mp.Y, phase=-1 if symmetry_y_odd else 1)]
    sim = mp.Simulation(
        cell_size=mp.Vector3(geometry.size_x_um, geometry.size_y_um, 0),
        geometry=objs,
        default_material=background,
        boundary_layers=pml,
        sources=[mp.Source(mp.GaussianSource(fcen, fwidth=df), component=c, center=mp.Vector3(*source_xy_um))],
        resolution=resolution_px_per_um,
        k_point=mp.Vector3(k_x_per_um, 0, 0) if k_x_per_um is not None else False,
        symmetries=symmetries,
    )
    harminv = mp.Harminv(c, mp.Vector3(*probe_xy_um), fcen, df)
    t0 = time.perf_counter()
    try:
        sim.run(mp.after_sources(harminv), until_after_sources=ring_down_um)
        blew_up = False
    except RuntimeError as err:  # MEEP stops itself with "simulation fields are NaN or Inf"
        if "NaN" not in str(err) and "Inf" not in str(err):
            raise
        blew_up = True
    wall = time.perf_counter() - t0

    samples = np.asarray(harminv.data, dtype=complex)
    finite = not blew_up and bool(np.all(np.isfinite(samples)))
    snap = {}
    if finite:
        field_end = sim.get_array(component=c, center=mp.Vector3(), size=sim.cell_size)
        finite = bool(np.all(np.isfinite(field_end)))
        if finite and snapshot:
            xs, ys, _, _ = sim.get_array_metadata(center=mp.Vector3(), size=sim.cell_size)
            snap = {"field_abs2": np.abs(np.asarray(field_end)) ** 2, "x_um": np.asarray(xs, dtype=float),
                    "y_um": np.asarray(ys, dtype=float)}
    if finite:
        resonances = tuple(resonances_from_harminv(harminv.modes))
        status = "ok" if resonances else "no_resonance"
    else:
        resonances, status = (), "unstable"
    dt = float(harminv.data_dt) if harminv.data_dt else float(sim.fields.dt)
    sim.reset_meep()
    return RingdownResult(status=status, resonances=resonances, samples=samples, dt_um=dt,
                          resolution_px_per_um=float(resolution_px_per_um), wall_time_s=wall, **snap)
