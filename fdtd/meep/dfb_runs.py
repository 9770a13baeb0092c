"""Run step of a DFB FDTD: ring-downs of a ``DfbCell`` and the modes each one tracks (the two band edges of a unit
cell, the lasing mode of a finite grating). Wavelengths nm, resolution px/um, ring-down um / c."""

from __future__ import annotations

from perocav.fdtd.extract import band_edges as E
from perocav.fdtd.extract.convergence import ConvergenceStep
from perocav.fdtd.extract.resonance import Resonance, find_resonances
from perocav.fdtd.meep.dfb_cell import DfbCell
from perocav.fdtd.meep.ringdown import RingdownSpec
from perocav.fdtd.meep.runner_2d import RingdownResult, run_ringdown_2d

#: the averaged (uniform) cell has one guided pole in the window: a short ring-down pins it (um / c)
AVERAGED_RING_DOWN_UM = 40.0


def ring_down(cell: DfbCell, *, resolution_px_per_um: float, ring_down_um: float, freeze_nm: float | None = None,
              averaged: bool = False, snapshot: bool = False) -> RingdownResult:
    """One ring-down of the grating cell (or its duty-averaged twin) with media frozen at ``freeze_nm`` (default:
    the Bragg point)."""
    spec = RingdownSpec(wavelength_min_nm=cell.band_nm[0], wavelength_max_nm=cell.band_nm[1],
                        resolution_px_per_um=resolution_px_per_um, ring_down_um=ring_down_um,
                        freeze_wavelength_nm=cell.bragg_nm if freeze_nm is None else freeze_nm)
    geometry = cell.averaged if averaged else cell.geometry
    return run_ringdown_2d(geometry=geometry, spec=spec, source_xy_um=cell.source_xy_um,
                           probe_xy_um=cell.source_xy_um, k_x_per_um=cell.k_x_per_um, snapshot=snapshot)


def window_poles(cell: DfbCell, run: RingdownResult) -> list[Resonance]:
    """Poles by the matrix pencil on the search window only: Harminv over the whole source band returned a dark
    edge with Q -9000 (2nd order, duty 0.25, 100 px/um) where the pencil gives 2552, and a finite 2nd-order
    cavity (N = 150) Q 1530 where the pencil gives 1262 (unit cell + Kogelnik-Shank: 1170)."""
    lo, hi = cell.window_nm
    return find_resonances(samples=run.samples, dt=run.dt_um, freq_min=1000.0 / hi, freq_max=1000.0 / lo,
                           q_min=E.BAND_EDGE_Q_MIN)


def tracked_modes(cell: DfbCell, run: RingdownResult) -> tuple[Resonance, ...]:
    """Unit cell: the band edges (short first; fewer than 2 if fewer ring); finite: the lasing mode (or ())."""
    if run.status != "ok":
        return ()
    lo, hi = cell.window_nm
    poles = window_poles(cell, run)
    if cell.mode == "unit_cell":
        return E.pick_band_edges(resonances=poles, wavelength_min_nm=lo, wavelength_max_nm=hi)
    best = E.pick_lasing_mode(resonances=poles, wavelength_min_nm=lo, wavelength_max_nm=hi)
    return () if best is None else (best,)


def ladder_step(cell: DfbCell, run: RingdownResult, *, ring_down_um: float) -> ConvergenceStep:
    """The convergence record of one rung's run: status, tracked wavelengths and Qs, whether each Q is resolved."""
    res = run.resolution_px_per_um
    if run.status != "ok":
        return ConvergenceStep(res, ring_down_um, run.status, wall_time_s=run.wall_time_s)
    modes = tracked_modes(cell, run)
    if not modes:
        return ConvergenceStep(res, ring_down_um, "no_resonance", wall_time_s=run.wall_time_s)
    status = "ok" if (cell.mode == "finite" or len(modes) == 2) else "one_edge"
    return ConvergenceStep(res, ring_down_um, status, tuple(r.wavelength_nm for r in modes),
                           tuple(r.q for r in modes),
                           tuple(E.q_resolved(q=r.q, freq_per_um=r.freq, ring_down_um=ring_down_um) for r in modes),
                           run.wall_time_s)


def bragg_centre_nm(cell: DfbCell, *, resolution_px_per_um: float, freeze_nm: float | None = None) -> float | None:
    """Guided mode of the duty-averaged cell at the same Bloch k and resolution: the Bragg centre from which the
    2nd-order dark edge sits at exactly +kappa (Kazarinov-Henry). None if it does not ring."""
    run = ring_down(cell, resolution_px_per_um=resolution_px_per_um, ring_down_um=AVERAGED_RING_DOWN_UM,
                    freeze_nm=freeze_nm, averaged=True)
    if run.status != "ok":
        return None
    lo, hi = cell.window_nm
    found = E.pick_band_edges(resonances=window_poles(cell, run), wavelength_min_nm=lo, wavelength_max_nm=hi)
    return max(found, key=lambda r: r.q).wavelength_nm if found else None
