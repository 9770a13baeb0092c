"""Emission run of the finite-device FDTD (imports meep): a 2D ring-down of a device cross-section with frozen media
and the gain set near the lowest mode's threshold. After ``settle_um`` of ring-down the probe samples are fitted and
the slowest-decaying (or fastest-growing) pole's frequency f_m is taken; DFT monitors at f_m are then added and the run
goes on for ``dft_um``, so the DFTs see only the ring-down of that mode (the source is long off and the faster-decaying
modes have died down): E_z on lines in the cover and the substrate, Poynting fluxes out of a box around the device
(top, bottom, its two ends), E_z on the box (absorbed / generated power) and, optionally, MEEP's near-to-far transform
of the cover line. Lengths um, frequencies 1/um (MEEP units), time um / c.
"""

from __future__ import annotations

import time
import warnings
from dataclasses import dataclass, field

import meep as mp
import numpy as np

from perocav.fdtd.extract.resonance import PencilSettings, find_resonances
from perocav.fdtd.meep.geometry_2d import Geometry2D
from perocav.fdtd.meep.ringdown import RingdownSpec, run_ringdown
from perocav.fdtd.meep.runner_2d import Symmetry2D, _simulation


@dataclass(frozen=True)
class EmissionMonitors:
    """Where to record [um, cell coordinates]: the box x0..x1 (the device ends) by y0 (the substrate line) .. y1
    (the cover line); the lines span |x| <= line_half_um; far-field points (sin theta) for near2far (empty: none)
    at ``far_radius_um`` above the cover line."""

    x0_um: float
    x1_um: float
    y0_um: float
    y1_um: float
    line_half_um: float
    far_sin: tuple[float, ...] = ()
    far_radius_um: float = 1.0e6


@dataclass(frozen=True)
class LineField:
    """A DFT field on a line or region: coordinates [um], quadrature weights (um or um^2, MEEP's) and E_z."""

    x_um: np.ndarray = field(repr=False)
    y_um: np.ndarray = field(repr=False)
    weight: np.ndarray = field(repr=False)
    ez: np.ndarray = field(repr=False)


@dataclass(frozen=True)
class EmissionRun:
    """status ("ok", "unstable", "no_resonance"); the mode's frequency and Im f [1/um] (< 0 decaying); the DFT fields
    (cover line, substrate line, box); outward fluxes (top, bottom, left end, right end) [MEEP units]; near2far
    |E_z|^2 at ``far_sin`` (None when not asked); wall time [s]."""

    status: str
    frequency_per_um: float
    decay_per_um: float
    cover: LineField | None
    substrate: LineField | None
    box: LineField | None
    fluxes: tuple[float, float, float, float]
    far_abs2: np.ndarray | None
    wall_time_s: float


