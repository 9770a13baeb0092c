"""Run step of a DFB FDTD: ring-downs of a ``DfbCell`` and the modes each one tracks (the two band edges of a unit
cell, the lasing mode of a finite grating). Wavelengths nm, resolution px/um, ring-down um / c."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from perocav.fdtd.extract import band_edges as E
from perocav.fdtd.extract.convergence import ConvergenceStep
from perocav.fdtd.extract.resonance import Resonance, find_resonances
from perocav.fdtd.extract.absorption import CellMedia, absorption_q
from perocav.fdtd.meep.dfb_cell import DfbCell, level_eps
from perocav.fdtd.meep.ringdown import RingdownSpec
from perocav.fdtd.meep.runner_2d import RingdownResult, Symmetry2D, run_ringdown_2d

#: the averaged (uniform) cell has one guided pole in the window: a shorter ring-down pins it (um / c)
AVERAGED_RING_DOWN_UM = 60.0


def ring_down(cell: DfbCell, *, resolution_px_per_um: float, ring_down_um: float, freeze_nm: float | None = None,
              averaged: bool = False, snapshot: bool = False, odd: bool | None = None,
              harminv: bool = False) -> RingdownResult:
    """One ring-down of the grating cell (or its duty-averaged twin) with media frozen at ``freeze_nm`` (default:
    the Bragg point); ``odd``: only the x-odd (True) or x-even (False) fields, half the cell (k = 0 only);
    ``harminv``: also MEEP's Harminv analysis (the DFB path fits the samples itself)."""
    band = cell.band_nm if odd is None else cell.parity_band_nm
    spec = RingdownSpec(wavelength_min_nm=band[0], wavelength_max_nm=band[1],
                        resolution_px_per_um=resolution_px_per_um, ring_down_um=ring_down_um,
                        freeze_wavelength_nm=cell.bragg_nm if freeze_nm is None else freeze_nm)
    geometry = cell.averaged if averaged else cell.geometry
    symmetry = Symmetry2D(k_x_per_um=cell.k_x_per_um, mirror_x_odd=odd)
    return run_ringdown_2d(geometry=geometry, spec=spec, source_xy_um=cell.source_xy_um, probe_xy_um=cell.source_xy_um,
                           symmetry=symmetry, snapshot=snapshot, harminv_analysis=harminv)


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
    2nd-order dark edge sits at exactly +kappa (Kazarinov-Henry). Parity path: its x-even half cell. None if it
    does not ring."""
    run = ring_down(cell, resolution_px_per_um=resolution_px_per_um, ring_down_um=AVERAGED_RING_DOWN_UM,
                    freeze_nm=freeze_nm, averaged=True, odd=False if cell.parity else None)
    if run.status != "ok":
        return None
    lo, hi = cell.window_nm
    found = E.pick_band_edges(resonances=window_poles(cell, run), wavelength_min_nm=lo, wavelength_max_nm=hi)
    return max(found, key=lambda r: r.q).wavelength_nm if found else None


#: a parity run holds one band edge, but the first ~50 um / c after the source still carry the radiation continuum:
#: at 40 um / c the pencil merged them into one pole (the dark edge of a sapphire/TiO2 cell at Q 264 instead of a
#: lossless one, 0.4 nm off); 60 and 80 um / c agree to 0.001 nm
PARITY_RING_DOWN_UM = 80.0


@dataclass(frozen=True)
class ParityMode:
    """The band edge of one x parity (frozen, lossless media): wavelength (nm), radiation Q from the ring-down,
    absorption Q by perturbation theory from its field (``extract.absorption``), their sum Q (1/Q = 1/Q_rad +
    1/Q_abs), whether the ring-down resolves Q_rad (a lossless symmetry-protected edge has Q_rad = inf: resolved),
    and its run (snapshot)."""

    odd: bool
    wavelength_nm: float
    q_rad: float
    q_abs: float
    q: float
    resolved: bool
    run: RingdownResult = field(repr=False, compare=False)


def parity_mode(cell: DfbCell, *, odd: bool, resolution_px_per_um: float, ring_down_um: float,
                freeze_nm: float | None = None) -> ParityMode | None:
    """The band edge of parity ``odd`` (the highest-Q pole in the window); None if the run finds none."""
    run = ring_down(cell, resolution_px_per_um=resolution_px_per_um, ring_down_um=ring_down_um, freeze_nm=freeze_nm,
                    snapshot=True, odd=odd)
    if run.status != "ok":
        return None
    lo, hi = cell.window_nm
    poles = E.pick_band_edges(resonances=window_poles(cell, run), wavelength_min_nm=lo, wavelength_max_nm=hi)
    if not poles:
        return None
    p = max(poles, key=lambda r: r.q)
    lam_f = cell.bragg_nm if freeze_nm is None else freeze_nm
    q_abs = mode_absorption_q(cell, run, wavelength_nm=lam_f)
    q = 1.0 / (1.0 / p.q + 1.0 / q_abs) if math.isfinite(p.q) or math.isfinite(q_abs) else math.inf
    resolved = not math.isfinite(p.q) or E.q_resolved(q=p.q, freq_per_um=p.freq, ring_down_um=ring_down_um)
    return ParityMode(odd=odd, wavelength_nm=p.wavelength_nm, q_rad=p.q, q_abs=q_abs, q=q, resolved=resolved, run=run)


def mode_absorption_q(cell: DfbCell, run: RingdownResult, *, wavelength_nm: float) -> float:
    """Absorption Q of the mode in ``run``'s snapshot with the stack's n,k at ``wavelength_nm`` (the freezing
    wavelength), over the cell inside the y PMLs."""
    geom, g = cell.geometry, cell.grating
    eps, below, above = level_eps(stack=cell.stack, wavelength_nm=wavelength_nm)
    half_tooth = 0.5 * g.duty_cycle * geom.size_x_um
    media = CellMedia(period_um=geom.size_x_um, levels_um=geom.levels_um, level_eps=eps,
                      tooth_x_um=(-half_tooth, half_tooth), below_eps=below, above_eps=above)
    return absorption_q(field_abs2=run.field_abs2, x_um=run.x_um, y_um=run.y_um, media=media, y_range_um=geom.inner_y_um)
