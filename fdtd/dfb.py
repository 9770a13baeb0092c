"""FDTD (MEEP, 2D TE: Ez) of a substrate-embedded linear DFB grating under a layer stack: unit cell or finite.

``simulate_dfb`` reads as build -> run -> extract: ``meep.dfb_cell`` builds the cells from the ``dfb_grating`` layout
cell and the stack, ``meep.dfb_runs`` runs MEEP ring-downs up a resolution ladder (``extract.convergence``) until
the band edges (unit cell) or the lasing mode (finite) converge, and ``dfb_unit_cell`` / ``dfb_finite`` /
``dfb_fields`` extract kappa, Q, radiating edge, confinement, modal loss and threshold gain.

unit_cell: one period, Bloch k at the Bragg point; the two highest-Q resonances near the Bragg wavelength are the
band edges; the threshold is Kogelnik-Shank with the FDTD couplings (``dfb_unit_cell``). finite: n_periods with
PML ends; the threshold modal gain is 2 pi n_g / (lambda Q), the material gain that / confinement.
Dispersion: the ladder's media are frozen at the analytic (self-consistent) Bragg wavelength; each edge / the lasing
mode is then re-run with the media frozen where it lies until |mode - freeze| < freeze_tol_nm (``extract.freeze``).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import asdict

from perocav.fdtd import dfb_fields as F
from perocav.fdtd import dfb_parity as P2
from perocav.fdtd.dfb_finite import lasing_mode
from perocav.fdtd.dfb_result import meep_result
from perocav.fdtd.dfb_unit_cell import edge_couplings, self_consistent_edges, unit_cell_threshold
from perocav.fdtd.extract.convergence import ConvergenceReport, converge, resolution_ladder
from perocav.fdtd.extract.freeze import FrozenFix, self_consistent_mode
from perocav.fdtd.meep import dfb_runs as R
from perocav.fdtd.meep import pixels as P
from perocav.fdtd.meep.dfb_cell import MODES, DfbCell, build_dfb_cell
from perocav.fdtd.meep.runner_2d import RingdownResult
from perocav.fdtd.models.dfb.dfb_analytic import DfbAnalytic
from perocav.fdtd.models.dfb.dfb_dispersion import (
    frozen_group_index,
    predict_wavelength_nm,
    same_media,
    true_group_index,
)
from perocav.fdtd.models.dfb.grating import DfbGrating
from perocav.fdtd.models.gain import cavity_q
from perocav.fdtd.result import DfbSolverResult
from perocav.fdtd.settings import FdtdSettings
from perocav.pdk.stack import Stack

__all__ = ["MODES", "DfbSolverResult", "simulate_dfb"]
Progress = Callable[[str], None] | None


def simulate_dfb(*, stack: Stack, grating: DfbGrating, mode: str = "unit_cell",
                 settings: FdtdSettings = FdtdSettings(), progress: Progress = None,
                 analytic: DfbAnalytic | None = None) -> DfbSolverResult:
    """FDTD of ``grating`` under ``stack`` (``mode``: "unit_cell" or "finite"); see the module docstring.
    ``analytic``: the design's coupled-mode answer (``models.dfb.dfb_analytic``) as the starting point (None: computed);
    the record never stores it.

    The ladder starts at ``settings.resolution_px_per_um`` (default: ``min_px_per_layer`` px across the thinnest
    level), x1.5 per rung snapped so one period is whole pixels, up to ``max_resolution_px_per_um``, until
    wavelengths move < ``wavelength_tol_nm`` and resolved Qs < ``q_relative_tol`` (``converge=False``: one run);
    ring-down x1.25 per rung. A first rung below the pixel rule raises InputError unless ``force``."""
    t_start = time.perf_counter()
    s = settings
    parity = mode == "unit_cell" and grating.order == 2 and s.parity_runs
    min_px = min(s.min_px_per_layer, P2.MIN_PX_PER_LAYER) if parity else s.min_px_per_layer
    r_min = P.min_resolution_px_per_um(stack=stack, min_px_per_layer=min_px)
    r_default = max(r_min, P2.FIRST_RUNG_PX_PER_UM) if parity else r_min
    r0 = r_default if s.resolution_px_per_um is None else float(s.resolution_px_per_um)
    P.check_resolution(stack=stack, resolution_px_per_um=r0, min_px_per_layer=min_px, force=s.force)
    cell = build_dfb_cell(stack=stack, grating=grating, mode=mode, settings=s, analytic=analytic)
    warnings: list[str] = []
    if cell.analytic.kappa_per_cm == 0:
        warnings.append("CMT kappa is ~0 for this duty cycle and order: the edges may be degenerate")
    if r0 < r_min:
        warnings.append(f"forced: {r0:g} px/um is below the {r_min:g} px/um pixel rule ({min_px:g} px across the "
                        f"thinnest level)")
    ladder = _ladder(cell=cell, r0=r0, settings=s, factor=P2.RUNG_FACTOR if cell.parity else 1.5)
    if cell.parity:
        report, rungs = P2.run_parity_ladder(cell=cell, ladder=ladder, settings=s, progress=progress)
        runs = {res: (r.dark if isinstance(r, P2.ParityRung) else r).run for res, r in rungs.items()}
    else:
        report, runs = _run_ladder(cell=cell, ladder=ladder, settings=s, progress=progress)
    if not report.converged:
        warnings.append(report.reason)
    last_run = runs.get(report.last.resolution_px_per_um)
    base = _base_fields(cell=cell, report=report, run=last_run)
    last_rung = rungs.get(report.last.resolution_px_per_um) if cell.parity else None
    if isinstance(last_rung, P2.ParityRung):  # the other edge's own parity run: its profile too
        other = last_rung.long if last_rung.dark is last_rung.short else last_rung.short
        base["cross_section_other"] = F.cross_section(other.run, cell.geometry)
    if report.last.status not in ("ok", "one_edge"):
        return meep_result(status=report.last.status, wall_time_s=time.perf_counter() - t_start,
                           warnings=tuple(warnings), **base)
    if cell.parity and report.last.status == "ok":
        fields = _unit_cell_parity(cell=cell, report=report, rungs=rungs, settings=s, warnings=warnings,
                                   progress=progress)
    else:
        extract = _unit_cell if mode == "unit_cell" else _finite
        fields = extract(cell=cell, report=report, runs=runs, settings=s, warnings=warnings, progress=progress)
    return meep_result(status=report.last.status, wall_time_s=time.perf_counter() - t_start,
                       warnings=tuple(warnings), **base, **fields)


def _ladder(*, cell: DfbCell, r0: float, settings: FdtdSettings, factor: float) -> list[float]:
    """Rungs from ``r0`` x ``factor``, each snapped to whole pixels per period, up to the maximum (one rung without
    ``converge``)."""
    snap = (lambda r: P.whole_pixel_resolution(period_nm=cell.grating.period_nm, resolution_px_per_um=r))
    ladder = resolution_ladder(start_px_per_um=r0, max_px_per_um=max(settings.max_resolution_px_per_um, snap(r0)),
                               snap=snap, factor=factor)
    return ladder if settings.converge else ladder[:1]


def _run_ladder(*, cell: DfbCell, ladder: list[float], settings: FdtdSettings,
                progress: Progress) -> tuple[ConvergenceReport, dict[float, RingdownResult]]:
    """The resolution ladder of the grating cell (media frozen at the Bragg point); every rung's run by resolution."""
    runs: dict[float, RingdownResult] = {}

    def run_step(res: float, ring: float):
        runs[res] = R.ring_down(cell, resolution_px_per_um=res, ring_down_um=ring, snapshot=True)
        return R.ladder_step(cell, runs[res], ring_down_um=ring)

    report = converge(run_step=run_step, resolutions_px_per_um=ladder, ring_down_um=cell.ring_down_um,
                      wavelength_tol_nm=settings.wavelength_tol_nm, q_relative_tol=settings.q_relative_tol,
                      progress=progress)
    return report, runs


