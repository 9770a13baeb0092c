"""The checks of the ``dfb_grating`` cell and the teeth it draws, without gdsfactory: the design-file gate
(``perocav.designs.design_gate``) checks thousands of sweep points with them in a second, the cell draws from
``grating_teeth``. Every failure is the cell's one-line InputError."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from perocav.layout.checks import (
    at_least,
    fraction_open,
    min_space_nm,
    min_width_nm,
    on_grid_nm,
    one_of,
    positive_int,
    um_on_grid_nm,
)
from perocav.layout.device_teeth import DeviceTeeth, device_teeth
from perocav.pdk.errors import InputError

CELL = "dfb_grating"
APODIZATIONS = ("none", "raised_cosine", "gaussian")


def _sections(order: int | str, n_periods: int, sections: Sequence[Sequence[int]] | None) -> list[tuple[int, int]]:
    """[(order, n_periods), ...] left to right."""
    one_of(order, (1, 2, "mixed"), field="order", cell=CELL)
    if order != "mixed":
        if sections:
            raise InputError("sections are only used with order='mixed'", field="sections", allowed="omit", source=CELL)
        return [(int(order), positive_int(n_periods, field="n_periods", cell=CELL))]
    if not sections:
        raise InputError("order='mixed' needs sections", field="sections",
                         allowed="list of [order, n_periods], order 1 or 2", source=CELL)
    out = []
    for i, sec in enumerate(sections):
        if len(sec) != 2:
            raise InputError(f"{sec!r} is not [order, n_periods]", field=f"sections[{i}]",
                             allowed="[1 or 2, integer >= 1]", source=CELL)
        one_of(sec[0], (1, 2), field=f"sections[{i}][0]", cell=CELL)
        out.append((int(sec[0]), positive_int(sec[1], field=f"sections[{i}][1]", cell=CELL)))
    return out


def _apodized(duty: float, min_duty: float, kind: str, u: float) -> float:
    """Duty cycle at normalised position ``u`` in [-1, 1] (0 = centre)."""
    if kind == "none":
        return duty
    profile = 0.5 * (1.0 + math.cos(math.pi * u)) if kind == "raised_cosine" else math.exp(-4.0 * u * u)
    return min_duty + (duty - min_duty) * profile


@dataclass(frozen=True)
class _Checked:
    """Validated settings: period_nm on the grid, sections [(order, n_periods), ...], stripe_nm."""

    period_nm: int
    sections: list[tuple[int, int]]
    stripe_nm: int


def _checked(*, period_nm: float, duty_cycle: float, n_periods: int, order: int | str,
             sections: Sequence[Sequence[int]] | None, apodization: str, apodization_min_duty: float,
             stripe_width_um: float) -> _Checked:
    """The cell's settings checked against the GRATING rules, in the cell's order of checks."""
    period = on_grid_nm(period_nm, field="period_nm", cell=CELL)
    fraction_open(duty_cycle, field="duty_cycle", cell=CELL)
    secs = _sections(order, n_periods, sections)
    one_of(apodization, APODIZATIONS, field="apodization", cell=CELL)
    if apodization != "none":
        fraction_open(apodization_min_duty, field="apodization_min_duty", cell=CELL)
    w_min, s_min = min_width_nm("GRATING"), min_space_nm("GRATING")
    if order == "mixed" and period % 2:
        raise InputError(f"{period} nm is odd: 1st-order sections need period_nm / 2 on the grid",
                         field="period_nm", allowed="even integer nm", source=CELL)
    at_least(period, w_min + s_min, field="period_nm", cell=CELL, unit="nm",
             why=f"GRATING min width {w_min} nm + min space {s_min} nm")
    stripe_nm = um_on_grid_nm(stripe_width_um, field="stripe_width_um", cell=CELL)
    at_least(stripe_nm / 1000, w_min / 1000, field="stripe_width_um", cell=CELL, unit="um", why="GRATING min width")
    return _Checked(period_nm=period, sections=secs, stripe_nm=stripe_nm)


def _shifts(*, quarter_wave_shift: bool, phase_shifts: Sequence[Sequence[float]], first_order_period_nm: float,
            total: int) -> dict[int, int]:
    """{period index: gap (nm) inserted before it}: the quarter-wave shift after the middle period plus
    the checked ``phase_shifts`` (summed where they coincide)."""
    shifts: dict[int, int] = {}
    if quarter_wave_shift:
        shifts[total // 2] = int(round(first_order_period_nm / 2))
    for i, item in enumerate(phase_shifts):
        if len(item) != 2:
            raise InputError(f"{item!r} is not [after_period, shift_nm]", field=f"phase_shifts[{i}]",
                             allowed="[integer 1..n-1, shift_nm > 0]", source=CELL)
        after = item[0]
        if isinstance(after, bool) or not isinstance(after, int) or not 1 <= after <= total - 1:
            raise InputError(f"{after!r} is not inside the grating", field=f"phase_shifts[{i}][0]",
                             allowed=f"integer 1..{total - 1}", source=CELL)
        shift = on_grid_nm(item[1], field=f"phase_shifts[{i}][1]", cell=CELL)
        at_least(shift, 1, field=f"phase_shifts[{i}][1]", cell=CELL, unit="nm")
        shifts[after] = shifts.get(after, 0) + shift
    return shifts


def _starts(periods: Sequence[int], shifts: dict[int, int]) -> tuple[list[int], int]:
    """Left edge (nm, from 0) of every period, with the shift gaps, and the nominal length (nm)."""
    starts: list[int] = []
    x = 0
    for i, p in enumerate(periods):
        if i in shifts:
            x += shifts[i]
        starts.append(x)
        x += p
    return starts, x


def _tooth_widths(*, starts: Sequence[int], periods: Sequence[int], length_nominal: int, duty_cycle: float,
                  apodization: str, apodization_min_duty: float) -> list[int]:
    """Tooth width (nm) of every period, apodized along the grating; GRATING width/space checked."""
    w_min, s_min = min_width_nm("GRATING"), min_space_nm("GRATING")
    widths: list[int] = []
    for i, (x0, p) in enumerate(zip(starts, periods, strict=True)):
        u = ((x0 + p / 2) / length_nominal) * 2.0 - 1.0
        duty = _apodized(duty_cycle, apodization_min_duty, apodization, u)
        w = int(round(duty * p))
        field = "apodization_min_duty" if apodization != "none" else "duty_cycle"
        if w < w_min:
            raise InputError(f"tooth {i} is {w} nm wide (duty {duty:.3f} of {p} nm), below GRATING min width",
                             field=field, allowed=f"duty >= {w_min / p:.3f} for a {p} nm period", source=CELL)
        if p - w < s_min:
            raise InputError(f"gap {i} is {p - w} nm (duty {duty:.3f} of {p} nm), below GRATING min space",
                             field=field, allowed=f"duty <= {1 - s_min / p:.3f} for a {p} nm period", source=CELL)
        widths.append(w)
    return widths


def grating_teeth(*, period_nm, duty_cycle, n_periods, order, sections, quarter_wave_shift, phase_shifts, apodization,
           apodization_min_duty, stripe_width_um):
    """Every check of the cell, in its order, and the teeth it would draw: (checked settings, period lengths,
    shifts, left edges, widths), all nm."""
    ok = _checked(period_nm=period_nm, duty_cycle=duty_cycle, n_periods=n_periods, order=order, sections=sections,
                  apodization=apodization, apodization_min_duty=apodization_min_duty, stripe_width_um=stripe_width_um)
    top_order = 2 if order == "mixed" else int(order)
    periods = [ok.period_nm * o // top_order for o, n in ok.sections for _ in range(n)]  # each period's length (nm)
    shifts = _shifts(quarter_wave_shift=quarter_wave_shift, phase_shifts=phase_shifts,
                     first_order_period_nm=ok.period_nm / top_order, total=len(periods))
    starts, length_nominal = _starts(periods, shifts)
    widths = _tooth_widths(starts=starts, periods=periods, length_nominal=length_nominal, duty_cycle=duty_cycle,
                           apodization=apodization, apodization_min_duty=apodization_min_duty)
    return ok, periods, shifts, starts, widths


#: the settings of the uniform / mixed-order form, at their defaults: a device section list replaces them
FORM_DEFAULTS = {"period_nm": 400, "duty_cycle": 0.5, "n_periods": 100, "order": 2, "sections": None,
                 "quarter_wave_shift": False, "phase_shifts": (), "apodization": "none"}


def check_device_form(device_sections: Sequence[Sequence[float]], stripe_width_um: float,
                      given: dict) -> tuple[DeviceTeeth, int]:
    """The checks of ``dfb_grating(device_sections=...)``: the other form's settings (``given``) left at their
    defaults, the sections (``device_teeth``), the stripe; returns the teeth and the stripe width (nm)."""
    for key, default in FORM_DEFAULTS.items():
        if given[key] != default:
            raise InputError(f"{key} is set by device_sections", field=key, allowed=f"omit (default {default!r})",
                             source=CELL)
    teeth = device_teeth(device_sections)
    stripe_nm = um_on_grid_nm(stripe_width_um, field="stripe_width_um", cell=CELL)
    at_least(stripe_nm, min_width_nm("GRATING"), field="stripe_width_um", cell=CELL, unit="nm",
             why="GRATING min width")
    return teeth, stripe_nm


def check_dfb_grating(*, period_nm: float = 400, duty_cycle: float = 0.5, n_periods: int = 100, order: int | str = 2,
                      sections: Sequence[Sequence[int]] | None = None, quarter_wave_shift: bool = False,
                      phase_shifts: Sequence[Sequence[float]] = (), apodization: str = "none",
                      apodization_min_duty: float = 0.25, stripe_width_um: float = 50.0,
                      device_sections: Sequence[Sequence[float]] | None = None) -> None:
    """Every check ``dfb_grating`` applies to these parameters (grid, design rules, shifts), without drawing:
    a design-file gate can check thousands of sweep points in a second. Raises the cell's InputError."""
    if device_sections is not None:
        check_device_form(device_sections, stripe_width_um, dict(
            period_nm=period_nm, duty_cycle=duty_cycle, n_periods=n_periods, order=order, sections=sections,
            quarter_wave_shift=quarter_wave_shift, phase_shifts=tuple(phase_shifts), apodization=apodization))
        return
    grating_teeth(period_nm=period_nm, duty_cycle=duty_cycle, n_periods=n_periods, order=order, sections=sections,
           quarter_wave_shift=quarter_wave_shift, phase_shifts=phase_shifts, apodization=apodization,
           apodization_min_duty=apodization_min_duty, stripe_width_um=stripe_width_um)
