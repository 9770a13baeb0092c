"""Evaluate one design point (runs in a worker process): solver -> ``DesignResult``."""

from __future__ import annotations

import math
import time
import traceback
from dataclasses import dataclass, replace

from perocav.designs.records import (CircularAnalyticRecord, CircularLine, DesignMetrics, DesignResult,
                                     DfbAnalyticRecord, SpectralLine)
from perocav.designs.solvers import SolverSettings
from perocav.designs.spec import DesignPoint
from perocav.designs.threshold import Threshold, threshold_from_material_gain, threshold_from_modal_gain

#: bump when an evaluator's physics changes: it is part of every cache key
EVALUATOR_VERSIONS = {"analytic": "analytic/5", "fdtd": "dfb-fdtd/6", "rcwa": "dfb-rcwa/2"}  # fdtd 6, rcwa 2: one DFB solver record, material gain over the power-weighted confinement; fdtd 5: 2nd-order unit cells by x-parity runs on lossless media, absorption by perturbation theory, Richardson edges; analytic 5: circular/WGM modes self-consistent with the dispersion, in the gain window; fdtd 4: mode profile and frozen-media Qs in the record; analytic 4: kappa/h overlaps over the grating's own samples (were +0.9 %/+1.8 %); 3: dispersion-consistent Bragg point, n_g and FDTD media; 2: kappa from the Bragg centre

from perocav.fdtd.models.gain import cavity_q  # noqa: E402  (the one Q <-> gain formula)
from perocav.pdk.units import C_CM_PER_S  # noqa: E402  (the one constants module)


@dataclass(frozen=True)
class CellGeometry:
    """The derived geometry (``info``) of a cavity's layout cell, built once where the design is validated and
    carried to the solver with the point (circular cavities read their radii from it)."""

    info: dict


@dataclass(frozen=True)
class EvalTask:
    """One evaluation: the point, its cache key, the fidelity ("analytic", "rcwa", "fdtd"), the DFB solver
    settings (``solvers.SolverSettings``, FDTD) and the built cell's geometry (circular cavities)."""

    key: str
    point: DesignPoint
    fidelity: str
    settings: SolverSettings | None = None
    cell: CellGeometry | None = None


def evaluate_point(task: EvalTask) -> DesignResult:
    """The ``DesignResult`` of ``task``; never raises: a failure is a result with status "failed"."""
    t0 = time.perf_counter()
    try:
        metrics, solver, extra = _solve(task)
        result = DesignResult(key=task.key, point=task.point, fidelity=task.fidelity, status="ok", metrics=metrics,
                              solver=solver, cross_check=extra)
    except Exception as err:  # a failed design is recorded and the sweep goes on
        result = DesignResult(key=task.key, point=task.point, fidelity=task.fidelity, status="failed",
                              error=f"{type(err).__name__}: {err}".splitlines()[0],
                              traceback=traceback.format_exc(limit=4))
    return replace(result, wall_time_s=time.perf_counter() - t0)


def _solve(task: EvalTask):
    point = task.point
    if task.fidelity == "fdtd":
        from perocav.fdtd.run_env import filtered_stderr

        with filtered_stderr():  # MEEP's pixel-rounding warning would break the parent's progress bar
            return _dfb_solver(point, "fdtd", task.settings)
    if task.fidelity == "rcwa":
        return _dfb_solver(point, "rcwa", None)
    if task.fidelity == "analytic":
        if point.cavity.type == "dfb":
            return (*_dfb_analytic(point), None)
        return (*_circular_analytic(point, task.cell), None)
    raise ValueError(f"fidelity {task.fidelity!r} is not an evaluator")


def gain_thickness_nm(stack) -> float:
    return stack.layer(stack.gain_layer).thickness_nm


def _metrics(thr: Threshold, *, wavelength_nm: float, q: float, modal_gain_per_cm: float,
             thickness_nm: float) -> DesignMetrics:
    return DesignMetrics(wavelength_nm=wavelength_nm, q_estimate=q, threshold_modal_gain_per_cm=modal_gain_per_cm,
                         threshold_material_gain_per_cm=thr.material_gain_per_cm,
                         threshold_density_per_cm3=thr.carrier_density_per_cm3, plqy_at_threshold=thr.plqy,
                         threshold_current_density_a_per_cm2=thr.current_density_A_per_cm2,
                         below_auger_limit=thr.below_auger_limit, gain_thickness_nm=thickness_nm)


def photon_lifetime_ps(*, q: float, wavelength_nm: float) -> float:
    return q / (2 * math.pi * C_CM_PER_S / (wavelength_nm * 1e-7)) * 1e12


def _dfb_analytic(point: DesignPoint) -> tuple[DesignMetrics, DfbAnalyticRecord]:
    from perocav.fdtd.models.dfb.dfb_analytic import analyze_dfb_on_stack

    stack = point.stack.resolve()
    cav = point.cavity
    phase = math.pi if cav.phase_shift == "quarter_wave" else 0.0
    r = analyze_dfb_on_stack(stack=stack, period_nm=cav.period_nm, duty_cycle=cav.duty_cycle, order=cav.order,
                             length_um=cav.length_um, phase_shift_rad=phase)
    return dfb_analytic_record(point, r, stack=stack)


