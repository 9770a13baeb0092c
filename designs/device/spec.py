"""The ``cavity: type: dfb`` device keys: ``pump`` (the LED opening along the grating and the recombination zone),
``sections`` (an explicit section list), and the shorthands ``mixed_order`` and ``apodization``. Lengths um,
periods nm, phase steps rad (the grating phase phi of docs/physics.md: a quarter-wave shift is pi / 2)."""

from __future__ import annotations

import math
from typing import Literal, Union

from pydantic import Field, field_validator

from perocav.pdk.bounds import StrictModel


class RecombinationZone(StrictModel):
    """Where the injected carriers recombine through the perovskite's thickness: ``uniform`` (all of it), or a zone
    of ``fraction`` of the thickness at the hole-side or electron-side interface."""

    side: Literal["uniform", "hole", "electron"] = "uniform"
    fraction: float = Field(1.0, gt=0, le=1)

    @field_validator("fraction")
    @classmethod
    def _uniform_is_whole(cls, v: float, info) -> float:
        if info.data.get("side") == "uniform" and v != 1.0:
            raise ValueError("a uniform zone fills the whole thickness: fraction 1 (or side: hole / electron)")
        return v


class Pump(StrictModel):
    """The current opening along the grating: its length ``opening_um`` (the LED opening's diameter; the die draws
    the same opening), its centre's offset from the grating centre [um], and the recombination zone."""

    opening_um: float = Field(gt=0, le=100_000)
    offset_um: float = Field(0.0, ge=-100_000, le=100_000)
    recombination_zone: RecombinationZone = Field(default_factory=RecombinationZone)


PhaseStep = Union[Literal["none", "quarter_wave", "half_wave"], float]


def phase_step_rad(step: PhaseStep) -> float:
    """The grating-phase step [rad] of a ``phase_step`` value: quarter_wave = pi / 2 (the feedback's coupling changes
    sign), half_wave = pi (the feedback unchanged, a 2nd-order section's radiation flipped)."""
    if step == "none":
        return 0.0
    if step == "quarter_wave":
        return math.pi / 2
    if step == "half_wave":
        return math.pi
    return float(step)


class Section(StrictModel):
    """One section of an explicit ``sections:`` list: Bragg order, number of periods, and optionally its own period
    [nm] (default: the cavity's ``period_nm`` x order / the cavity's order, Bragg-matched) and duty cycle (default:
    the cavity's), and the phase step at its left junction (``none``, ``quarter_wave``, ``half_wave`` or radians in
    [0, 2 pi))."""

    order: Literal[1, 2]
    n_periods: int = Field(ge=1, le=100_000)
    period_nm: float | None = Field(None, gt=0, le=100_000)
    duty_cycle: float | None = Field(None, gt=0, lt=1)
    phase_step: PhaseStep = "none"

    @field_validator("phase_step")
    @classmethod
    def _step(cls, v: PhaseStep) -> PhaseStep:
        if isinstance(v, float) and not 0.0 <= v < 2.0 * math.pi:
            raise ValueError("a phase step in radians is in [0, 2 pi) (quarter_wave = pi / 2, half_wave = pi)")
        return v


class MixedOrder(StrictModel):
    """Shorthand: 1st-order feedback sections of ``first_order_periods`` periods (``period_nm`` / 2) on both sides
    of the cavity's 2nd-order grating (``n_periods`` periods, the outcoupler)."""

    first_order_periods: int = Field(ge=1, le=100_000)


class Apodization(StrictModel):
    """Shorthand: the duty cycle falls from the cavity's ``duty_cycle`` at the centre to ``min_duty`` at both ends,
    ``linear`` or ``raised_cosine`` in position, drawn and simulated as ``steps`` uniform sections (odd)."""

    profile: Literal["linear", "raised_cosine"]
    min_duty: float = Field(gt=0, lt=1)
    steps: int = Field(9, ge=3, le=101)

    @field_validator("steps")
    @classmethod
    def _odd(cls, v: int) -> int:
        if v % 2 == 0:
            raise ValueError("steps is odd (a centre section)")
        return v