def _base_fields(*, cell: DfbCell, report: ConvergenceReport, run: RingdownResult | None) -> dict:
    g, last = cell.grating, report.last
    return dict(
        mode=cell.mode, stack=cell.stack.name, period_nm=float(g.period_nm), duty_cycle=float(g.duty_cycle),
        order=int(g.order), n_periods=int(g.n_periods), quarter_wave_shift=bool(g.quarter_wave_shift),
        length_um=g.length_um, group_index_frozen=cell.group_index_frozen, converged=report.converged, convergence_reason=report.reason,
        resolution_px_per_um=last.resolution_px_per_um, ring_down_um=last.ring_down_um,
        resolutions_tried=", ".join(f"{s.resolution_px_per_um:g}" for s in report.steps),
        meep_version=run.meep_version if run else "", history=report.steps,
        cross_section=F.cross_section(run, cell.geometry) if run else None)


def _group_indices(cell: DfbCell) -> tuple[Callable[[float], float], Callable[[float], float]]:
    """(waveguide-only, full) group index of the grating's averaged guide as functions of wavelength (nm)."""
    st, d = cell.stack, cell.grating.duty_cycle
    return (lambda lam: frozen_group_index(stack=st, duty_cycle=d, wavelength_nm=lam),
            lambda lam: true_group_index(stack=st, duty_cycle=d, wavelength_nm=lam))


