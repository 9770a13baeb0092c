"""Threshold gain of a cavity from its quality factor: the one formula every solver path uses (analytic circular
model, MEEP and RCWA DFB records)."""

from __future__ import annotations

import math

from perocav.pdk.units import NM_PER_CM


def threshold_modal_gain_per_cm(*, wavelength_nm: float, q: float, group_index: float) -> float:
    """Power modal gain that balances a cavity of quality Q: g_th = 2 pi n_g / (lambda Q) [1/cm].

    Q = inf (lossless) gives 0; Q NaN or <= 0 (unknown, or a growing mode: no threshold) gives NaN."""
    if not (q > 0 and math.isfinite(q)):
        return float("nan") if not q > 0 else 0.0
    return 2 * math.pi * group_index / (wavelength_nm / NM_PER_CM * q)
