"""The teeth of a sectioned DFB device (``dfb_grating(device_sections=...)``), without gdsfactory: the section list
checked against the GRATING rules and the teeth on the 1 nm grid, in the convention of ``layout.device_geometry``.

Convention: section i starts at z_i (the end of section i-1 plus its own ``shift_nm`` gap; z_0 = 0) and spans
``n_periods * period_nm``; a tooth of width ``duty_cycle * period_nm`` is centred in each period, on
z_i + (k + 1/2) period_nm (k = 0 .. n_periods - 1), so each section's teeth fill its bounds symmetrically (a
symmetric section list is a mirror-symmetric device, as the finite-device FDTD draws it). The grating phase this
gives each section is ``layout.device_geometry.section_phases_rad`` (from these centres); a gap of ``shift_nm``
displaces every later tooth by shift_nm. Order 0 sections (unpatterned film) draw no teeth.

Grid rounding: width w = round(duty_cycle * period_nm), left edge = round(z_centre - w / 2), both integer nm, so
every drawn tooth centre lies within 0.5 nm of its lattice point and every width within 0.5 nm of duty * period
(no error accumulates along the device: each tooth is rounded from its exact position)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from perocav.layout.checks import min_space_nm, min_width_nm, one_of, positive_int
from perocav.pdk.errors import InputError

CELL = "dfb_grating"
FIELD = "device_sections"
#: one section of ``device_sections``
SECTION_KEYS = ("order", "period_nm", "duty_cycle", "n_periods", "shift_nm")


@dataclass(frozen=True)
class DeviceTeeth:
    """Teeth of a sectioned device in device coordinates (z = 0 at the first section's start), nm: exact centres,
    drawn left edges and widths (integer nm), each tooth's section index, and every section's exact (start, end)."""

    centres_nm: tuple[float, ...]
    lefts_nm: tuple[int, ...]
    widths_nm: tuple[int, ...]
    section_of_tooth: tuple[int, ...]
    bounds_nm: tuple[tuple[float, float], ...]

    @property
    def length_nm(self) -> float:
        """The device length (the last section's end), nm."""
        return self.bounds_nm[-1][1]


def _finite_number(value: object, *, field: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InputError(f"{value!r} is not a finite number", field=field, allowed="a number", source=CELL)
    return float(value)


def _section(i: int, sec: Sequence) -> tuple[int, float, float, int, float]:
    """One section checked: (order, period_nm, duty_cycle, n_periods, shift_nm)."""
    at = f"{FIELD}[{i}]"
    if isinstance(sec, str | bytes) or len(sec) != len(SECTION_KEYS):
        raise InputError(f"{sec!r} is not ({', '.join(SECTION_KEYS)})", field=at,
                         allowed="(0, 1 or 2, period_nm > 0, 0 < duty_cycle < 1, integer >= 1, shift_nm >= 0)",
                         source=CELL)
    order, period, duty, n, shift = sec
    one_of(order, (0, 1, 2), field=f"{at}.order", cell=CELL)
    period = _finite_number(period, field=f"{at}.period_nm")
    duty = _finite_number(duty, field=f"{at}.duty_cycle")
    shift = _finite_number(shift, field=f"{at}.shift_nm")
    n = positive_int(n, field=f"{at}.n_periods", cell=CELL)
    w_min, s_min = min_width_nm("GRATING"), min_space_nm("GRATING")
    if not period > 0:
        raise InputError(f"{period:g} nm", field=f"{at}.period_nm", allowed="> 0 nm", source=CELL)
    if not shift >= 0:
        raise InputError(f"{shift:g} nm", field=f"{at}.shift_nm", allowed=">= 0 nm", source=CELL)
    if not 0 < duty < 1:
        raise InputError(f"{duty!r} is outside (0, 1)", field=f"{at}.duty_cycle", allowed="0 < value < 1",
                         source=CELL)
    if order and not w_min <= round(duty * period) <= period - s_min:
        lo, hi = w_min / period, 1 - s_min / period
        raise InputError(f"duty {duty:g} of {period:g} nm draws a {round(duty * period)} nm tooth and a "
                         f"{period - round(duty * period):g} nm gap (GRATING min width {w_min} nm, space {s_min} nm)",
                         field=f"{at}.duty_cycle", allowed=f"{lo:.4f} ... {hi:.4f} for a {period:g} nm period",
                         source=CELL)
    return int(order), period, duty, n, shift


def _layout(sections: list[tuple[int, float, float, int, float]]) -> DeviceTeeth:
    """Exact lattice points and bounds, and the teeth rounded to the grid."""
    centres, lefts, widths, owner, bounds = [], [], [], [], []
    z = 0.0
    for i, (order, period, duty, n, shift) in enumerate(sections):
        z += shift if i else 0.0
        bounds.append((z, z + n * period))
        if order:
            w = round(duty * period)
            for k in range(n):
                zc = z + (k + 0.5) * period
                centres.append(zc)
                lefts.append(round(zc - w / 2))
                widths.append(w)
                owner.append(i)
        z += n * period
    return DeviceTeeth(centres_nm=tuple(centres), lefts_nm=tuple(lefts), widths_nm=tuple(widths),
                       section_of_tooth=tuple(owner), bounds_nm=tuple(bounds))


def _check_junctions(teeth: DeviceTeeth) -> None:
    """The gap between neighbouring teeth meets the GRATING min space. Inside a section it does by ``_section``'s
    check (two left edges a period apart round to at least floor(period) apart, and floor(period) - width >= min
    space follows from period - width >= min space with integer width and rule), so only a junction can fail: its
    later section's shift gap is named."""
    s_min = min_space_nm("GRATING")
    for j in range(1, len(teeth.lefts_nm)):
        gap = teeth.lefts_nm[j] - (teeth.lefts_nm[j - 1] + teeth.widths_nm[j - 1])
        if gap < s_min:
            i = teeth.section_of_tooth[j]
            raise InputError(f"the gap before section {i}'s first tooth is {gap} nm (GRATING min space {s_min} nm)",
                             field=f"{FIELD}[{i}].shift_nm", allowed=f">= {s_min - gap} nm more gap (or narrower "
                             "teeth at the junction)", source=CELL)


def device_teeth(device_sections: Sequence[Sequence]) -> DeviceTeeth:
    """The section list ``((order, period_nm, duty_cycle, n_periods, shift_nm), ...)`` checked (one-line InputError
    naming ``device_sections[i].<key>`` and its allowed range) and its teeth on the grid."""
    if isinstance(device_sections, str | bytes) or not device_sections:
        raise InputError("no sections", field=FIELD, allowed="at least one (order, period_nm, duty_cycle, "
                         "n_periods, shift_nm)", source=CELL)
    sections = [_section(i, s) for i, s in enumerate(device_sections)]
    if not any(order for order, *_ in sections):
        raise InputError("every section is unpatterned (order 0)", field=FIELD,
                         allowed="at least one section of order 1 or 2", source=CELL)
    teeth = _layout(sections)
    _check_junctions(teeth)
    return teeth
