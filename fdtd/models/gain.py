"""Threshold gain of a cavity from its quality factor and back: the one Q <-> gain formula every solver path uses
(analytic circular model, coupled-mode radiation, MEEP and RCWA DFB records), g = 2 pi n_g / (lambda Q).
Wavelengths nm, gains 1/cm (power), constants from ``perocav.pdk.units``."""

from __future__ import annotations

import math

from perocav.pdk.units import NM_PER_CM


def threshold_modal_gain_per_cm(*, wavelength_nm: float, q: float, group_index: float) -> float:
    """Power modal gain that balances a cavity of quality Q: g_th = 2 pi n_g / (lambda Q) [1/cm].

    Q = inf (lossless) gives 0; Q NaN or <= 0 (unknown, or a growing mode: no threshold) gives NaN."""
    if not (q > 0 and math.isfinite(q)):
        return float("nan") if not q > 0 else 0.0
    return 2 * math.pi * group_index / (wavelength_nm / NM_PER_CM * q)


def cavity_q(*, wavelength_nm: float, modal_gain_per_cm: float, group_index: float) -> float:
    """The Q a (power) modal loss or threshold gain g implies, Q = 2 pi n_g / (lambda g): the inverse of
    ``threshold_modal_gain_per_cm``. g <= 0 gives inf (no loss); g NaN gives NaN."""
    if math.isnan(modal_gain_per_cm):
        return float("nan")
    if not modal_gain_per_cm > 0:
        return math.inf
    return 2 * math.pi * group_index / (wavelength_nm / NM_PER_CM * modal_gain_per_cm)


def radiation_from_edge_qs_per_cm(*, wavelength_nm: float, q_radiating: float, q_dark: float,
                                  group_index: float) -> float:
    """Kazarinov-Henry h_r [1/cm, amplitude] of a 2nd-order grating from its band edges' Qs: the radiating edge's
    extra power loss is 4 h_r, h_r = (g(Q_rad) - g(Q_dark)) / 4 = pi n_g / (2 lambda) (1/Q_rad - 1/Q_dark), >= 0."""
    g = [threshold_modal_gain_per_cm(wavelength_nm=wavelength_nm, q=q, group_index=group_index)
         for q in (q_radiating, q_dark)]
    return max(0.0, (g[0] - g[1]) / 4)
