"""Couplings of a DFB grating from its band edges (no MEEP): the Bragg point's Bloch k, kappa from the stop band,
and the 2nd-order Kazarinov-Henry couplings from the edges and the Bragg centre. Wavelengths nm, couplings 1/cm,
k in MEEP units (cycles / um)."""

from __future__ import annotations

import math

from perocav.pdk.units import NM_PER_CM


def bragg_k_per_um(*, period_nm: float, order: int) -> float:
    """Bloch k_x (cycles / um, MEEP units) of the Bragg point of the folded band: 1st order: the zone edge
    k = pi / Lambda (0.5 / Lambda cycles); 2nd order: the zone centre k = 0."""
    if order == 1:
        return 0.5 / (period_nm / 1000.0)
    if order == 2:
        return 0.0
    raise ValueError(f"order={order} not in (1, 2)")


def kappa_from_edges_per_cm(*, short_nm: float, long_nm: float, group_index: float) -> float:
    """|kappa| from the stop band: d_lambda = lambda0^2 kappa / (pi n_g), lambda0 the edges' mean.
    (Equivalently kappa = pi n_g d_f / c from the frequency splitting to first order.)"""
    lam0 = 0.5 * (short_nm + long_nm)
    return math.pi * group_index * (long_nm - short_nm) / lam0**2 * NM_PER_CM


def second_order_couplings_per_cm(*, centre_nm: float, dark_nm: float, radiating_nm: float,
                                  group_index: float) -> tuple[float, float]:
    """(signed kappa, reactive radiation coupling h_i) [1/cm] of a 2nd-order grating from its band edges and the
    Bragg centre (guided mode of the duty-averaged grating). Kazarinov-Henry with h = h_r + i h_i: the dark edge
    sits at delta = +kappa, the radiating one at delta = -kappa - 2 h_i, delta = 2 pi n_g (lambda_c - lambda) /
    lambda_c^2 (> 0 on the short side). kappa > 0 means the radiating edge is the long one."""
    lam_cm = centre_nm / NM_PER_CM

    def delta(lam_nm: float) -> float:
        return 2 * math.pi * group_index * (centre_nm - lam_nm) / NM_PER_CM / lam_cm**2

    kappa = delta(dark_nm)
    return kappa, -(delta(radiating_nm) + kappa) / 2
