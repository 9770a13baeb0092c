"""One uniform section of a device along the grating, in the conventions of physics.md section 8.

    dR/dz  = (a_j - i delta_j - h_j) R + (i kappa_j - h_j) exp(-2 i phi_j) S
   -dS/dz  = (a_j - i delta_j - h_j) S + (i kappa_j - h_j) exp(+2 i phi_j) R

with h_j = radiation + i radiation_reactive [1/cm], a_j = g_j / 2 where g_j is the section's modal *intensity* gain:
g_p + gain_per_cm when pumped (g_p the unknown threshold shared by all pumped sections; gain_per_cm an offset) and
gain_per_cm when not (negative = loss), and delta_j = delta + detuning_offset_per_cm (delta common to the device).

Mirror z -> L - z: R and S swap, and the equations keep their form with phi_j -> -phi_j (mod pi): the reversed
device is the section list reversed with every phase negated (``mirrored``). A common shift of all phases is a gauge
(R -> R e^{i psi}, S -> S e^{-i psi}) and changes no threshold.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class DeviceSection:
    """A uniform piece of the device: length [um], signed index coupling kappa [1/cm], Kazarinov-Henry radiation
    coupling h >= 0 [1/cm] (2nd order; 0 otherwise) and its reactive part [1/cm], absolute grating phase phi [rad]
    (a quarter-wave shift is a step of pi/2), whether it is pumped, its intensity gain (offset when pumped) [1/cm]
    and its Bragg mismatch added to the common detuning [1/cm]."""

    length_um: float
    kappa_per_cm: float = 0.0
    radiation_per_cm: float = 0.0
    radiation_reactive_per_cm: float = 0.0
    phase_rad: float = 0.0
    pumped: bool = False
    gain_per_cm: float = 0.0
    detuning_offset_per_cm: float = 0.0

    def __post_init__(self) -> None:
        for name in ("length_um", "kappa_per_cm", "radiation_per_cm", "radiation_reactive_per_cm", "phase_rad",
                     "gain_per_cm", "detuning_offset_per_cm"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
                raise ValueError(f"{name}={value!r} must be a finite number")
        if not self.length_um > 0:
            raise ValueError(f"length_um={self.length_um} must be > 0")
        if self.radiation_per_cm < 0:
            raise ValueError(f"radiation_per_cm={self.radiation_per_cm} must be >= 0")
        if not isinstance(self.pumped, bool):
            raise ValueError(f"pumped={self.pumped!r} must be True or False")


def check_device(sections: Sequence[DeviceSection]) -> tuple[DeviceSection, ...]:
    """The sections as a tuple; ValueError when empty, not DeviceSection, or with no pumped section."""
    out = tuple(sections)
    if not out:
        raise ValueError("a device needs at least one section")
    if not all(isinstance(s, DeviceSection) for s in out):
        raise ValueError("sections must be DeviceSection records")
    if not any(s.pumped for s in out):
        raise ValueError("no pumped section: the threshold gain g_p has nothing to act on")
    return out


def mirrored(sections: Sequence[DeviceSection]) -> tuple[DeviceSection, ...]:
    """The device seen from its other end (z -> L - z): sections reversed, grating phases negated."""
    return tuple(replace(s, phase_rad=-s.phase_rad) for s in reversed(tuple(sections)))


def split(sections: Sequence[DeviceSection], *, index: int, fraction: float) -> tuple[DeviceSection, ...]:
    """The same device with section ``index`` cut in two at ``fraction`` of its length (0 < fraction < 1)."""
    if not 0.0 < fraction < 1.0:
        raise ValueError(f"fraction={fraction} must be in (0, 1)")
    out = list(sections)
    s = out[index]
    out[index:index + 1] = [replace(s, length_um=s.length_um * fraction),
                            replace(s, length_um=s.length_um * (1.0 - fraction))]
    return tuple(out)
