"""A DFB design point as a device: the unit-cell numbers of each section geometry (the design's own from the
fidelity's solver, the others from the analytic model), the recombination zone's share of the mode, the
perovskite's absorption alpha0(lambda) from the material spectrum, then ``fdtd.models.device.pumped.solve_device``
and the threshold chain (material gain in the zone -> N_th -> J_th over the zone's thickness)."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from perocav.designs.cavities.metrics import design_metrics, gain_perovskite
from perocav.designs.device.ranking import ZoneGainRanking
from perocav.designs.device.record import DeviceRecord
from perocav.designs.gain_window import design_gain_window
from perocav.designs.threshold import threshold_from_modal_gain
from perocav.fdtd.models.device.absorption import alpha0_function
from perocav.fdtd.models.device.cell_layers import with_layer_shares
from perocav.fdtd.models.device.plan import DevicePlan, device_plan
from perocav.fdtd.models.device.pumped import DeviceSolution, solve_plan
from perocav.fdtd.models.device.pumped_batch import solve_devices
from perocav.fdtd.models.device.unit_cell import SectionCell, cell_from_analytic, cell_from_solver, cell_key
from perocav.fdtd.models.device.updown import stack_emission_split
from perocav.fdtd.models.device.zone import zone_share
from perocav.fdtd.models.dfb.dfb_analytic import analyze_dfb_on_stack
from perocav.fdtd.models.gain import cavity_q


def is_device(cavity) -> bool:
    """True when the cavity is more than a uniformly pumped uniform (or quarter-wave) grating: a pump opening, an
    explicit section list, mixed order or apodisation. The others are the device model's exact limit, which the
    unit-cell record's Kogelnik-Shank threshold already is."""
    return any(getattr(cavity, k) is not None for k in ("pump", "sections", "mixed_order", "apodization"))


def analytic_cells(*, stack, geometry, known: dict | None = None, window_nm=None) -> dict:
    """``SectionCell`` by ``cell_key`` for every section geometry, each with its modal loss's layer split
    (``cell_layers``); ``known``: cells already solved (kept); ``window_nm``: the design's gain window
    (``designs.gain_window``) where the Bragg roots are taken."""
    cells = dict(known or {})
    for s in geometry.sections:
        key = cell_key(order=s.order, period_nm=s.period_nm, duty_cycle=s.duty_cycle)
        if key not in cells:
            r = analyze_dfb_on_stack(stack=stack, period_nm=s.period_nm, duty_cycle=s.duty_cycle, order=s.order,
                                     length_um=s.length_um, window_nm=window_nm)
            cells[key] = cell_from_analytic(r, order=s.order, period_nm=s.period_nm, duty_cycle=s.duty_cycle)
    return with_layer_shares(cells, stack=stack)


def _zone(stack, geometry, ref: SectionCell) -> tuple[float, float]:
    """(zone share of the gain layer's mode, zone thickness nm) of the pump's recombination zone: the one zone
    confinement (``models.slab.zone_modal``, as the finite-device FDTD takes it) of the main section's averaged
    guide at its Bragg point, the rest of the film absorbing alpha0 there."""
    pump, thickness = geometry.pump, stack.layer(stack.gain_layer).thickness_nm
    if pump.zone_side == "uniform":
        return 1.0, thickness
    share = zone_share(stack=stack, duty_cycle=ref.duty_cycle, wavelength_nm=ref.bragg_wavelength_nm, pump=pump,
                       alpha_unpumped_per_cm=alpha0_function(stack)(ref.bragg_wavelength_nm))
    return share, pump.zone_fraction * thickness


@dataclass(frozen=True)
class DeviceInputs:
    """What the device solve of one design takes: the engine's plan, alpha0(lambda), the zone's gain ranking, the
    stack's upward share of the radiated power, the zone's thickness [nm] and the substrate's index (the downward far
    field's medium)."""

    plan: DevicePlan
    absorption_per_cm: Callable[[float], float]
    ranking: ZoneGainRanking
    up_fraction: float
    zone_thickness_nm: float
    n_substrate: float = 1.0


def device_inputs(point, *, stack, cells: dict) -> DeviceInputs:
    """The device inputs of ``point`` with the unit-cell ``cells``."""
    geometry = point.cavity.geometry()
    main = cells[cell_key(order=point.cavity.order, period_nm=point.cavity.period_nm,
                          duty_cycle=point.cavity.duty_cycle)] if len(cells) else None
    ref = main or next(iter(cells.values()))
    share, zone_nm = _zone(stack, geometry, ref)
    plan = device_plan(geometry=geometry, cells=cells, zone_share=share,
                       gain_layer=stack.gain_layer or "gain layer")
    ranking = ZoneGainRanking(material=point.gain_material, confinement=plan.ref.confinement_power * share,
                              perovskite=gain_perovskite(stack))
    up = stack_emission_split(stack=stack, wavelength_nm=ref.bragg_wavelength_nm).up
    n_sub = float(stack.index_profile(wavelength_nm=ref.bragg_wavelength_nm).n_substrate.real)
    return DeviceInputs(plan=plan, absorption_per_cm=alpha0_function(stack), ranking=ranking, up_fraction=up,
                        zone_thickness_nm=zone_nm, n_substrate=n_sub)


