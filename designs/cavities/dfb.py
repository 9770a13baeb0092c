"""The DFB family: the substrate-embedded 1D grating (``cavity: type: dfb``, the ``dfb_grating`` cell). Its spec,
its evaluation at every fidelity (analytic: coupled-mode theory on the stack's slab modes; rcwa / fdtd: the DFB
solvers through ``designs/solvers.py``), its records and the best design's report detail. Code moved unchanged
from ``designs/spec.py`` and ``designs/evaluate.py``."""

from __future__ import annotations

import math
from dataclasses import replace
from typing import TYPE_CHECKING, Literal

from pydantic import Field, model_validator

from perocav.designs.cavities.dfb_device import analytic_device, is_device, solver_device
from perocav.designs.cavities.family import CavityFamily
from perocav.designs.cavities.metrics import design_metrics, gain_perovskite, gain_thickness_nm, photon_lifetime_ps
from perocav.designs.detail import analytic_start, dfb_detail
from perocav.designs.device.geometry import device_geometry
from perocav.designs.device.spec import Apodization, MixedOrder, Pump, Section
from perocav.designs.gain_window import design_gain_window
from perocav.designs.records import FIDELITIES, DesignMetrics, DfbAnalyticRecord, SpectralLine
from perocav.designs.solvers import SolverSettings, dfb_grating, rcwa_beside_meep, solve_dfb
from perocav.designs.threshold import threshold_from_material_gain, threshold_from_modal_gain
from perocav.fdtd.models.dfb.dfb_analytic import analyze_dfb_on_stack
from perocav.fdtd.models.dfb.grating import DfbGrating
from perocav.fdtd.models.gain import cavity_q
from perocav.fdtd.result import DfbSolverResult
from perocav.fdtd.run_env import filtered_stderr
from perocav.layout.device_cell_params import grating_cell_params
from perocav.layout.device_geometry import DeviceGeometry
from perocav.pdk.bounds import StrictModel
from perocav.pdk.rules import DESIGN_RULES

if TYPE_CHECKING:
    from perocav.designs.spec import DesignPoint


class DfbCavity(StrictModel):
    """Substrate-embedded 1D DFB (the ``dfb_grating`` cell): a uniform or phase-shifted grating."""

    type: Literal["dfb"] = "dfb"
    order: Literal[1, 2] = 2
    period_nm: float = Field(400.0, gt=0, le=100_000)
    duty_cycle: float = Field(0.5, gt=0, lt=1)
    n_periods: int = Field(250, ge=1, le=100_000)
    phase_shift: Literal["none", "quarter_wave"] = "none"
    #: the current opening along the grating and the recombination zone (None: the whole grating pumped)
    pump: Pump | None = None
    #: an explicit section list (then ``n_periods`` is their total); or one of the shorthands below
    sections: tuple[Section, ...] | None = Field(None, min_length=1, max_length=200)
    mixed_order: MixedOrder | None = None
    apodization: Apodization | None = None

    @model_validator(mode="after")
    def _rules(self) -> "DfbCavity":
        _one_layout(self)
        sections = self.geometry().sections
        for k, s in enumerate(sections):
            where = "" if len(sections) == 1 else f" in section {k} (order {s.order})"
            _check_teeth(period_nm=s.period_nm, duty=s.duty_cycle, where=where)
        return self

    def geometry(self) -> DeviceGeometry:
        """The device along the grating: sections and pump (``designs.device.geometry``)."""
        return device_geometry(self)

    @property
    def length_um(self) -> float:
        """The grating's length [um]: its sections' periods (a phase step's gap adds no length, as in the
        coupled-mode model; ``geometry().length_um`` is the drawn length with the gaps)."""
        return sum(s.length_um for s in self.geometry().sections)

    def layout_cell(self) -> tuple[str, dict]:
        """The layout cell that draws this cavity, and its parameters: a uniform or quarter-wave grating by its
        period, duty and count (the mask brackets those), a sectioned one (mixed order, apodised, an explicit list)
        by the section list of its geometry, tooth for tooth as simulated."""
        if self.sections is None and self.mixed_order is None and self.apodization is None:
            return "dfb_grating", {"period_nm": self.period_nm, "duty_cycle": self.duty_cycle,
                                   "n_periods": self.n_periods, "order": self.order,
                                   "quarter_wave_shift": self.phase_shift == "quarter_wave"}
        return "dfb_grating", grating_cell_params(self.geometry())


def _one_layout(cav: DfbCavity) -> None:
    """At most one way of giving the sections; the shorthands' own conditions."""
    given = [k for k in ("sections", "mixed_order", "apodization") if getattr(cav, k) is not None]
    if len(given) > 1:
        raise ValueError(f"{' and '.join(given)} exclude each other: give one")
    if cav.mixed_order is not None and cav.order != 2:
        raise ValueError("mixed_order needs order 2 (the outcoupler; the feedback sections are 1st order)")
    if cav.sections is not None:
        total = sum(s.n_periods for s in cav.sections)
        if cav.n_periods != total:
            raise ValueError(f"n_periods {cav.n_periods} is not the sections' total {total}: set n_periods: {total}")
        if cav.phase_shift != "none":
            raise ValueError("with sections, give each junction's phase_step instead of phase_shift")