def _fixer(*, cell: DfbCell, report: ConvergenceReport, settings: FdtdSettings,
           progress: Progress) -> Callable[[int, float, float], FrozenFix | None]:
    """fix(which, wavelength, Q): the tracked mode ``which`` (0 short edge / lasing mode, 1 long edge) made
    self-consistent by re-runs at the last rung's resolution and ring-down with the media frozen where it lies."""
    last = report.last
    ng_frozen, ng_true = _group_indices(cell)

    def rerun(freeze_nm: float, which: int) -> tuple[float, float] | None:
        run = R.ring_down(cell, resolution_px_per_um=last.resolution_px_per_um, ring_down_um=last.ring_down_um,
                          freeze_nm=freeze_nm)
        if progress:
            progress(f"media frozen at {freeze_nm:.2f} nm: {run.status} ({run.wall_time_s:.1f} s)")
        modes = R.tracked_modes(cell, run)
        if cell.mode == "unit_cell" and len(modes) != 2:
            return None
        return (modes[which].wavelength_nm, modes[which].q) if modes else None

    def fix(which: int, lam: float, q: float) -> FrozenFix | None:
        if same_media(stack=cell.stack, a_nm=cell.bragg_nm, b_nm=lam):  # constant indices: already self-consistent
            return FrozenFix(wavelength_nm=lam, q=q, q_frozen=q, freeze_wavelength_nm=cell.bragg_nm, residual_nm=0.0,
                             passes=0)
        return self_consistent_mode(run_mode=lambda f: rerun(f, which), wavelength_nm=lam, q=q, freeze_nm=cell.bragg_nm,
                                    group_index_frozen=ng_frozen, group_index=ng_true, tol_nm=settings.freeze_tol_nm,
                                    max_passes=settings.max_freeze_passes)

    return fix


def _unit_cell(*, cell: DfbCell, report: ConvergenceReport, runs: dict[float, RingdownResult],
               settings: FdtdSettings, warnings: list[str], progress: Progress) -> dict:
    last = report.last
    run = runs[last.resolution_px_per_um]
    if last.status == "one_edge":
        warnings.append("only one band edge found near the Bragg wavelength")
        out = dict(edge_short_nm=last.wavelengths_nm[0], q_short=last.qs[0], q_short_resolved=last.q_resolved[0])
        return out | _snapshot_fields(cell=cell, run=run, wavelength_nm=last.wavelengths_nm[0])
    centre = None
    if cell.grating.order == 2:
        centre = R.bragg_centre_nm(cell, resolution_px_per_um=last.resolution_px_per_um)
        if progress:
            progress(f"duty-averaged cell at {last.resolution_px_per_um:g} px/um: Bragg centre {centre} nm")
    c = edge_couplings(cell=cell, step=last, centre_nm=centre, warnings=warnings)
    fix = _fixer(cell=cell, report=report, settings=settings, progress=progress)
    edges = self_consistent_edges(couplings=c, fixes=(fix(0, c.edge_short_nm, c.q_short),
                                                      fix(1, c.edge_long_nm, c.q_long)), warnings=warnings)
    out = _edge_fields(c, edges)
    return out | _threshold_fields(cell=cell, couplings=c, run=run)


def _edge_fields(couplings, edges) -> dict:
    """Record fields of the couplings (without the threshold's inputs) and the self-consistent edges."""
    skip = ("kappa_signed_per_cm", "centre_nm")
    return {k: v for k, v in asdict(couplings).items() if k not in skip} | asdict(edges)


