"""1D DFB grating embedded in the substrate (GRATING layer): uniform 1st/2nd order or mixed-order
sections, phase shifts, optional duty-cycle apodization. Grating lines run along y, the grating along x."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import gdsfactory as gf
import klayout.db as kdb

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


def _draw(xs: Sequence[int], widths: Sequence[int], stripe_nm: int) -> gf.Component:
    """Component with one GRATING box per tooth: left edges ``xs`` (nm), ``widths`` (nm), centred on y = 0."""
    c = gf.Component()
    shapes = c.shapes(gf.get_layer("GRATING"))
    half = stripe_nm // 2
    for x0, w in zip(xs, widths, strict=True):
        shapes.insert(kdb.Box(x0, -half, x0 + w, stripe_nm - half))
    return c


def _teeth(*, period_nm, duty_cycle, n_periods, order, sections, quarter_wave_shift, phase_shifts, apodization,
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


def check_dfb_grating(*, period_nm: float = 400, duty_cycle: float = 0.5, n_periods: int = 100, order: int | str = 2,
                      sections: Sequence[Sequence[int]] | None = None, quarter_wave_shift: bool = False,
                      phase_shifts: Sequence[Sequence[float]] = (), apodization: str = "none",
                      apodization_min_duty: float = 0.25, stripe_width_um: float = 50.0) -> None:
    """Every check ``dfb_grating`` applies to these parameters (grid, design rules, shifts), without drawing:
    a design-file gate can check thousands of sweep points in a second. Raises the cell's InputError."""
    _teeth(period_nm=period_nm, duty_cycle=duty_cycle, n_periods=n_periods, order=order, sections=sections,
           quarter_wave_shift=quarter_wave_shift, phase_shifts=phase_shifts, apodization=apodization,
           apodization_min_duty=apodization_min_duty, stripe_width_um=stripe_width_um)


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

    info: tooth_x_nm (left edges, nm, in cell coordinates) and tooth_width_nm of every tooth, periods_nm,
    phase_shift_x_nm, length_nm, n_teeth and the effective settings.
    """
    ok, periods, shifts, starts, widths = _teeth(
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
