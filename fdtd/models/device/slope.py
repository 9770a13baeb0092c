"""Above-threshold slope efficiency of a device mode from its threshold power budget (``budget.PowerBudget``).

Above threshold the carrier density in the zone is clamped at N_th (the gain clamped at g_p), so the spontaneous and
non-radiative recombination stay at their threshold rates and every further injected carrier that reaches the zone
ends as a stimulated photon of the mode. Of the zone's stimulated emission (``PowerBudget.stimulated`` x the
generated power) the share radiated_up / stimulated leaves upward through the LED stack, so

    eta_d = eta_inj x radiated_up / stimulated          (external differential quantum efficiency, upward)
    dP_up / dI = eta_d x h c / (q lambda)                [W/A]

Assumptions: single-mode operation in the threshold mode's field (no spatial hole burning, no second mode), the
threshold budget's fractions held above threshold (no gain compression, the unpumped film's absorption not
bleached, no heating), eta_inj the share of the current that recombines in the zone (1 in the threshold chain
J_th = q d R(N_th), which puts every injected carrier there)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from perocav.fdtd.models.device.budget import PowerBudget
from perocav.pdk.units import HC_EV_NM

#: the threshold chain's injection efficiency (every injected carrier recombines in the zone)
THRESHOLD_CHAIN_INJECTION = 1.0


@dataclass(frozen=True)
class SlopeEfficiency:
    """Upward slope efficiency [W/A] and external differential quantum efficiency (photons up per injected electron)
    of one mode at ``wavelength_nm``, with the injection efficiency and the extraction radiated_up / stimulated
    (photons up per stimulated photon) they come from."""

    slope_w_per_a: float
    differential_quantum_efficiency: float
    injection_efficiency: float
    extraction_up: float
    wavelength_nm: float


def slope_efficiency(*, budget: PowerBudget, wavelength_nm: float,
                     injection_efficiency: float = THRESHOLD_CHAIN_INJECTION) -> SlopeEfficiency:
    """The upward slope of the mode whose threshold budget is ``budget`` (module doc); ``injection_efficiency`` in
    (0, 1]."""
    if not 0.0 < injection_efficiency <= 1.0:
        raise ValueError(f"injection_efficiency={injection_efficiency} must be in (0, 1]")
    if not (math.isfinite(wavelength_nm) and wavelength_nm > 0):
        raise ValueError(f"wavelength_nm={wavelength_nm} must be > 0")
    if not budget.stimulated > 0:
        raise ValueError(f"the budget's stimulated share {budget.stimulated} must be > 0")
    extraction = budget.radiated_up / budget.stimulated
    eta_d = injection_efficiency * extraction
    return SlopeEfficiency(slope_w_per_a=eta_d * HC_EV_NM / wavelength_nm, differential_quantum_efficiency=eta_d,
                           injection_efficiency=float(injection_efficiency), extraction_up=float(extraction),
                           wavelength_nm=float(wavelength_nm))
