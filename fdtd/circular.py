"""Rings, disks and circular DFB gratings in cylindrical coordinates: resonances, Q (radiation / absorption),
confinement in the gain layer, convergence. Reads as build (``circular_setup.CircularSetup``: cell, lossless twin,
source and probe) -> run (one cylindrical MEEP ring-down per azimuthal order m, ``meep.runner_cyl``) -> extract
(``extract.circular_modes``).

Q comes from the matrix pencil on the probe ring-down (converged Q from a short ring-down), cross-matched to MEEP's
Harminv frequencies. The Q split re-runs with lossless contacts (ITO): Q_radiation is that run's Q and
1/Q_absorption = 1/Q - 1/Q_radiation. Convergence (``FdtdSettings.converge``): the shared loop
(``extract.convergence.converge``) over two rungs, the resolution and ``CircularSettings.convergence_factor`` x it;
a mode is converged when its wavelength moves less than ``wavelength_tol_nm`` and its Q less than
``q_relative_tol`` x Q.

Dispersion: MEEP media are frozen at one wavelength (``dispersive=False``), so a mode is right only where it lies
at the freezing wavelength. Per m, the tracked mode (circular DFB: the highest-Q band edge; ring/disk: the strongest
mode) is re-run with the media frozen where it is predicted, a secant on g(freeze) = lambda_mode - freeze
(``extract.freeze``, shared with the linear DFB) until |g| < ``freeze_tol_nm``; the Q split and the convergence run use
the final freezing wavelength. Every mode reports its freezing wavelength, lambda - freeze and the number of runs;
the tracked one also Q with dispersion (Q_frozen n_g / n_g,frozen). Stacks whose media do not change between the
two wavelengths are not re-run.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import gdsfactory as gf

from perocav.fdtd.circular_fields import gain_confinement
from perocav.fdtd.circular_freeze import Frozen, freeze_to_mode, group_indices
from perocav.fdtd.circular_settings import CIRCULAR_FDTD, CircularSettings
from perocav.fdtd.circular_setup import FAMILIES, CircularSetup, build_circular_setup, default_source_rz_um
from perocav.fdtd.extract.circular_modes import band_edge_modes, match_nearest, nearest_gain_peak, split_q
from perocav.fdtd.extract.convergence import ConvergenceStep, converge, mode_converged
from perocav.fdtd.extract.resonance import Resonance
from perocav.fdtd.models.circular.circular_mode import CircularMode
from perocav.fdtd.settings import FdtdSettings
from perocav.pdk.stack import Stack
from perocav.pdk.units import NM_PER_UM

__all__ = ["FAMILIES", "CircularSimulation", "default_source_rz_um", "simulate_circular"]


@dataclass(frozen=True)
class CircularSimulation:
    """All modes found (sorted by m, then wavelength) and the selections the pipeline needs."""

    family: str
    modes: tuple[CircularMode, ...]
    gain_peak_nm: float | None
    nearest_gain_peak: tuple[CircularMode, ...]
    band_edge: tuple[CircularMode, ...]
    converged: bool | None
    resolution_px_per_um: float
    wall_time_s: float
    status: dict[int, str]
    freeze_tol_nm: float = math.nan
    #: per m: (freezing wavelength, tracked mode's wavelength) of every run of the main geometry, in order
    freeze_history: dict[int, tuple[tuple[float, float], ...]] = field(default_factory=dict)


GroupIndex = Callable[[float], float]


# ---------------------------------------------------------------- run: one azimuthal order


class _Order:
    """The runs of one azimuthal order m as convergence rungs: the first is the main run with the media made
    self-consistent at its tracked mode (``circular_freeze``); a later one re-runs at the final freezing wavelength
    and reports the mode nearest each of the first rung's modes (NaN where none)."""

    def __init__(self, setup: CircularSetup, m: int, freeze_nm: float) -> None:
        self.setup, self.m, self.freeze_nm = setup, m, freeze_nm
        self.status = "no_resonance"
        self.frozen: Frozen | None = None

    def step(self, resolution: float, ring_down_um: float) -> ConvergenceStep:
        if self.frozen is None:
            return self._main(resolution, ring_down_um)
        run = self.setup.run(self.setup.geometry, self.m, resolution=resolution, window_um=0.0,
                             freeze_nm=self.frozen.freeze_nm)
        fine = self.setup.modes(run)
        twins = [match_nearest(r.freq, fine) for r in self.frozen.found]
        return ConvergenceStep(
            resolution_px_per_um=resolution, ring_down_um=ring_down_um, status=run.status,
            wavelengths_nm=tuple(NM_PER_UM / t.freq if t else math.nan for t in twins),
            qs=tuple(t.q if t else math.nan for t in twins), q_resolved=tuple(True for _ in twins))

    def _main(self, resolution: float, ring_down_um: float) -> ConvergenceStep:
        s = self.setup
        main = s.run(s.geometry, self.m, resolution=resolution, window_um=s.circular.mode_window_um,
                     freeze_nm=self.freeze_nm)
        found = s.modes(main)
        if not found:
            self.status = "no_resonance" if main.status == "ok" else main.status
            return ConvergenceStep(resolution_px_per_um=resolution, ring_down_um=ring_down_um, status=self.status)
        self.frozen = freeze_to_mode(setup=s, m=self.m, main=main, found=found, freeze_nm=self.freeze_nm)
        self.status = self.frozen.status
        return ConvergenceStep(resolution_px_per_um=resolution, ring_down_um=ring_down_um, status="ok",
                               wavelengths_nm=tuple(NM_PER_UM / r.freq for r in self.frozen.found),
                               qs=tuple(r.q for r in self.frozen.found),
                               q_resolved=tuple(True for _ in self.frozen.found))


