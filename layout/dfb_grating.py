"""1D DFB grating embedded in the substrate (GRATING layer): uniform 1st/2nd order or mixed-order
sections, phase shifts, optional duty-cycle apodization, or a device's section list (``device_sections``: per-section
order, period, duty, periods and shift gap, drawn as ``layout.device_teeth`` states). Grating lines run along y,
the grating along x."""

from __future__ import annotations

from collections.abc import Sequence

import gdsfactory as gf
import klayout.db as kdb

from perocav.layout.dfb_grating_rules import APODIZATIONS, CELL, grating_teeth, check_dfb_grating  # noqa: F401 (re-export)
from perocav.layout.dfb_grating_rules import check_device_form


def _draw(xs: Sequence[int], widths: Sequence[int], stripe_nm: int) -> gf.Component:
    """Component with one GRATING box per tooth: left edges ``xs`` (nm), ``widths`` (nm), centred on y = 0."""
    c = gf.Component()
    shapes = c.shapes(gf.get_layer("GRATING"))
    half = stripe_nm // 2
    for x0, w in zip(xs, widths, strict=True):
        shapes.insert(kdb.Box(x0, -half, x0 + w, stripe_nm - half))
    return c


@gf.cell
def dfb_grating(
    period_nm: float = 400,
    duty_cycle: float = 0.5,
    n_periods: int = 100,
    order: int | str = 2,
    sections: Sequence[Sequence[int]] | None = None,
    quarter_wave_shift: bool = False,
    phase_shifts: Sequence[Sequence[float]] = (),
    apodization: str = "none",
    apodization_min_duty: float = 0.25,
    stripe_width_um: float = 50.0,
    device_sections: Sequence[Sequence[float]] | None = None,
) -> gf.Component:
    """Substrate-embedded 1D grating, centred at (0, 0), teeth (high-index) on GRATING.

    Args:
        period_nm: grating period (nm) of sections of order ``order``; with ``order='mixed'`` the
            2nd-order period, and 1st-order sections use ``period_nm / 2`` (period_nm must be even).
        duty_cycle: fraction of each period that is high-index tooth, in (0, 1).
        n_periods: number of periods (uniform gratings).
        order: 1, 2 or 'mixed'.
        sections: for 'mixed': [[order, n_periods], ...] left to right, e.g. [[1, 100], [2, 20], [1, 100]].
        quarter_wave_shift: insert a quarter-wave (pi phase of the 1st-order Bragg grating) shift of
            length period_1st / 2 (nm) after the middle period.
        phase_shifts: extra [[after_period, shift_nm], ...]: gap of shift_nm (nm) added after that many periods.
        apodization: 'none', 'raised_cosine' or 'gaussian' profile of the duty cycle along the grating.
        apodization_min_duty: duty cycle at both ends when apodized.
        stripe_width_um: length of the grating lines (um), i.e. width of the grating stripe.
        device_sections: a finite device instead of the settings above (which then stay at their defaults):
            ((order 0/1/2, period_nm, duty_cycle, n_periods, shift_nm), ...) left to right, as
            ``layout.device_geometry.SectionGeometry`` (``layout.device_cell_params.grating_cell_params`` builds it);
            teeth centred on each section's lattice points, the device's centre (length / 2) at x = 0.

    info: tooth_x_nm (left edges, nm, in cell coordinates) and tooth_width_nm of every tooth, periods_nm,
    phase_shift_x_nm, length_nm, n_teeth and the effective settings; with ``device_sections`` also z0_x_nm (x of
    the device's z = 0) and section_x_nm (every section's [start, end] in x, exact).
    """
    if device_sections is not None:
        given = dict(period_nm=period_nm, duty_cycle=duty_cycle, n_periods=n_periods, order=order, sections=sections,
                     quarter_wave_shift=quarter_wave_shift, phase_shifts=tuple(phase_shifts), apodization=apodization)
        return _device_grating(device_sections, stripe_width_um, given)
    ok, periods, shifts, starts, widths = grating_teeth(
        period_nm=period_nm, duty_cycle=duty_cycle, n_periods=n_periods, order=order, sections=sections,
        quarter_wave_shift=quarter_wave_shift, phase_shifts=phase_shifts, apodization=apodization,
        apodization_min_duty=apodization_min_duty, stripe_width_um=stripe_width_um)
    offset = -((starts[0] + starts[-1] + widths[-1]) // 2)  # centre the teeth on x = 0
    xs = [s + offset for s in starts]
    c = _draw(xs, widths, ok.stripe_nm)

    c.info["period_nm"] = ok.period_nm
    c.info["periods_nm"] = periods
    c.info["order"] = str(order)
    c.info["sections"] = [list(s) for s in ok.sections]
    c.info["duty_cycle"] = duty_cycle
    c.info["n_teeth"] = len(periods)
    c.info["tooth_x_nm"] = xs
    c.info["tooth_width_nm"] = widths
    c.info["phase_shift_x_nm"] = [starts[i] - shifts[i] + offset for i in sorted(shifts)]  # where each shift starts
    c.info["phase_shift_nm"] = [shifts[i] for i in sorted(shifts)]
    c.info["length_nm"] = xs[-1] + widths[-1] - xs[0]
    c.info["stripe_width_nm"] = ok.stripe_nm
    return c


def _device_grating(device_sections: Sequence[Sequence[float]], stripe_width_um: float, given: dict) -> gf.Component:
    """``dfb_grating(device_sections=...)``: the section list drawn as ``device_teeth`` places it."""
    teeth, stripe_nm = check_device_form(device_sections, stripe_width_um, given)
    z0 = -round(teeth.length_nm / 2)  # x of z = 0: the device centre at x = 0 (within 0.5 nm)
    xs = [x + z0 for x in teeth.lefts_nm]
    c = _draw(xs, teeth.widths_nm, stripe_nm)
    secs = [list(s) for s in device_sections]
    periods = [secs[i][1] for i in teeth.section_of_tooth]
    starts = [lo for lo, _ in teeth.bounds_nm]
    info = dict(order="device", period_nm=max(p for _, p, *_ in secs), periods_nm=periods, sections=secs,
                duty_cycle=None, n_teeth=len(xs), tooth_x_nm=xs, tooth_width_nm=list(teeth.widths_nm),
                phase_shift_x_nm=[starts[i] - s[4] + z0 for i, s in enumerate(secs) if i and s[4]],
                phase_shift_nm=[s[4] for i, s in enumerate(secs) if i and s[4]],
                length_nm=xs[-1] + teeth.widths_nm[-1] - xs[0], stripe_width_nm=stripe_nm, z0_x_nm=z0,
                section_x_nm=[[lo + z0, hi + z0] for lo, hi in teeth.bounds_nm])
    for key, value in info.items():
        c.info[key] = value
    return c