def _check_teeth(*, period_nm: float, duty: float, where: str) -> None:
    rule = DESIGN_RULES.layers["GRATING"]
    tooth, gap = duty * period_nm, (1 - duty) * period_nm
    if tooth < rule.min_width_nm:
        raise ValueError(f"tooth {tooth:g} nm (duty_cycle x period_nm){where} is below the GRATING minimum width "
                         f"{rule.min_width_nm:g} nm")
    if gap < rule.min_space_nm:
        raise ValueError(f"gap {gap:g} nm ((1 - duty_cycle) x period_nm){where} is below the GRATING minimum space "
                         f"{rule.min_space_nm:g} nm")


def solve(point: DesignPoint, fidelity: str, *, settings: SolverSettings | None = None, cell=None, earlier=None):
    """(metrics, record, cross-check, device record | None) of a DFB point: the analytic model, RCWA or MEEP FDTD
    (``settings``), and the device model on top (``designs.device``: pump opening, sections) when the cavity has
    one; ``earlier``: the result this evaluation refines (an RCWA one is MEEP's cross-check, not solved again; the
    analytic one at its root is MEEP's starting point and its device cells, not solved again)."""
    first = earlier.first() if earlier is not None else None
    analytic_device = first.device if first is not None and first.ok else None
    if fidelity == "fdtd":
        rcwa = earlier.solver if earlier is not None and earlier.ok and earlier.fidelity == "rcwa" else None
        start = (analytic_start(first) if first is not None and first.ok and first.fidelity == "analytic"
                 and math.isfinite(first.solver.n_avg) else None)
        with filtered_stderr():  # MEEP's pixel-rounding warning would break the parent's progress bar
            return _dfb_solver(point, "fdtd", settings, rcwa=rcwa, analytic=start, analytic_device=analytic_device)
    if fidelity == "rcwa":
        return _dfb_solver(point, "rcwa", None, analytic_device=analytic_device)
    if fidelity == "analytic":
        return _dfb_analytic(point)
    raise ValueError(f"fidelity {fidelity!r} is not an evaluator")


def _dfb_analytic(point: DesignPoint):
    stack = point.stack.resolve()
    cav = point.cavity
    phase = math.pi if cav.phase_shift == "quarter_wave" else 0.0
    r = analyze_dfb_on_stack(stack=stack, period_nm=cav.period_nm, duty_cycle=cav.duty_cycle, order=cav.order,
                             length_um=cav.length_um, phase_shift_rad=phase,
                             window_nm=design_gain_window(point, stack=stack))
    metrics, record, device = dfb_analytic_record(point, r, stack=stack)
    return metrics, record, None, device


def dfb_analytic_record(point: DesignPoint, r, *, stack=None, device=None) -> tuple[DesignMetrics, DfbAnalyticRecord,
                                                                                   object]:
    """Metrics, record and device record (None: no device) of ``point`` from its ``DfbAnalytic`` (per-design path
    or the vectorised screen); ``stack``: the point's resolved stack, if the caller has it. A device's metrics are
    the device model's (``designs.device``); ``device``: its (metrics, device record), solved already (the screen's
    one batch of devices), else solved here."""
    stack = point.stack.resolve() if stack is None else stack
    gain_nm = gain_thickness_nm(stack)
    g_th = r.threshold_modal_gain_per_cm
    thr = threshold_from_modal_gain(material=point.gain_material, threshold_modal_gain_per_cm=g_th,
                                    confinement=r.confinement_power, thickness_nm=gain_nm,
                                    wavelength_nm=r.wavelength_nm, perovskite=gain_perovskite(stack))
    q = cavity_q(wavelength_nm=r.wavelength_nm, modal_gain_per_cm=g_th, group_index=r.group_index)
    record = DfbAnalyticRecord(
        bragg_wavelength_nm=r.bragg_wavelength_nm, bragg_residual_nm=r.bragg_residual_nm,
        stopband_short_nm=r.cmt.stopband_short_nm, stopband_long_nm=r.cmt.stopband_long_nm, neff_high=r.neff_high,
        neff_low=r.neff_low, group_index=r.group_index, kappa_per_cm=r.kappa_per_cm, kappa_L=r.kappa_L,
        radiation_per_cm=r.radiation_per_cm, radiating_edge=r.radiating_edge or "", confinement=r.confinement,
        confinement_power=r.confinement_power, modal_loss_per_cm=r.modal_loss_per_cm,
        mirror_loss_per_cm=r.mirror_loss_per_cm, photon_lifetime_ps=photon_lifetime_ps(q=q, wavelength_nm=r.wavelength_nm),
        side_modes=tuple(SpectralLine(wavelength_nm=m.wavelength_nm, power_gain_per_cm=m.power_gain_per_cm)
                         for m in r.cmt.modes[1:]), n_avg=r.n_avg, gain_window_low_nm=r.gain_window_nm[0],
        gain_window_high_nm=r.gain_window_nm[1], bragg_note=r.bragg_note)
    if is_device(point.cavity):
        metrics, device = device if device is not None else analytic_device(point, r, stack=stack)
        return metrics, record, device
    return design_metrics(thr, wavelength_nm=r.wavelength_nm, q=q, modal_gain_per_cm=g_th, thickness_nm=gain_nm), record, None