def _simulate_order(setup: CircularSetup, m: int, freeze_nm: float,
                    group_index: GroupIndex) -> tuple[_Order, list[CircularMode]]:
    """Main run, self-consistent media, convergence rung(s) through the shared loop, Q split; the modes of m."""
    s, c = setup.settings, setup.circular
    order = _Order(setup, m, freeze_nm)
    ladder = [setup.resolution_px_per_um]
    if s.converge:
        ladder.append(setup.resolution_px_per_um * c.convergence_factor)
    report = converge(run_step=order.step, resolutions_px_per_um=ladder, ring_down_um=setup.ring_down_um,
                      ring_down_factor=1.0, wavelength_tol_nm=s.wavelength_tol_nm, q_relative_tol=s.q_relative_tol)
    if order.frozen is None:
        return order, []
    lossless = []
    if c.split_q:
        lossless = setup.modes(setup.run(setup.lossless, m, resolution=setup.resolution_px_per_um, window_um=0.0,
                                         freeze_nm=order.frozen.freeze_nm))
    fine = report.steps[1] if len(report.steps) > 1 else None
    return order, [_mode(setup, order.frozen, i, lossless=lossless, fine=fine, coarse=report.steps[0],
                         group_index=group_index)
                   for i in range(len(order.frozen.found))]


# ---------------------------------------------------------------- extract


