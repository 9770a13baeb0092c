"""The recombination zone's gain model as the device model's mode ranking (``fdtd.models.device.lasing``): the
threshold chain's carrier density for a modal gain at a mode's wavelength (``designs.threshold``: spectral
g(lambda, N, T) of the gain perovskite, or the seed g0 ln(N / N_tr)) and its inverse, the zone's modal gain
Gamma_z g at a density. Densities cm^-3, gains 1/cm, wavelengths nm."""

from __future__ import annotations

import math
from dataclasses import dataclass

from perocav.designs.threshold import GainMaterial, material_gain_per_cm, threshold_from_modal_gain
from perocav.fdtd.models.spectral_gain.params import band_edge
from perocav.fdtd.models.spectral_gain.spectrum import gain_per_cm


@dataclass(frozen=True)
class ZoneGainRanking:
    """``material``: the design's gain material; ``confinement``: the zone's power confinement Gamma_z;
    ``perovskite``: the gain layer's PDK material (None: the seed model)."""

    material: GainMaterial
    confinement: float
    perovskite: str | None

    def density_per_cm3(self, *, modal_gain_per_cm: float, wavelength_nm: float) -> float:
        thr = threshold_from_modal_gain(material=self.material, threshold_modal_gain_per_cm=modal_gain_per_cm,
                                        confinement=self.confinement, thickness_nm=1.0, wavelength_nm=wavelength_nm,
                                        perovskite=self.perovskite)
        return thr.carrier_density_per_cm3

    def modal_gain_per_cm(self, *, density_per_cm3: float, wavelength_nm: float) -> float:
        edge = band_edge(self.perovskite) if isinstance(self.perovskite, str) else None
        if self.material.gain_model == "spectral" and edge is not None and math.isfinite(wavelength_nm):
            g = float(gain_per_cm(edge=edge, wavelength_nm=wavelength_nm, density_per_cm3=density_per_cm3,
                                  temperature_k=self.material.temperature_k))
        else:
            g = material_gain_per_cm(material=self.material, carrier_density_per_cm3=density_per_cm3)
        return self.confinement * g