def device_outcome(point, *, stack, cells: dict, sol: DeviceSolution, zone_thickness_nm: float, model: str):
    """(DesignMetrics, DeviceRecord) of ``point``'s solved device (its lasing line: ``sol.lines[0]``)."""
    ref = cells.get(cell_key(order=point.cavity.order, period_nm=point.cavity.period_nm,
                             duty_cycle=point.cavity.duty_cycle)) or next(iter(cells.values()))
    line = sol.lines[0]
    g_p = line.threshold_modal_gain_per_cm
    thr = threshold_from_modal_gain(material=point.gain_material, threshold_modal_gain_per_cm=g_p,
                                    confinement=sol.zone_confinement, thickness_nm=zone_thickness_nm,
                                    wavelength_nm=line.wavelength_nm, perovskite=gain_perovskite(stack))
    q = cavity_q(wavelength_nm=line.wavelength_nm, modal_gain_per_cm=g_p, group_index=ref.group_index)
    record = DeviceRecord(model=model, solution=sol, cells=tuple(cells[k] for k in sorted(cells)),
                          zone_thickness_nm=zone_thickness_nm)
    metrics = design_metrics(thr, wavelength_nm=line.wavelength_nm, q=q, modal_gain_per_cm=g_p,
                             thickness_nm=zone_thickness_nm)
    return metrics, record


def device_result(point, *, stack, cells: dict, model: str):
    """(DesignMetrics, DeviceRecord) of ``point``'s device with the unit-cell ``cells`` (the scalar engine)."""
    inp = device_inputs(point, stack=stack, cells=cells)
    sol = solve_plan(plan=inp.plan, absorption_per_cm=inp.absorption_per_cm, ranking=inp.ranking,
                     up_fraction=inp.up_fraction, n_substrate=inp.n_substrate)
    return device_outcome(point, stack=stack, cells=cells, sol=sol, zone_thickness_nm=inp.zone_thickness_nm,
                          model=model)


def analytic_device_cells(point, r, *, stack) -> dict:
    """The unit cells of ``point``'s device at the analytic fidelity; ``r``: the design's own ``DfbAnalytic``."""
    c = point.cavity
    known = {cell_key(order=c.order, period_nm=c.period_nm, duty_cycle=c.duty_cycle):
             cell_from_analytic(r, order=c.order, period_nm=c.period_nm, duty_cycle=c.duty_cycle)}
    return analytic_cells(stack=stack, geometry=c.geometry(), known=known,
                          window_nm=design_gain_window(point, stack=stack))


def analytic_devices(items, *, stack) -> list:
    """(DesignMetrics, DeviceRecord) or the ValueError of every (point, DfbAnalytic) of one stack, all devices in
    one vectorised solve (``pumped_batch``); numbers as ``analytic_device``'s."""
    cells, inputs, out = [], [], []
    for point, r in items:
        try:
            c = analytic_device_cells(point, r, stack=stack)
            inputs.append(device_inputs(point, stack=stack, cells=c))
            cells.append(c)
        except ValueError as err:
            inputs.append(err)
            cells.append(None)
    live = [k for k, x in enumerate(inputs) if not isinstance(x, ValueError)]
    sols = solve_devices(plans=[inputs[k].plan for k in live],
                         absorption_per_cm=[inputs[k].absorption_per_cm for k in live],
                         rankings=[inputs[k].ranking for k in live], up_fractions=[inputs[k].up_fraction for k in live],
                         n_substrates=[inputs[k].n_substrate for k in live])
    by_k = dict(zip(live, sols))
    for k, (point, _) in enumerate(items):
        sol = by_k.get(k, inputs[k])
        if isinstance(sol, ValueError):
            out.append(sol)
            continue
        out.append(device_outcome(point, stack=stack, cells=cells[k], sol=sol,
                                  zone_thickness_nm=inputs[k].zone_thickness_nm, model="analytic"))
    return out


def analytic_device(point, r, *, stack):
    """The device at the analytic fidelity; ``r``: the design's own ``DfbAnalytic`` (its main section)."""
    return device_result(point, stack=stack, cells=analytic_device_cells(point, r, stack=stack), model="analytic")


def solver_device(point, r, *, stack, analytic: DeviceRecord | None, solve_cell=None):
    """The device with every section geometry's unit cell from the RCWA / MEEP solver of ``r`` (the design's own
    record): ``solve_cell(section) -> DfbSolverResult`` solves the other geometries (a mixed-order device's
    1st-order sections, an apodised device's duty steps); a geometry the solver fails on, or every other one
    without ``solve_cell``, keeps the analytic model's numbers and the ``model`` text says which.
    ``analytic``: the design's analytic device record (its cells, not solved again)."""
    c = point.cavity
    known = {cell_key(order=x.order, period_nm=x.period_nm, duty_cycle=x.duty_cycle): x
             for x in (analytic.cells if analytic is not None else ())}
    geometry = c.geometry()
    cells = analytic_cells(stack=stack, geometry=geometry, known=known,
                           window_nm=design_gain_window(point, stack=stack))
    key = cell_key(order=c.order, period_nm=c.period_nm, duty_cycle=c.duty_cycle)
    if key in cells:
        cells[key] = cell_from_solver(r, analytic=cells[key])
    fallback = []
    for s in {cell_key(order=x.order, period_nm=x.period_nm, duty_cycle=x.duty_cycle): x
              for x in geometry.sections}.values():
        k = cell_key(order=s.order, period_nm=s.period_nm, duty_cycle=s.duty_cycle)
        if k == key:
            continue
        other = _solved(solve_cell, s)
        if other is None:
            fallback.append(f"{s.period_nm:g} nm/{s.duty_cycle:.2f}")
        else:
            cells[k] = cell_from_solver(other, analytic=cells[k])
    model = r.model + (f", analytic for {', '.join(sorted(fallback))}" if fallback else "")
    return device_result(point, stack=stack, cells=cells, model=model)


def _solved(solve_cell, section):
    """The solver record of one section geometry (None: no solver given, or it did not find both edges)."""
    if solve_cell is None:
        return None
    try:
        res = solve_cell(section)
    except ValueError:  # InputError included: the solver's one-line reason; the analytic cell stands
        return None
    return res if res.status == "ok" and math.isfinite(res.kappa_per_cm) else None