def _mode(setup: CircularSetup, frozen: Frozen, i: int, *, lossless: list[Resonance], fine: ConvergenceStep | None,
          coarse: ConvergenceStep, group_index: GroupIndex) -> CircularMode:
    """Record of the i-th mode of the self-consistent main run (``group_index``: waveguide n_g of the frozen media
    at a wavelength, for the power-weighted confinement)."""
    r, s = frozen.found[i], setup.settings
    q_rad, q_abs = split_q(resonance=r, lossless=lossless) if setup.circular.split_q else (math.nan, math.nan)
    conv, shift, q_fine = None, math.nan, math.nan
    if fine is not None:
        shift, q_fine = fine.wavelengths_nm[i] - coarse.wavelengths_nm[i], fine.qs[i]
        conv = mode_converged(coarse_wavelength_nm=coarse.wavelengths_nm[i], coarse_q=coarse.qs[i],
                              fine_wavelength_nm=fine.wavelengths_nm[i], fine_q=fine.qs[i],
                              wavelength_tol_nm=s.wavelength_tol_nm, q_relative_tol=s.q_relative_tol)
    lam = NM_PER_UM / r.freq
    tracked = r is frozen.track
    return CircularMode(
        m=frozen.m, wavelength_nm=lam, q=r.q, q_radiation=q_rad, q_absorption=q_abs,
        confinement=gain_confinement(resonance=r, mode_fields=frozen.run.mode_fields, geometry=setup.geometry,
                                     group_index=group_index(lam)),
        amplitude=float(abs(r.amplitude)), converged=conv, wavelength_shift_nm=shift, q_fine=q_fine,
        freeze_wavelength_nm=frozen.freeze_nm, freeze_residual_nm=lam - frozen.freeze_nm,
        freeze_passes=frozen.passes, tracked=tracked,
        q_dispersive=frozen.fix.q if (frozen.fix is not None and tracked) else math.nan)


def _result(setup: CircularSetup, orders: list[_Order], modes: list[CircularMode], t0: float) -> CircularSimulation:
    modes = sorted(modes, key=lambda x: (x.m, x.wavelength_nm))
    peak = setup.stack.emission_wavelength_nm
    flags = [x.converged for x in modes]
    return CircularSimulation(
        family=setup.family, modes=tuple(modes), gain_peak_nm=peak,
        nearest_gain_peak=nearest_gain_peak(modes=tuple(modes), gain_peak_nm=peak) if peak else (),
        band_edge=band_edge_modes(modes=tuple(modes)) if setup.family == "circular-dfb" else (),
        converged=None if not modes or any(f is None for f in flags) else all(flags),
        resolution_px_per_um=setup.resolution_px_per_um, wall_time_s=time.perf_counter() - t0,
        status={o.m: o.status for o in orders}, freeze_tol_nm=float(setup.settings.freeze_tol_nm),
        freeze_history={o.m: o.frozen.history for o in orders if o.frozen is not None})


def simulate_circular(*, component: gf.Component, stack: Stack, family: str, wavelength_min_nm: float,
                      wavelength_max_nm: float, circular: CircularSettings,
                      settings: FdtdSettings = CIRCULAR_FDTD) -> CircularSimulation:
    """Simulate ``component`` (ring_resonator, disk_resonator or circular_grating cell) under ``stack`` for each
    azimuthal order in ``circular.m_values`` over [wavelength_min_nm, wavelength_max_nm]. ``settings``: resolution
    (None: the pixel rule), ring-down, convergence tolerances, cell padding and the freezing of the media (start from
    ``CIRCULAR_FDTD``: the DFB's defaults differ); ``circular``: the cylindrical-only settings (module docstring)."""
    setup = build_circular_setup(component=component, stack=stack, family=family,
                                 band_nm=(wavelength_min_nm, wavelength_max_nm), settings=settings, circular=circular)
    t0 = time.perf_counter()
    f_min, f_max = setup.freq_band
    freeze0 = circular.freeze_wavelength_nm or NM_PER_UM / (0.5 * (f_min + f_max))
    orders, modes = [], []
    ng_frozen = group_indices(component=component, stack=stack, wavelength_min_nm=wavelength_min_nm,
                              wavelength_max_nm=wavelength_max_nm)[0]
    group_index = (lambda lam: ng if (ng := ng_frozen(lam)) > 1.0 else math.nan)  # 1.0: no n_eff table (no guide)
    for m in circular.m_values:
        order, found = _simulate_order(setup, m, freeze0, group_index)
        orders.append(order)
        modes.extend(found)
    return _result(setup, orders, modes, t0)