def _unit_cell_parity(*, cell: DfbCell, report: ConvergenceReport, rungs: dict, settings: FdtdSettings,
                      warnings: list[str], progress: Progress) -> dict:
    """The parity path's record fields: couplings of the extrapolated edges and centre, the self-consistent edges
    (correction from the coarse rung), the threshold, and the field numbers of the last rung's dark edge."""
    ex = P2.extrapolate(report, rungs)
    last = rungs[report.last.resolution_px_per_um]
    if ex.centre_nm is None:
        warnings.append("the duty-averaged cell gave no guided mode at every rung: the Bragg centre is the last rung's "
                        "or missing")
    c = edge_couplings(cell=cell, step=ex.step, centre_nm=ex.centre_nm, warnings=warnings)
    groups = _group_indices(cell)
    fixes = P2.parity_fixes(cell=cell, report=report, rungs=rungs, final=ex.step, group_indices=groups,
                            settings=settings, progress=progress)
    edges = self_consistent_edges(couplings=c, fixes=fixes, warnings=warnings)
    out = _edge_fields(c, edges)
    out |= dict(extrapolated=math.isfinite(ex.moved_nm), extrapolation_nm=ex.moved_nm,
                q_short_absorption=last.short.q_abs, q_long_absorption=last.long.q_abs)
    return out | _threshold_fields(cell=cell, couplings=c, run=last.dark.run)


def _threshold_fields(*, cell: DfbCell, couplings, run: RingdownResult) -> dict:
    """Field numbers of ``run`` and the Kogelnik-Shank threshold with the FDTD couplings (unit cell)."""
    ng_true = _group_indices(cell)[1]
    c = couplings
    lam_c = predict_wavelength_nm(wavelength_nm=c.centre_nm, freeze_nm=cell.bragg_nm,
                                  group_index_frozen=cell.group_index_frozen, group_index=ng_true(c.centre_nm))
    thr = unit_cell_threshold(cell=cell, couplings=c, centre_nm=lam_c, group_index=ng_true)
    out = _snapshot_fields(cell=cell, run=run, wavelength_nm=lam_c)
    if thr is None:
        return out | dict(group_index=ng_true(lam_c))
    g_th = thr.mirror_loss_per_cm + out["modal_loss_per_cm"]
    lam_l = thr.lasing_wavelength_nm
    # the Q a finite cavity of n_periods must have for that threshold (same relation as the finite path)
    q_thr = cavity_q(wavelength_nm=lam_l, modal_gain_per_cm=g_th, group_index=ng_true(lam_l))
    out |= dict(lasing_wavelength_nm=lam_l, threshold_source=thr.threshold_source, threshold_modal_gain_per_cm=g_th,
                lasing_q=q_thr, group_index=ng_true(lam_l if math.isfinite(lam_l) else lam_c))
    if out["confinement_power"] > 0:
        out["threshold_material_gain_per_cm"] = g_th / out["confinement_power"]
    return out


def _snapshot_fields(*, cell: DfbCell, run: RingdownResult, wavelength_nm: float) -> dict:
    """Power-weighted confinement and modal loss (``dfb_fields``) at ``wavelength_nm``, n_eff = order lambda /
    (2 Lambda)."""
    g = cell.grating
    n_eff = g.order * wavelength_nm / (2 * g.period_nm)
    gamma, loss = F.field_numbers(run=run, geom=cell.geometry, stack=cell.stack, wavelength_nm=wavelength_nm,
                                  n_eff=n_eff)
    return dict(confinement_power=gamma, confinement_model="fdtd", modal_loss_per_cm=loss)


def _finite(*, cell: DfbCell, report: ConvergenceReport, runs: dict[float, RingdownResult],
            settings: FdtdSettings, warnings: list[str], progress: Progress) -> dict:
    last = report.last
    run = runs[last.resolution_px_per_um]
    ng_true = _group_indices(cell)[1]
    fix = _fixer(cell=cell, report=report, settings=settings, progress=progress)
    mode = lasing_mode(cell=cell, step=last, fix=fix(0, last.wavelengths_nm[0], last.qs[0]), run=run,
                       group_index=ng_true, warnings=warnings)
    out = asdict(mode) | _snapshot_fields(cell=cell, run=run, wavelength_nm=mode.lasing_wavelength_nm)
    gamma = out["confinement_power"]
    if gamma > 0:
        out["threshold_material_gain_per_cm"] = mode.threshold_modal_gain_per_cm / gamma
    return out | dict(group_index=ng_true(mode.lasing_wavelength_nm))
