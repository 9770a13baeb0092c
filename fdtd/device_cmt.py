"""The coupled-mode picture of a ``DeviceGeometry``: its sections cut at the pumped opening's edges, each with its
signed kappa, harmonic phase (from the drawn teeth, ``meep.device_geometry_2d.harmonic_phases_rad``), 2nd-order
radiation, pumped flag, modal background gain and Bragg detuning offset; and their lowest thresholds
(``models.dfb.cmt_partial``). Shift gaps are unpatterned pieces (kappa 0). Units: 1/cm, um, nm.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from perocav.fdtd.meep.device_geometry_2d import harmonic_phases_rad
from perocav.fdtd.models.dfb.cmt_dfb import GratingSection
from perocav.fdtd.models.dfb.cmt_partial import PartialMode, PumpedSection, partial_threshold_modes
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
                    reference_nm: float, group_index: float) -> tuple[PumpedSection, ...]:
    """CMT sections of ``geometry``; ``couplings[(order, duty_cycle)]`` per section type; detuning offsets
    2 pi n_g (lambda_c - reference) / reference^2 from each type's Bragg centre."""
    lo, hi = geometry.pumped_interval_um()
    phases = harmonic_phases_rad(geometry)
    out: list[PumpedSection] = []
    z_prev = 0.0
    for (z0, z1), s, theta in zip(geometry.bounds_um(), geometry.sections, phases, strict=True):
        c = couplings[(s.order, s.duty_cycle)]
        lam_c = reference_nm if c.centre_nm is None else c.centre_nm
        offset = 2 * math.pi * group_index * (lam_c - reference_nm) / reference_nm**2 * NM_PER_CM
        sign = math.copysign(1.0, math.sin(s.order * math.pi * s.duty_cycle)) if s.order else 0.0
        spans = [(z_prev, z0, 0.0, 0.0, 0.0)] if z0 > z_prev + 1e-9 else []  # a shift gap: unpatterned
        spans.append((z0, z1, sign * c.kappa_abs_per_cm, c.radiation_per_cm, c.radiation_reactive_per_cm))
        for a, b, kappa, h, h_i in spans:
            for pa, pb, pumped in _pieces(a, b, lo, hi):
                g = GratingSection(length_um=pb - pa, kappa_per_cm=kappa, phase_rad=theta, radiation_per_cm=h,
                                   radiation_reactive_per_cm=h_i)
                bg = c.pumped_background_per_cm if pumped else c.unpumped_background_per_cm
                out.append(PumpedSection(grating=g, pumped=pumped, gain_per_cm=bg, detuning_offset_per_cm=offset))
        z_prev = z1
    return tuple(out)


def device_cmt_modes(*, geometry: DeviceGeometry, couplings: Mapping[tuple[int, float], SectionCouplings],
                     reference_nm: float, group_index: float, n_modes: int = 2) -> list[PartialMode]:
    """Lowest-threshold modes (modal intensity gain of the pumped sections, detuning) of ``geometry``."""
    secs = device_sections(geometry=geometry, couplings=couplings, reference_nm=reference_nm, group_index=group_index)
    return partial_threshold_modes(sections=secs, n_modes=n_modes)


def engine_sections(sections: tuple[PumpedSection, ...]) -> tuple:
    """The same sections as ``fdtd.models.device`` records (physics.md section 8: coupling (i kappa - h)
    exp(-2 i phi)): kappa_engine = -kappa and phi = -theta / 2 map ``cmt_dfb``'s -(i kappa + h) exp(i theta) onto it."""
    from perocav.fdtd.models.device.sections import DeviceSection  # lazy: the engine is only needed for the check

    return tuple(DeviceSection(length_um=s.grating.length_um, kappa_per_cm=-s.grating.kappa_per_cm,
                               radiation_per_cm=s.grating.radiation_per_cm,
                               radiation_reactive_per_cm=s.grating.radiation_reactive_per_cm,
                               phase_rad=-0.5 * s.grating.phase_rad, pumped=s.pumped, gain_per_cm=s.gain_per_cm,
                               detuning_offset_per_cm=s.detuning_offset_per_cm) for s in sections)


def device_engine_threshold_per_cm(*, geometry: DeviceGeometry, couplings: Mapping[tuple[int, float], SectionCouplings],
                                   reference_nm: float, group_index: float) -> float:
    """The lowest threshold (modal intensity gain of the pumped sections) from the section engine
    (``fdtd.models.device.engine.device_modes``) on the same sections: an independent solver of the same model."""
    from perocav.fdtd.models.device.engine import device_modes  # lazy: the engine is only needed for the check

    secs = device_sections(geometry=geometry, couplings=couplings, reference_nm=reference_nm, group_index=group_index)
    return float(device_modes(sections=engine_sections(secs), n_modes=1).modes[0].threshold_modal_gain_per_cm)
