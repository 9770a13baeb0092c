"""Evaluate one design point (runs in a worker process): solver -> flat result record."""

from __future__ import annotations

import json
import math
import time
import traceback

from perocav.designs.spec import DesignPoint
from perocav.designs.threshold import threshold_from_material_gain, threshold_from_modal_gain

#: bump when an evaluator's physics changes: it is part of every cache key
EVALUATOR_VERSIONS = {"analytic": "analytic/5", "fdtd": "dfb-fdtd/4", "rcwa": "dfb-rcwa/1"}  # analytic 5: circular/WGM modes self-consistent with the dispersion, in the gain window; fdtd 4: mode profile and frozen-media Qs in the record; analytic 4: kappa/h overlaps over the grating's own samples (were +0.9 %/+1.8 %); 3: dispersion-consistent Bragg point, n_g and FDTD media; 2: kappa from the Bragg centre


def evaluate_point(point_json: str, fidelity: str, settings_json: str = "{}") -> dict:
    """Evaluate a ``DesignPoint`` (as JSON, so it pickles cheaply) at ``fidelity`` ("analytic" or "fdtd", with
    ``FdtdSettings`` and tolerances as JSON); never raises: failures become records."""
    t0 = time.perf_counter()
    point = DesignPoint.model_validate_json(point_json)
    try:
        if fidelity == "fdtd":
            from perocav.fdtd.meep.quiet import filtered_stderr

            with filtered_stderr():  # MEEP's pixel-rounding warning would break the parent's progress bar
                record = _dfb_fdtd(point, json.loads(settings_json))
        elif fidelity == "rcwa":
            record = _dfb_rcwa(point, json.loads(settings_json))
        elif fidelity == "analytic":
            record = _dfb_analytic(point) if point.cavity.type == "dfb" else _circular_analytic(point)
        else:
            raise ValueError(f"fidelity {fidelity!r} is not an evaluator")
        record["status"] = "ok"
        record["error"] = ""
    except Exception as err:  # a failed design is recorded and the sweep goes on
        record = {"status": "failed", "error": f"{type(err).__name__}: {err}".splitlines()[0],
                  "traceback": traceback.format_exc(limit=4)}
    record["wall_time_s"] = time.perf_counter() - t0
    record["fidelity"] = fidelity
    return record


def _dfb_analytic(point: DesignPoint) -> dict:
    from perocav.fdtd.models.dfb_analytic import analyze_dfb_on_stack

    stack = point.stack.resolve()
    cav = point.cavity
    phase = math.pi if cav.phase_shift == "quarter_wave" else 0.0
    r = analyze_dfb_on_stack(stack=stack, period_nm=cav.period_nm, duty_cycle=cav.duty_cycle, order=cav.order,
                             length_um=cav.length_um, phase_shift_rad=phase)
    return dfb_analytic_record(point, r, stack=stack)


def dfb_analytic_record(point: DesignPoint, r, *, stack=None) -> dict:
    """The analytic DFB record of ``point`` from its ``DfbAnalytic`` (per-design path or the vectorised screen);
    ``stack``: the point's resolved stack, if the caller has it."""
    stack = point.stack.resolve() if stack is None else stack
    gain_nm = stack.layer(stack.gain_layer).thickness_nm
    thr = threshold_from_modal_gain(material=point.gain_material, threshold_modal_gain_per_cm=r.threshold_modal_gain_per_cm,
                                    confinement=r.confinement_power, thickness_nm=gain_nm)
    lam_cm = r.wavelength_nm * 1e-7
    q = 2 * math.pi * r.group_index / (lam_cm * r.threshold_modal_gain_per_cm) if r.threshold_modal_gain_per_cm > 0 else math.inf
    modes = r.cmt.modes
    return {
        "wavelength_nm": r.wavelength_nm,
        "bragg_wavelength_nm": r.bragg_wavelength_nm,
        "bragg_residual_nm": r.bragg_residual_nm,
        "stopband_short_nm": r.cmt.stopband_short_nm,
        "stopband_long_nm": r.cmt.stopband_long_nm,
        "neff_high": r.neff_high,
        "neff_low": r.neff_low,
        "group_index": r.group_index,
        "kappa_per_cm": r.kappa_per_cm,
        "kappa_L": r.kappa_L,
        "radiation_per_cm": r.radiation_per_cm,
        "radiating_edge": r.radiating_edge or "",
        "confinement": r.confinement,
        "confinement_power": r.confinement_power,
        "modal_loss_per_cm": r.modal_loss_per_cm,
        "mirror_loss_per_cm": r.mirror_loss_per_cm,
        "threshold_modal_gain_per_cm": r.threshold_modal_gain_per_cm,
        "threshold_material_gain_per_cm": thr.material_gain_per_cm,
        "q_estimate": q,
        "photon_lifetime_ps": q / (2 * math.pi * 2.99792458e10 / lam_cm) * 1e12,
        "threshold_density_per_cm3": thr.carrier_density_per_cm3,
        "plqy_at_threshold": thr.plqy,
        "threshold_current_density_a_per_cm2": thr.current_density_A_per_cm2,
        "below_auger_limit": thr.below_auger_limit,
        "gain_thickness_nm": gain_nm,
        "side_modes": [[m.wavelength_nm, m.power_gain_per_cm] for m in modes[1:]],
    }


