"""A DFB design point as a device: the unit-cell numbers of each section geometry (the design's own from the
fidelity's solver, the others from the analytic model), the recombination zone's share of the mode, the
perovskite's absorption alpha0(lambda) from the material spectrum, then ``fdtd.models.device.pumped.solve_device``
and the threshold chain (material gain in the zone -> N_th -> J_th over the zone's thickness)."""

from __future__ import annotations

import math

from perocav.designs.cavities.metrics import design_metrics, gain_perovskite
from perocav.designs.device.record import DeviceRecord
from perocav.designs.gain_window import design_gain_window
from perocav.designs.threshold import threshold_from_modal_gain
from perocav.fdtd.models.device.absorption import alpha0_function
from perocav.fdtd.models.device.pumped import solve_device
from perocav.fdtd.models.device.unit_cell import SectionCell, cell_from_analytic, cell_from_solver, cell_key
from perocav.fdtd.models.device.updown import stack_emission_split
from perocav.fdtd.models.device.zone import hole_side_is_bottom, zone_share
from perocav.fdtd.models.dfb.dfb_analytic import MODE_SAMPLES, analyze_dfb_on_stack
from perocav.fdtd.models.dispersion.dispersion import region_stack
from perocav.fdtd.models.gain import cavity_q
from perocav.fdtd.models.slab.slab_modes import solve_slab_mode


def is_device(cavity) -> bool:
    """True when the cavity is more than a uniformly pumped uniform (or quarter-wave) grating: a pump opening, an
    explicit section list, mixed order or apodisation. The others are the device model's exact limit, which the
    unit-cell record's Kogelnik-Shank threshold already is."""
    return any(getattr(cavity, k) is not None for k in ("pump", "sections", "mixed_order", "apodization"))


def analytic_cells(*, stack, geometry, known: dict | None = None, window_nm=None) -> dict:
    """``SectionCell`` by ``cell_key`` for every section geometry; ``known``: cells already solved (kept);
    ``window_nm``: the design's gain window (``designs.gain_window``) where the Bragg roots are taken."""
    cells = dict(known or {})
    for s in geometry.sections:
        key = cell_key(order=s.order, period_nm=s.period_nm, duty_cycle=s.duty_cycle)
        if key not in cells:
            r = analyze_dfb_on_stack(stack=stack, period_nm=s.period_nm, duty_cycle=s.duty_cycle, order=s.order,
                                     length_um=s.length_um, window_nm=window_nm)
            cells[key] = cell_from_analytic(r, order=s.order, period_nm=s.period_nm, duty_cycle=s.duty_cycle)
    return cells


def _zone(stack, geometry, ref: SectionCell) -> tuple[float, float]:
    """(zone share of the gain layer's |E|^2, zone thickness nm) of the pump's recombination zone."""
    pump, gain = geometry.pump, stack.gain_layer
    thickness = stack.layer(gain).thickness_nm
    if pump.zone_side == "uniform":
        return 1.0, thickness
    avg = region_stack(stack=stack, region="average", duty_cycle=ref.duty_cycle)
    mode = solve_slab_mode(profile=avg.index_profile(wavelength_nm=ref.bragg_wavelength_nm), pol="TE",
                           n_z=MODE_SAMPLES)
    bottom = hole_side_is_bottom(stack) == (pump.zone_side == "hole")
    return zone_share(mode=mode, layer=gain, fraction=pump.zone_fraction, at_bottom=bottom), pump.zone_fraction * thickness


def device_result(point, *, stack, cells: dict, model: str):
    """(DesignMetrics, DeviceRecord) of ``point``'s device with the unit-cell ``cells``."""
    geometry = point.cavity.geometry()
    main = cells[cell_key(order=point.cavity.order, period_nm=point.cavity.period_nm,
                          duty_cycle=point.cavity.duty_cycle)] if len(cells) else None
    ref = main or next(iter(cells.values()))
    share, zone_nm = _zone(stack, geometry, ref)
    up = stack_emission_split(stack=stack, wavelength_nm=ref.bragg_wavelength_nm).up
    n_sub = float(stack.index_profile(wavelength_nm=ref.bragg_wavelength_nm).n_substrate.real)
    sol = solve_device(geometry=geometry, cells=cells, zone_share=share, absorption_per_cm=alpha0_function(stack),
                       up_fraction=up, n_substrate=n_sub)
    line = sol.lines[0]
    g_p = line.threshold_modal_gain_per_cm
    thr = threshold_from_modal_gain(material=point.gain_material, threshold_modal_gain_per_cm=g_p,
                                    confinement=sol.zone_confinement, thickness_nm=zone_nm,
                                    wavelength_nm=line.wavelength_nm, perovskite=gain_perovskite(stack))
    n_g = ref.group_index
    q = cavity_q(wavelength_nm=line.wavelength_nm, modal_gain_per_cm=g_p, group_index=n_g)
    record = DeviceRecord(model=model, solution=sol, cells=tuple(cells[k] for k in sorted(cells)),
                          zone_thickness_nm=zone_nm)
    metrics = design_metrics(thr, wavelength_nm=line.wavelength_nm, q=q, modal_gain_per_cm=g_p, thickness_nm=zone_nm)
    return metrics, record


def analytic_device(point, r, *, stack):
    """The device at the analytic fidelity; ``r``: the design's own ``DfbAnalytic`` (its main section)."""
    c = point.cavity
    known = {cell_key(order=c.order, period_nm=c.period_nm, duty_cycle=c.duty_cycle):
             cell_from_analytic(r, order=c.order, period_nm=c.period_nm, duty_cycle=c.duty_cycle)}
    cells = analytic_cells(stack=stack, geometry=c.geometry(), known=known,
                           window_nm=design_gain_window(point, stack=stack))
    return device_result(point, stack=stack, cells=cells, model="analytic")


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