def dfb_analytic_record(point: DesignPoint, r, *, stack=None) -> tuple[DesignMetrics, DfbAnalyticRecord]:
    """Metrics and record of ``point`` from its ``DfbAnalytic`` (per-design path or the vectorised screen);
    ``stack``: the point's resolved stack, if the caller has it."""
    stack = point.stack.resolve() if stack is None else stack
    gain_nm = gain_thickness_nm(stack)
    g_th = r.threshold_modal_gain_per_cm
    thr = threshold_from_modal_gain(material=point.gain_material, threshold_modal_gain_per_cm=g_th,
                                    confinement=r.confinement_power, thickness_nm=gain_nm)
    q = cavity_q(wavelength_nm=r.wavelength_nm, modal_gain_per_cm=g_th, group_index=r.group_index)
    record = DfbAnalyticRecord(
        bragg_wavelength_nm=r.bragg_wavelength_nm, bragg_residual_nm=r.bragg_residual_nm,
        stopband_short_nm=r.cmt.stopband_short_nm, stopband_long_nm=r.cmt.stopband_long_nm, neff_high=r.neff_high,
        neff_low=r.neff_low, group_index=r.group_index, kappa_per_cm=r.kappa_per_cm, kappa_L=r.kappa_L,
        radiation_per_cm=r.radiation_per_cm, radiating_edge=r.radiating_edge or "", confinement=r.confinement,
        confinement_power=r.confinement_power, modal_loss_per_cm=r.modal_loss_per_cm,
        mirror_loss_per_cm=r.mirror_loss_per_cm, photon_lifetime_ps=photon_lifetime_ps(q=q, wavelength_nm=r.wavelength_nm),
        side_modes=tuple(SpectralLine(wavelength_nm=m.wavelength_nm, power_gain_per_cm=m.power_gain_per_cm)
                         for m in r.cmt.modes[1:]))
    return _metrics(thr, wavelength_nm=r.wavelength_nm, q=q, modal_gain_per_cm=g_th, thickness_nm=gain_nm), record


def cell_geometry(cavity) -> CellGeometry:
    """The derived geometry of ``cavity``'s layout cell (gdsfactory returns the cell built during validation)."""
    from perocav.designs.spec import build_cavity_cell

    return CellGeometry(info=build_cavity_cell(cavity).info.model_dump())


def _circular_analytic(point: DesignPoint, cell: CellGeometry | None) -> tuple[DesignMetrics, CircularAnalyticRecord]:
    from perocav.fdtd.models.circular.circular_analytic import analyze_circular_on_stack
    from perocav.fdtd.models.gain import threshold_modal_gain_per_cm

    stack = point.stack.resolve()
    cell = cell_geometry(point.cavity) if cell is None else cell
    r = analyze_circular_on_stack(stack=stack, component=cell, window_rel=0.03)
    if r.best is None:
        raise ValueError("no resonance within 3% of the emission wavelength (no confined mode)")
    b = r.best
    g_modal = threshold_modal_gain_per_cm(q=b.q, wavelength_nm=b.wavelength_nm, group_index=r.group_index)
    gain_nm = gain_thickness_nm(stack)
    thr = threshold_from_modal_gain(material=point.gain_material, threshold_modal_gain_per_cm=g_modal,
                                    confinement=r.confinement_power, thickness_nm=gain_nm)
    record = CircularAnalyticRecord(
        m=b.m, q_radiation=b.q_radiation, q_absorption=b.q_absorption, n_modes_found=len(r.modes),
        resonance_residual_nm=r.residual_nm, resonance_passes=r.passes, neff_high=r.neff_high, neff_low=r.neff_low,
        group_index=r.group_index, confinement=r.confinement, confinement_power=r.confinement_power,
        modal_loss_per_cm=r.modal_loss_per_cm, photon_lifetime_ps=photon_lifetime_ps(q=b.q, wavelength_nm=b.wavelength_nm),
        modes=tuple(CircularLine(m=md.m, wavelength_nm=md.wavelength_nm, q=md.q) for md in r.modes))
    return _metrics(thr, wavelength_nm=b.wavelength_nm, q=b.q, modal_gain_per_cm=g_modal, thickness_nm=gain_nm), record


def _finite_or_none(v):
    return v if isinstance(v, (int, float)) and math.isfinite(v) else None


def _dfb_solver(point: DesignPoint, solver: str, settings: SolverSettings | None):
    """MEEP FDTD ("fdtd") or RCWA of the DFB built from the point; a solver status other than ok raises (the
    design is recorded as failed). The stored record keeps the field snapshot as stored (4 digits), no history."""
    from perocav.designs.solvers import dfb_grating, rcwa_beside_meep, solve_dfb

    stack = point.stack.resolve()
    r = solve_dfb(solver=solver, stack=stack, grating=dfb_grating(point.cavity), settings=settings)
    if r.status != "ok":
        raise ValueError(f"{solver.upper()} status {r.status}: {'; '.join(r.warnings)}")
    cross = None
    if solver == "fdtd":
        cross = rcwa_beside_meep(stack=stack, meep_result=r)
        r = r.stored()
    gain_nm = gain_thickness_nm(stack)
    g_mat = _finite_or_none(r.threshold_material_gain_per_cm)
    thr = threshold_from_material_gain(material=point.gain_material, material_gain_per_cm=g_mat, thickness_nm=gain_nm)
    edges = [q for q in (_finite_or_none(r.q_short), _finite_or_none(r.q_long)) if q]
    q = _finite_or_none(r.lasing_q) or max(edges or [math.nan])
    metrics = DesignMetrics(
        wavelength_nm=r.lasing_wavelength_nm, q_estimate=q, threshold_modal_gain_per_cm=r.threshold_modal_gain_per_cm,
        threshold_material_gain_per_cm=r.threshold_material_gain_per_cm,
        threshold_density_per_cm3=thr.carrier_density_per_cm3, plqy_at_threshold=thr.plqy,
        threshold_current_density_a_per_cm2=thr.current_density_A_per_cm2, below_auger_limit=thr.below_auger_limit,
        gain_thickness_nm=gain_nm)
    return metrics, r, cross
