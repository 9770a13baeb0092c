"""The recombination zone's share of the gain layer's mode, the device model's side of the one zone confinement
(``models.slab.zone_modal.zone_confinement``, the slab solve behind ``zone_modal`` that the finite-device FDTD plan
uses): Gamma_zone / Gamma_film of the averaged guide with the film split into the zone (no gain) and the rest
(absorbing alpha0); the device model's zone confinement is the unit cell's Gamma times this share. 1 for a uniform
zone (no solve; ~50 ms for a split one)."""

from __future__ import annotations

from perocav.fdtd.models.slab.zone_modal import zone_confinement
from perocav.layout.device_geometry import PumpGeometry
from perocav.pdk.stack import Stack


def zone_share(*, stack: Stack, duty_cycle: float, wavelength_nm: float, pump: PumpGeometry,
               alpha_unpumped_per_cm: float) -> float:
    """Gamma_zone / Gamma_film of the section's averaged guide at ``wavelength_nm`` [nm] with the rest of the film
    absorbing ``alpha_unpumped_per_cm`` [1/cm] (``zone_modal``); 1 for a uniform zone."""
    if pump.zone_side == "uniform":
        return 1.0
    zone, film = zone_confinement(stack=stack, duty_cycle=duty_cycle, wavelength_nm=wavelength_nm, pump=pump,
                                  alpha_unpumped_per_cm=alpha_unpumped_per_cm)
    return zone / film
