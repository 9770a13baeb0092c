"""A DFB cavity spec -> the ``DeviceGeometry`` it describes (``layout.device_geometry``): the explicit section list,
or the shorthands (uniform, quarter-wave, mixed-order, apodised), and the pump. The layout, the device model and
the finite-device FDTD all read this one geometry."""

from __future__ import annotations

import math
from dataclasses import replace
from itertools import accumulate

from perocav.designs.device.spec import phase_step_rad
from perocav.layout.device_geometry import DeviceGeometry, PumpGeometry, SectionGeometry


def shift_nm(*, step_rad: float, period_nm: float, order: int) -> float:
    """The gap [nm] that steps the grating phase by ``step_rad``: step x period / (pi x order)."""
    return step_rad * period_nm / (math.pi * order)


def stepped(sections: list[SectionGeometry], steps_rad: list[float]) -> list[SectionGeometry]:
    """``sections`` with the gap before each chosen so that the grating phase steps by ``steps_rad[j]`` (mod 2 pi)
    at its left junction, whatever the sections' periods (``DeviceGeometry.section_phases_rad``: a 2nd-order
    section after a 1st-order one is a quarter-wave step by itself, which the gap takes out)."""
    out: list[SectionGeometry] = []
    for j, (sec, step) in enumerate(zip(sections, steps_rad)):
        sec = replace(sec, shift_nm=0.0)
        if j:
            phases = DeviceGeometry(sections=(*out, sec)).section_phases_rad()
            missing = (step - (phases[-1] - phases[-2])) % (2.0 * math.pi)
            if missing > 2.0 * math.pi - 1e-9:
                missing = 0.0
            sec = replace(sec, shift_nm=shift_nm(step_rad=missing, period_nm=sec.period_nm, order=sec.order))
        out.append(sec)
    return out


def _explicit(cavity) -> list[SectionGeometry]:
    secs, steps = [], []
    for sec in cavity.sections:
        period = sec.period_nm if sec.period_nm is not None else cavity.period_nm * sec.order / cavity.order
        duty = sec.duty_cycle if sec.duty_cycle is not None else cavity.duty_cycle
        secs.append(SectionGeometry(order=sec.order, period_nm=period, duty_cycle=duty, n_periods=sec.n_periods))
        steps.append(phase_step_rad(sec.phase_step))
    return stepped(secs, steps)


def _split(n_periods: int, parts: int) -> list[int]:
    """``n_periods`` in an odd number of ``parts``, mirror-symmetric: the centre takes an odd remainder, pairs from
    the ends the rest."""
    base, rest = divmod(n_periods, parts)
    counts = [base] * parts
    if rest % 2:
        counts[parts // 2] += 1
    for k in range(rest // 2):
        counts[k] += 1
        counts[-1 - k] += 1
    return counts


def _apodized(cavity) -> list[SectionGeometry]:
    apo = cavity.apodization
    counts = _split(cavity.n_periods, apo.steps)
    if min(counts) < 1:
        raise ValueError(f"{cavity.n_periods} periods cannot make {apo.steps} apodisation steps")
    edges = [0, *accumulate(counts)]
    out = []
    for k, n in enumerate(counts):
        u = (edges[k] + 0.5 * n) / cavity.n_periods * 2.0 - 1.0  # section centre in [-1, 1]
        shape = 1.0 - abs(u) if apo.profile == "linear" else 0.5 * (1.0 + math.cos(math.pi * u))
        duty = apo.min_duty + (cavity.duty_cycle - apo.min_duty) * shape
        out.append(SectionGeometry(order=cavity.order, period_nm=cavity.period_nm, duty_cycle=duty, n_periods=n))
    return out


def _shorthand(cavity) -> list[SectionGeometry]:
    p, d, m = cavity.period_nm, cavity.duty_cycle, cavity.order
    if cavity.mixed_order is not None:
        n1 = cavity.mixed_order.first_order_periods
        # phase-free junctions: the gap of half a 1st-order period that puts the 2nd-order teeth on the 1st-order
        # lattice (without it the junction is a quarter-wave shift)
        first = SectionGeometry(order=1, period_nm=p / 2, duty_cycle=d, n_periods=n1)
        middle = SectionGeometry(order=2, period_nm=p, duty_cycle=d, n_periods=cavity.n_periods)
        return stepped([first, middle, first], [0.0, 0.0, 0.0])
    if cavity.apodization is not None:
        return _apodized(cavity)
    return [SectionGeometry(order=m, period_nm=p, duty_cycle=d, n_periods=cavity.n_periods)]


def _quarter_wave(sections: list[SectionGeometry]) -> list[SectionGeometry]:
    """A quarter-wave step after the device's middle period (the section holding it split in two; on a junction,
    the next section's start)."""
    half, seen = sum(s.n_periods for s in sections) // 2, 0
    for k, s in enumerate(sections):
        gap = shift_nm(step_rad=math.pi / 2, period_nm=s.period_nm, order=s.order)
        if seen == half:
            return [*sections[:k], replace(s, shift_nm=s.shift_nm + gap), *sections[k + 1:]]
        if seen < half < seen + s.n_periods:
            left = half - seen
            pieces = [replace(s, n_periods=left), replace(s, n_periods=s.n_periods - left, shift_nm=gap)]
            return [*sections[:k], *pieces, *sections[k + 1:]]
        seen += s.n_periods
    raise ValueError("a quarter-wave shift needs at least two periods")


def pump_geometry(pump) -> PumpGeometry:
    """The design file's ``pump`` (None: the whole grating pumped, uniformly) as geometry."""
    if pump is None:
        return PumpGeometry()
    zone = pump.recombination_zone
    return PumpGeometry(opening_um=pump.opening_um, offset_um=pump.offset_um, zone_fraction=zone.fraction,
                        zone_side=zone.side)


def device_geometry(cavity) -> DeviceGeometry:
    """The ``DeviceGeometry`` of a ``cavity: type: dfb`` spec."""
    sections = _explicit(cavity) if cavity.sections else _shorthand(cavity)
    if cavity.phase_shift == "quarter_wave":
        sections = _quarter_wave(sections)
    return DeviceGeometry(sections=tuple(sections), pump=pump_geometry(cavity.pump))
