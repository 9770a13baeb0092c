"""``perocav simulate device``'s work: the design file's cavity (not its sweep) as a device, by the coupled-mode
device model or, with ``solver="meep"``, by the finite-device FDTD run beside it. JSON-ready numbers out."""

from __future__ import annotations

import math

from perocav.designs.cavities.dfb_device import analytic_device
from perocav.designs.gain_window import design_gain_window
from perocav.designs.spec import DesignPoint, DfbCavity, load_design
from perocav.fdtd.models.dfb.dfb_analytic import analyze_dfb_on_stack
from perocav.pdk.errors import InputError


def _finite(v):
    return v if not (isinstance(v, float) and not math.isfinite(v)) else None


def cmt_device(path: str):
    """(point, metrics, DeviceRecord) of the design file's cavity by the coupled-mode device model."""
    spec = load_design(path)
    if not isinstance(spec.cavity, DfbCavity):
        raise InputError(f"cavity type {spec.cavity.type!r}", field="cavity.type", allowed="dfb", source=str(path))
    point = DesignPoint(stack=spec.stack, cavity=spec.cavity, gain_material=spec.gain_material)
    stack, c = point.stack.resolve(), point.cavity
    r = analyze_dfb_on_stack(stack=stack, period_nm=c.period_nm, duty_cycle=c.duty_cycle, order=c.order,
                             length_um=c.length_um, phase_shift_rad=math.pi if c.phase_shift == "quarter_wave" else 0.0,
                             window_nm=design_gain_window(point, stack=stack))
    metrics, record = analytic_device(point, r, stack=stack)
    return point, metrics, record


def simulate_device_design(path: str, *, solver: str) -> dict:
    """The device's numbers: threshold modal gain and gain margin [1/cm], wavelength [nm], the threshold chain, and
    every mode found; with ``solver="meep"`` the FDTD threshold beside the coupled-mode one."""
    point, m, rec = cmt_device(path)
    sol = rec.solution
    out = {"solver": "cmt", "device_model": rec.model,
           "threshold_modal_gain_per_cm": sol.lines[0].threshold_modal_gain_per_cm,
           "gain_margin_per_cm": sol.gain_margin_per_cm, "wavelength_nm": sol.lines[0].wavelength_nm,
           "threshold_material_gain_per_cm": m.threshold_material_gain_per_cm,
           "zone_confinement": sol.zone_confinement, "threshold_density_per_cm3": m.threshold_density_per_cm3,
           "threshold_current_density_a_per_cm2": m.threshold_current_density_a_per_cm2,
           "pumped_fraction": sol.pumped_fraction, "absorption_unpumped_per_cm": sol.absorption_per_cm,
           "unpumped_loss_per_cm": sol.unpumped_loss_per_cm, "gain_note": m.gain_note,
           **({} if sol.emission is None else {k: getattr(sol.emission, k) for k in (
               "eta_up", "radiated_fraction", "ends_fraction", "absorbed_unpumped_fraction", "central_lobe_fraction",
               "lobe_angle_deg", "divergence_fwhm_deg", "null_at_normal")}),
           **{k: v for k, v in rec.columns().items()
              if k in ("slope_efficiency_w_per_a", "differential_quantum_efficiency", "absorbed_by_layer")},
           "modes": [{"threshold_modal_gain_per_cm": x.threshold_modal_gain_per_cm, "wavelength_nm": x.wavelength_nm,
                      "detuning_per_cm": x.detuning_per_cm, **_mode_emission(sol, i)} for i, x in enumerate(sol.lines)]}
    if solver == "meep":
        out = _with_meep(point, rec, out)
    return {k: _finite(v) for k, v in out.items()}


def _mode_emission(sol, i: int) -> dict:
    """Mode i's upward emission and slope (device CMT budget), empty when it has none."""
    if i >= len(sol.mode_emissions):
        return {}
    e = sol.mode_emissions[i]
    return {"eta_up": e.budget.eta_up, "slope_efficiency_w_per_a": e.slope.slope_w_per_a,
            "differential_quantum_efficiency": e.slope.differential_quantum_efficiency,
            "central_lobe_fraction": _finite(e.central_lobe_fraction)}


def _with_meep(point, rec, cmt: dict) -> dict:
    """The FDTD run's numbers in the main keys, the coupled-mode ones under ``cmt_``."""
    from perocav.fdtd.device_fdtd import simulate_device_meep  # lazy: MEEP only for --solver meep

    stack = point.stack.resolve()
    fd = simulate_device_meep(stack=stack, geometry=point.cavity.geometry(),
                              alpha_unpumped_per_cm=rec.solution.absorption_per_cm)
    out = {f"cmt_{k}": v for k, v in cmt.items() if k not in ("solver", "modes")}
    out.update(solver="meep", threshold_modal_gain_per_cm=fd.threshold_modal_gain_per_cm,
               gain_margin_per_cm=fd.gain_margin_per_cm, wavelength_nm=fd.wavelength_nm,
               threshold_material_gain_per_cm=fd.threshold_material_gain_per_cm, fdtd_cpu_time_s=fd.cpu_time_s)
    geometry = point.cavity.geometry()
    if any(s.order == 2 for s in geometry.sections):  # a surface emitter: its beam and budget by FDTD too
        out.update(_meep_emission(stack, geometry, rec.solution.absorption_per_cm, fd))
    return out


def _meep_emission(stack, geometry, alpha_per_cm: float, fd) -> dict:
    """The FDTD emission keys: one more run at 0.95 x the FDTD threshold, the rung's parity and resolution."""
    from perocav.fdtd.device_emission_fdtd import EmissionFdtdSettings, simulate_device_emission_meep  # lazy: MEEP

    em = simulate_device_emission_meep(
        stack=stack, geometry=geometry, alpha_unpumped_per_cm=alpha_per_cm,
        material_gain_per_cm=0.95 * fd.threshold_material_gain_per_cm, parity=fd.rungs[-1].parity,
        settings=EmissionFdtdSettings(resolution_px_per_um=fd.resolution_px_per_um,
                                      freeze_wavelength_nm=fd.freeze_wavelength_nm))
    lb = em.up_beam.lobes
    return {"eta_up": em.eta_up, "radiated_fraction": em.up + em.down, "ends_fraction": em.ends,
            "absorbed_unpumped_fraction": em.absorbed_unpumped, "central_lobe_fraction": lb.central_lobe_fraction,
            "lobe_angle_deg": max((abs(a) for a in lb.lobe_angles_deg), default=math.nan),
            "divergence_fwhm_deg": lb.fwhm_deg, "null_at_normal": lb.dip_at_normal,
            "fdtd_emission_cpu_time_s": em.cpu_time_s, "fdtd_emission_warnings": list(em.warnings)}