def _circular_analytic(point: DesignPoint) -> dict:
    from perocav.designs.spec import build_cavity_cell
    from perocav.fdtd.models.circular_analytic import analyze_circular_on_stack, threshold_modal_gain_per_cm

    stack = point.stack.resolve()
    r = analyze_circular_on_stack(stack=stack, component=build_cavity_cell(point.cavity), window_rel=0.03)
    if r.best is None:
        raise ValueError("no resonance within 3% of the emission wavelength (no confined mode)")
    b = r.best
    g_modal = threshold_modal_gain_per_cm(q=b.q, wavelength_nm=b.wavelength_nm, group_index=r.group_index)
    gain_nm = stack.layer(stack.gain_layer).thickness_nm
    thr = threshold_from_modal_gain(material=point.gain_material, threshold_modal_gain_per_cm=g_modal,
                                    confinement=r.confinement_power, thickness_nm=gain_nm)
    lam_cm = b.wavelength_nm * 1e-7
    return {
        "wavelength_nm": b.wavelength_nm,
        "m": b.m,
        "q_estimate": b.q,
        "q_radiation": b.q_radiation,
        "q_absorption": b.q_absorption,
        "n_modes_found": len(r.modes),
        "resonance_residual_nm": r.residual_nm,  # resonance condition at the mode with indices there (slab solves)
        "resonance_passes": r.passes,
        "neff_high": r.neff_high,
        "neff_low": r.neff_low,
        "group_index": r.group_index,
        "confinement": r.confinement,
        "confinement_power": r.confinement_power,
        "modal_loss_per_cm": r.modal_loss_per_cm,
        "threshold_modal_gain_per_cm": g_modal,
        "threshold_material_gain_per_cm": thr.material_gain_per_cm,
        "photon_lifetime_ps": b.q / (2 * math.pi * 2.99792458e10 / lam_cm) * 1e12,
        "threshold_density_per_cm3": thr.carrier_density_per_cm3,
        "plqy_at_threshold": thr.plqy,
        "threshold_current_density_a_per_cm2": thr.current_density_A_per_cm2,
        "below_auger_limit": thr.below_auger_limit,
        "gain_thickness_nm": gain_nm,
        "modes": [[md.m, md.wavelength_nm, md.q] for md in r.modes],
    }


def _dfb_fdtd(point: DesignPoint, settings: dict) -> dict:
    """MEEP FDTD of the DFB (unit cell or finite grating) built from the layout cell and the stack."""
    from perocav.fdtd.dfb import simulate_dfb

    stack = point.stack.resolve()
    cav = point.cavity
    fd = settings.get("fdtd", {})
    tol = settings.get("tolerances", {})
    r = simulate_dfb(stack=stack, period_nm=cav.period_nm, duty_cycle=cav.duty_cycle, order=cav.order,
                     n_periods=cav.n_periods, quarter_wave_shift=cav.phase_shift == "quarter_wave",
                     mode=fd.get("mode", "unit_cell"), resolution_px_per_um=fd.get("resolution_px_per_um"),
                     max_resolution_px_per_um=fd.get("max_resolution_px_per_um", 400.0),
                     converge_resolution=fd.get("converge", True), force=fd.get("force", False),
                     wavelength_tol_nm=tol.get("wavelength_nm", 0.5), q_relative_tol=tol.get("q_relative", 0.05))
    d = r.to_dict()
    out = _solver_record(point=point, stack=stack, d=d, solver="FDTD")
    if r.cross_section is not None:
        out["mode_profile"] = r.cross_section.to_record()  # |E|^2 over the cell (kept out of the table), for the report
    if d.get("mode") == "unit_cell":  # the independent RCWA answer for the same cell and the differences (rcwa_*)
        from perocav.fdtd.rcwa.cross_check import rcwa_cross_check

        out.update(rcwa_cross_check(stack=stack, meep=d))
    return out


def _solver_record(*, point: DesignPoint, stack, d: dict, solver: str) -> dict:
    """Flat record of a MEEP or RCWA DFB result dict ``d``: its scalar fields plus lasing wavelength, Q and the
    threshold current chain; a status other than ok raises (the design is recorded as failed)."""
    if d.get("status") != "ok":
        raise ValueError(f"{solver} status {d.get('status')}: {'; '.join(d.get('warnings') or [])}")
    gain_nm = stack.layer(stack.gain_layer).thickness_nm
    thr = threshold_from_material_gain(material=point.gain_material,
                                       material_gain_per_cm=d.get("threshold_material_gain_per_cm"), thickness_nm=gain_nm)
    q = d.get("lasing_q") or max([v for v in (d.get("q_short"), d.get("q_long")) if v] or [math.nan])
    out = {k: v for k, v in d.items() if not isinstance(v, (list, dict))}
    out.update({
        "wavelength_nm": d.get("lasing_wavelength_nm"),
        "q_estimate": q,
        "threshold_density_per_cm3": thr.carrier_density_per_cm3,
        "plqy_at_threshold": thr.plqy,
        "threshold_current_density_a_per_cm2": thr.current_density_A_per_cm2,
        "below_auger_limit": thr.below_auger_limit,
        "gain_thickness_nm": gain_nm,
    })
    return out


def _dfb_rcwa(point: DesignPoint, settings: dict) -> dict:
    """RCWA of the DFB's unit cell (perocav.fdtd.rcwa): the same record keys as ``_dfb_fdtd``'s unit cell."""
    from perocav.fdtd.rcwa import simulate_dfb_rcwa

    stack = point.stack.resolve()
    cav = point.cavity
    r = simulate_dfb_rcwa(stack=stack, period_nm=cav.period_nm, duty_cycle=cav.duty_cycle, order=cav.order,
                          n_periods=cav.n_periods, quarter_wave_shift=cav.phase_shift == "quarter_wave")
    d = r.to_dict()
    out = _solver_record(point=point, stack=stack, d=d, solver="RCWA")
    return out
