"""Absorption of the unexcited perovskite alpha0(E) [1/cm] at photon energy E [eV]: a direct-gap continuum
alpha_g (1 + sqrt((E - E_g) / E_s)) above the gap, the Urbach tail alpha_g exp((E - E_g) / E_U) below it (De Wolf
et al. 2014), and, where the exciton is resolved at room temperature (CsPbBr3), an Elliott exciton line: a
Gaussian above its energy and its own Urbach tail below it. Continuous at E_g and at the exciton energy."""

from __future__ import annotations

import numpy as np

from perocav.fdtd.models.spectral_gain.params import BandEdge

#: photon energy [eV] x wavelength [nm]: E = HC_EV_NM / lambda
HC_EV_NM = 1239.84198


def energy_ev(*, wavelength_nm):
    return HC_EV_NM / np.asarray(wavelength_nm, dtype=float)


def absorption_per_cm(*, edge: BandEdge, energy_ev) -> np.ndarray:
    """alpha0(E) [1/cm] of the unexcited film (array in, array out)."""
    e = np.asarray(energy_ev, dtype=float)
    x = e - edge.gap_ev
    above = edge.alpha_gap_per_cm * (1.0 + np.sqrt(np.clip(x, 0.0, None) / edge.edge_scale_ev))
    below = edge.alpha_gap_per_cm * np.exp(np.clip(x, None, 0.0) / edge.urbach_ev)
    alpha = np.where(x >= 0, above, below)
    if edge.exciton_binding_ev > 0:
        dx = e - edge.exciton_ev
        line = np.where(dx >= 0, np.exp(-0.5 * (np.clip(dx, 0, None) / edge.exciton_width_ev) ** 2),
                        np.exp(np.clip(dx, None, 0.0) / edge.urbach_ev))
        alpha = alpha + edge.exciton_alpha_per_cm * line
    return alpha
