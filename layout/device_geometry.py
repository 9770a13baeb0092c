"""The finite device along the grating, as geometry: grating sections left to right and the pumped opening. The one
description that the layout (the teeth on the mask), the coupled-mode device model (``fdtd.models.device``) and the
finite-device FDTD run all read, so the die tapes out exactly what was simulated. Lengths in nm / um as named.

Teeth and phase (``shared/docs/physics.md`` section 8): a tooth is centred in each period of its section, on
start + (k + 1/2) period (the die, ``layout.device_teeth``, and the finite-device FDTD draw exactly these), and
the grating phase phi of section j in the coupled-wave equations is beta_B (c_j - c_0) mod 2 pi, with c the first
tooth centre and beta_B = pi order / period (``section_phases_rad``). Between sections of one period that is
pi order shift_nm / period (``SectionGeometry.phase_step_rad``): a quarter-wave shift is a ``period / (2 order)``
gap, a step of pi / 2 (the coupling exp(-2 i phi) changes sign). Between a 1st-order section and a 2nd-order one
of twice its period the centres also move by half a 1st-order period: a gap of period_1 / 2 makes the junction
phase-free. Each section's signed kappa carries the sign of its coupling harmonic for teeth centred in the period.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

#: where the carriers recombine through the perovskite's thickness
ZONE_SIDES = ("uniform", "hole", "electron")


@dataclass(frozen=True)
class SectionGeometry:
    """One uniform piece of grating: Bragg order (1 or 2; 0 = unpatterned film), period [nm] (a 1st-order section
    of a mixed-order device has half the 2nd-order period), tooth duty cycle in (0, 1), number of periods, and the
    extra gap [nm] inserted before its first tooth (a grating displacement: a phase step at the junction)."""

    order: int
    period_nm: float
    duty_cycle: float
    n_periods: int
    shift_nm: float = 0.0

    def __post_init__(self) -> None:
        if self.order not in (0, 1, 2):
            raise ValueError(f"order={self.order} not in (0, 1, 2)")
        if not (self.period_nm > 0 and math.isfinite(self.period_nm)):
            raise ValueError(f"period_nm={self.period_nm} must be > 0")
        if not 0.0 < self.duty_cycle < 1.0:
            raise ValueError(f"duty_cycle={self.duty_cycle} must be in (0, 1)")
        if self.n_periods < 1:
            raise ValueError(f"n_periods={self.n_periods} must be >= 1")
        if not (self.shift_nm >= 0 and math.isfinite(self.shift_nm)):
            raise ValueError(f"shift_nm={self.shift_nm} must be >= 0")

    @property
    def length_um(self) -> float:
        """Grating length of the section [um] (its shift gap not included)."""
        return self.n_periods * self.period_nm / 1000.0

    @property
    def phase_step_rad(self) -> float:
        """The step of the grating phase phi at this section's start from its shift: pi * order * shift / period."""
        return math.pi * max(self.order, 1) * self.shift_nm / self.period_nm


@dataclass(frozen=True)
class PumpGeometry:
    """Where the current flows: the opening's length along the grating [um] (None: the whole device is pumped),
    its centre relative to the device centre [um], and the recombination zone: the pumped fraction of the
    perovskite's thickness at the hole-side or electron-side interface, or ``uniform`` (the whole thickness)."""

    opening_um: float | None = None
    offset_um: float = 0.0
    zone_fraction: float = 1.0
    zone_side: Literal["uniform", "hole", "electron"] = "uniform"

    def __post_init__(self) -> None:
        if self.opening_um is not None and not (self.opening_um > 0 and math.isfinite(self.opening_um)):
            raise ValueError(f"opening_um={self.opening_um} must be > 0")
        if not 0.0 < self.zone_fraction <= 1.0:
            raise ValueError(f"zone_fraction={self.zone_fraction} must be in (0, 1]")
        if self.zone_side not in ZONE_SIDES:
            raise ValueError(f"zone_side={self.zone_side!r} not in {ZONE_SIDES}")
        if self.zone_side == "uniform" and self.zone_fraction != 1.0:
            raise ValueError("a uniform recombination zone fills the whole thickness (zone_fraction 1)")


@dataclass(frozen=True)
class DeviceGeometry:
    """Sections left to right and the pump. z runs from 0 at the first section's start to ``length_um``."""

    sections: tuple[SectionGeometry, ...]
    pump: PumpGeometry = PumpGeometry()

    def __post_init__(self) -> None:
        if not self.sections:
            raise ValueError("a device needs at least one section")

    def bounds_um(self) -> tuple[tuple[float, float], ...]:
        """(start, end) [um] of every section's teeth, shift gaps included between them."""
        out, z = [], 0.0
        for i, s in enumerate(self.sections):
            z += s.shift_nm / 1000.0 if i else 0.0
            out.append((z, z + s.length_um))
            z += s.length_um
        return tuple(out)

    @property
    def length_um(self) -> float:
        return self.bounds_um()[-1][1]

    def pumped_interval_um(self) -> tuple[float, float]:
        """(start, end) [um] of the pumped stretch, clipped to the device."""
        total = self.length_um
        if self.pump.opening_um is None:
            return 0.0, total
        centre = 0.5 * total + self.pump.offset_um
        lo, hi = centre - 0.5 * self.pump.opening_um, centre + 0.5 * self.pump.opening_um
        return max(0.0, lo), min(total, hi)

    def section_phases_rad(self) -> tuple[float, ...]:
        """Grating phase phi_j [rad] of every section relative to the first patterned one: beta_B (c_j - c_0) mod
        2 pi with c the first tooth centre (start + period / 2) and beta_B = pi order / period (sections on one Bragg
        condition share it); 0 for unpatterned sections. The feedback sees exp(-2 i phi) (phi mod pi); a 2nd-order
        section's radiation sees exp(i phi) (a half-wave step, phi + pi, flips it: one central lobe)."""
        out, ref = [], None
        for (start, _), s in zip(self.bounds_um(), self.sections):
            if s.order == 0:
                out.append(0.0)
                continue
            centre_nm = 1000.0 * start + 0.5 * s.period_nm
            ref = centre_nm if ref is None else ref
            phi = (math.pi * s.order * (centre_nm - ref) / s.period_nm) % (2.0 * math.pi)
            out.append(0.0 if 2.0 * math.pi - phi < 1e-9 else phi)
        return tuple(out)

    @property
    def pumped_fraction(self) -> float:
        """Pumped length / device length."""
        lo, hi = self.pumped_interval_um()
        return max(0.0, hi - lo) / self.length_um