def _slowest_pole(samples: np.ndarray, dt: float, band: tuple[float, float]) -> tuple[float, float] | None:
    """(f, Im f) of the least-damped pole in ``band`` [1/um] among those whose amplitude at the end of the record is
    at least 1 % of the strongest one's there (the fit sees the record's second half, so a mode above threshold
    that grew from far below the others at the source is not dropped as noise)."""
    tail = samples[samples.size // 2:]
    found = find_resonances(samples=tail, dt=dt, freq_min=band[0], freq_max=band[1], q_min=5.0,
                            settings=PencilSettings(keep_growing=True))
    if not found:
        return None
    t_end = tail.size * dt
    end = [abs(r.amplitude) * np.exp(2.0 * np.pi * r.decay * t_end) for r in found]
    best = max((r for r, a in zip(found, end) if a >= 0.01 * max(end)), key=lambda r: r.decay)
    return best.freq, best.decay


def _read(sim: mp.Simulation, dft) -> LineField:
    x, y, _, w = sim.get_array_metadata(dft_cell=dft)
    ez = np.asarray(sim.get_dft_array(dft, mp.Ez, 0))
    return LineField(x_um=np.asarray(x, dtype=float), y_um=np.asarray(y, dtype=float), weight=np.asarray(w),
                     ez=ez)


def _monitors(sim: mp.Simulation, f: float, m: EmissionMonitors) -> dict:
    cx, cy = 0.5 * (m.x0_um + m.x1_um), 0.5 * (m.y0_um + m.y1_um)
    w, h = m.x1_um - m.x0_um, m.y1_um - m.y0_um
    line = mp.Vector3(2 * m.line_half_um, 0)
    out = dict(
        cover=sim.add_dft_fields([mp.Ez], f, 0, 1, center=mp.Vector3(0, m.y1_um), size=line),
        substrate=sim.add_dft_fields([mp.Ez], f, 0, 1, center=mp.Vector3(0, m.y0_um), size=line),
        box=sim.add_dft_fields([mp.Ez], f, 0, 1, center=mp.Vector3(cx, cy), size=mp.Vector3(w, h)),
        fluxes=[sim.add_flux(f, 0, 1, mp.FluxRegion(center=c, size=s, weight=wt)) for c, s, wt in (
            (mp.Vector3(cx, m.y1_um), mp.Vector3(w, 0), 1.0), (mp.Vector3(cx, m.y0_um), mp.Vector3(w, 0), -1.0),
            (mp.Vector3(m.x0_um, cy), mp.Vector3(0, h), -1.0), (mp.Vector3(m.x1_um, cy), mp.Vector3(0, h), 1.0))])
    if m.far_sin:
        out["n2f"] = sim.add_near2far(f, 0, 1, mp.Near2FarRegion(center=mp.Vector3(0, m.y1_um), size=line))
    return out


def device_emission_run(*, geometry: Geometry2D, band_nm: tuple[float, float], window_per_um: tuple[float, float],
                        freeze_nm: float, resolution_px_per_um: float, settle_um: float, dft_um: float,
                        source_xy_um: tuple[float, float], probe_xy_um: tuple[float, float],
                        monitors: EmissionMonitors, odd: bool | None = None,
                        gain_width_fraction: float | None = None) -> EmissionRun:
    """Gaussian point source over ``band_nm``, ``settle_um`` of ring-down sampled at ``probe_xy_um``, the lowest
    mode picked in ``window_per_um`` (f_min, f_max), then ``dft_um`` with the DFT monitors at its frequency; ``odd``:
    x parity about the device centre (None: the whole cell); ``gain_width_fraction``: the gain as a Lorentzian line
    of that gamma / f0 centred at ``freeze_nm`` (None: a D conductivity; ``RingdownSpec``). See the module
    docstring."""
    spec = RingdownSpec(wavelength_min_nm=band_nm[0], wavelength_max_nm=band_nm[1],
                        resolution_px_per_um=resolution_px_per_um, ring_down_um=settle_um,
                        freeze_wavelength_nm=freeze_nm, gain_width_fraction=gain_width_fraction)
    sim = _simulation(geometry=geometry, spec=spec, component=mp.Ez, source_xy_um=source_xy_um,
                      symmetry=Symmetry2D(mirror_x_odd=odd))
    t0 = time.perf_counter()
    harminv = spec.harminv(mp.Ez, mp.Vector3(*probe_xy_um))
    blew_up = run_ringdown(sim, harminv, ring_down_um=settle_um)
    samples = np.asarray(harminv.data, dtype=complex)
    pole = None if blew_up or not np.all(np.isfinite(samples)) else _slowest_pole(
        samples, float(harminv.data_dt or sim.fields.dt), window_per_um)
    if pole is None:
        sim.reset_meep()
        return EmissionRun(status="unstable" if blew_up else "no_resonance", frequency_per_um=float("nan"),
                           decay_per_um=float("nan"), cover=None, substrate=None, box=None, fluxes=(0.0,) * 4,
                           far_abs2=None, wall_time_s=time.perf_counter() - t0)
    mon = _monitors(sim, pole[0], monitors)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        sim.run(until=dft_um)
    fluxes = tuple(float(mp.get_fluxes(fl)[0]) for fl in mon["fluxes"])
    far = None
    if monitors.far_sin:
        r, y1 = monitors.far_radius_um, monitors.y1_um
        far = np.array([abs(sim.get_farfield(mon["n2f"], mp.Vector3(r * s, y1 + r * np.sqrt(1 - s * s)))[2]) ** 2
                        for s in monitors.far_sin])
    run = EmissionRun(status="ok", frequency_per_um=float(pole[0]), decay_per_um=float(pole[1]),
                      cover=_read(sim, mon["cover"]), substrate=_read(sim, mon["substrate"]), box=_read(sim, mon["box"]),
                      fluxes=fluxes, far_abs2=far, wall_time_s=time.perf_counter() - t0)
    sim.reset_meep()
    return run