def _finite_or_none(v):
    return v if isinstance(v, (int, float)) and math.isfinite(v) else None


def _dfb_solver(point: DesignPoint, solver: str, settings: SolverSettings | None, *, rcwa=None, analytic=None,
                analytic_device=None):
    """MEEP FDTD ("fdtd") or RCWA of the DFB built from the point; a solver status other than ok raises (the
    design is recorded as failed). The stored record keeps the field snapshot as stored (4 digits), no history.
    MEEP's RCWA cross-check compares ``rcwa`` (the design's RCWA record) when given, else solves RCWA; MEEP starts
    from ``analytic`` (rebuilt from the design's analytic result) when given, else solves it."""
    stack = point.stack.resolve()
    r = solve_dfb(solver=solver, stack=stack, grating=dfb_grating(point.cavity), settings=settings, analytic=analytic)
    if r.status != "ok":
        raise ValueError(f"{solver.upper()} status {r.status}: {'; '.join(r.warnings)}")
    cross = None
    if solver == "fdtd":
        cross = rcwa_beside_meep(stack=stack, meep_result=r, rcwa_result=rcwa)
        r = _with_bands(r.stored(), stack=stack, point=point, settings=settings)
    gain_nm = gain_thickness_nm(stack)
    g_mat = _finite_or_none(r.threshold_material_gain_per_cm)
    thr = threshold_from_material_gain(material=point.gain_material, material_gain_per_cm=g_mat, thickness_nm=gain_nm,
                                       wavelength_nm=_finite_or_none(r.lasing_wavelength_nm),
                                       perovskite=gain_perovskite(stack))
    edges = [q for q in (_finite_or_none(r.q_short), _finite_or_none(r.q_long)) if q]
    q = _finite_or_none(r.lasing_q) or max(edges or [math.nan])
    metrics = DesignMetrics(
        wavelength_nm=r.lasing_wavelength_nm, q_estimate=q, threshold_modal_gain_per_cm=r.threshold_modal_gain_per_cm,
        threshold_material_gain_per_cm=r.threshold_material_gain_per_cm,
        threshold_density_per_cm3=thr.carrier_density_per_cm3, plqy_at_threshold=thr.plqy,
        threshold_current_density_a_per_cm2=thr.current_density_A_per_cm2, below_auger_limit=thr.below_auger_limit,
        gain_thickness_nm=gain_nm, gain_model=thr.gain_model, gain_peak_detuning_nm=thr.gain_peak_detuning_nm,
        gain_note=thr.gain_note)
    if is_device(point.cavity):
        def solve_cell(section):  # the device's other section geometries with the same solver and settings
            grating = DfbGrating(period_nm=section.period_nm, duty_cycle=section.duty_cycle, order=section.order,
                                 n_periods=section.n_periods)
            return solve_dfb(solver=solver, stack=stack, grating=grating, settings=settings)

        metrics, device = solver_device(point, r, stack=stack, analytic=analytic_device, solve_cell=solve_cell)
        return metrics, r, cross, device
    return metrics, r, cross, None


def _with_bands(r, *, stack, point: DesignPoint, settings: SolverSettings):
    """A MEEP unit-cell record with its Bloch band points (the report's band diagram) at the ladder's first rung."""
    if r.mode != "unit_cell" or r.details is None:
        return r
    from perocav.fdtd.bands import record_bands  # lazy: loads meep

    history = r.details.history
    res = history[0].resolution_px_per_um if history else r.resolution_px_per_um
    bands = record_bands(stack=stack, grating=dfb_grating(point.cavity), resolution_px_per_um=res,
                         settings=settings.fdtd)
    return replace(r, details=replace(r.details, bands=bands))


def size_um(cavity: DfbCavity) -> float:
    """The grating length [um]."""
    return cavity.length_um


def _mask_params(mask) -> dict:
    """The die's LED stripe across the grating."""
    return {"stripe_width_um": mask.stripe_width_um}


FAMILY = CavityFamily(spec=DfbCavity, solve=solve, fidelities=FIDELITIES, size_um=size_um,
                      records={"dfb_analytic": DfbAnalyticRecord, "dfb_solver": DfbSolverResult}, analytic_batch=True, detail=dfb_detail,
                      mask_params=_mask_params)
