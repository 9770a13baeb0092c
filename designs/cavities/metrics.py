"""What every family's evaluation shares: the ``DesignMetrics`` of a threshold, the gain-layer thickness and the
photon lifetime (moved unchanged from ``designs/evaluate.py``)."""

from __future__ import annotations

import math

from perocav.designs.records import DesignMetrics
from perocav.designs.threshold import Threshold
from perocav.pdk.units import C_CM_PER_S


def gain_thickness_nm(stack) -> float:
    return stack.layer(stack.gain_layer).thickness_nm


def gain_perovskite(stack) -> str | None:
    """The gain layer's PDK material name (None for a constant {n, k}): the spectral gain model's material."""
    material = stack.layer(stack.gain_layer).material
    return material if isinstance(material, str) else None


def design_metrics(thr: Threshold, *, wavelength_nm: float, q: float, modal_gain_per_cm: float,
                   thickness_nm: float) -> DesignMetrics:
    return DesignMetrics(wavelength_nm=wavelength_nm, q_estimate=q, threshold_modal_gain_per_cm=modal_gain_per_cm,
                         threshold_material_gain_per_cm=thr.material_gain_per_cm,
                         threshold_density_per_cm3=thr.carrier_density_per_cm3, plqy_at_threshold=thr.plqy,
                         threshold_current_density_a_per_cm2=thr.current_density_A_per_cm2,
                         below_auger_limit=thr.below_auger_limit, gain_thickness_nm=thickness_nm,
                   gain_model=thr.gain_model, gain_peak_detuning_nm=thr.gain_peak_detuning_nm, gain_note=thr.gain_note)


def photon_lifetime_ps(*, q: float, wavelength_nm: float) -> float:
    return q / (2 * math.pi * C_CM_PER_S / (wavelength_nm * 1e-7)) * 1e12
