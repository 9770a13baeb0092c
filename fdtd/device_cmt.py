"""The coupled-mode picture of a ``DeviceGeometry`` for the finite-device FDTD: its sections cut at the pumped
opening's edges, each with its signed kappa, grating phase (``DeviceGeometry.section_phases_rad``, from the drawn
teeth), 2nd-order radiation, pumped flag, modal background gain and Bragg detuning offset, as the section engine's
records; and their lowest thresholds (``models.device.engine``). Shift gaps are unpatterned pieces (kappa 0).
Units: 1/cm, um, nm.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from perocav.fdtd.models.device.engine import DeviceMode, device_modes
from perocav.fdtd.models.device.sections import DeviceSection
from perocav.layout.device_geometry import DeviceGeometry
from perocav.pdk.units import NM_PER_CM


@dataclass(frozen=True)
class SectionCouplings:
    """Couplings of one section type: |kappa|, Kazarinov-Henry h and h_i [1/cm] (0 for 1st order), the section's
    Bragg centre [nm] (None: the reference, no detuning offset), and its modal background gains [1/cm] when pumped
    (at zero zone gain) and unpumped."""

    kappa_abs_per_cm: float
    pumped_background_per_cm: float
    unpumped_background_per_cm: float
    radiation_per_cm: float = 0.0
    radiation_reactive_per_cm: float = 0.0
    centre_nm: float | None = None


def _pieces(z0: float, z1: float, lo: float, hi: float) -> list[tuple[float, float, bool]]:
    """[z0, z1] cut at the pumped interval [lo, hi]: (start, end, pumped) pieces of nonzero length."""
    cuts = sorted({z0, z1, *(c for c in (lo, hi) if z0 < c < z1)})
    return [(a, b, lo <= 0.5 * (a + b) <= hi) for a, b in zip(cuts, cuts[1:]) if b - a > 1e-9]


def device_sections(*, geometry: DeviceGeometry, couplings: Mapping[tuple[int, float], SectionCouplings],
                    reference_nm: float, group_index: float) -> tuple[DeviceSection, ...]:
    """The engine's sections of ``geometry``; ``couplings[(order, duty_cycle)]`` per section type; detuning offsets
    2 pi n_g (lambda_c - reference) / reference^2 from each type's Bragg centre; kappa signed by the coupling
    harmonic of teeth centred in their periods (sin(m pi D)), in the engine's convention (physics.md section 8); the
    engine's phase is minus the geometry's (``models.device.plan._pieces`` says why)."""
    lo, hi = geometry.pumped_interval_um()
    out: list[DeviceSection] = []
    z_prev = 0.0
    for (z0, z1), s, phi in zip(geometry.bounds_um(), geometry.sections, geometry.section_phases_rad(), strict=True):
        c = couplings[(s.order, s.duty_cycle)]
        lam_c = reference_nm if c.centre_nm is None else c.centre_nm
        offset = 2 * math.pi * group_index * (lam_c - reference_nm) / reference_nm**2 * NM_PER_CM
        sign = -math.copysign(1.0, math.sin(s.order * math.pi * s.duty_cycle)) if s.order else 0.0
        spans = [(z_prev, z0, 0.0, 0.0, 0.0)] if z0 > z_prev + 1e-9 else []  # a shift gap: unpatterned
        spans.append((z0, z1, sign * c.kappa_abs_per_cm, c.radiation_per_cm, c.radiation_reactive_per_cm))
        for a, b, kappa, h, h_i in spans:
            for pa, pb, pumped in _pieces(a, b, lo, hi):
                bg = c.pumped_background_per_cm if pumped else c.unpumped_background_per_cm
                out.append(DeviceSection(length_um=pb - pa, kappa_per_cm=kappa, radiation_per_cm=h,
                                         radiation_reactive_per_cm=h_i, phase_rad=-phi, pumped=pumped,
                                         gain_per_cm=bg, detuning_offset_per_cm=offset))
        z_prev = z1
    return tuple(out)


def device_cmt_modes(*, geometry: DeviceGeometry, couplings: Mapping[tuple[int, float], SectionCouplings],
                     reference_nm: float, group_index: float, n_modes: int = 2) -> tuple[DeviceMode, ...]:
    """Lowest-threshold modes (modal intensity gain of the pumped sections, detuning) of ``geometry``."""
    secs = device_sections(geometry=geometry, couplings=couplings, reference_nm=reference_nm, group_index=group_index)
    return device_modes(sections=secs, n_modes=n_modes).modes
