"""Confinement and modal loss from sampled FDTD fields (pure: numpy arrays in, numbers out).

Definitions: the field fraction of a level = int_level |E|^2 dy / int |E|^2 dy (TE; ``SlabMode.confinement``);
the power-weighted confinement (Visser et al., IEEE JQE 33, 1763 (1997); ``SlabMode.confinement_power``, the one
the material threshold gain divides by) = Re(n_level) int_level |E|^2 dy / (n_eff int |E|^2 dy), which is the slab
solver's Re(n_j) int_j |E|^2 / int Re(E x H*).x for a TE mode (S_x = n_eff |E|^2). Modal (power) loss by first-order perturbation of the guided mode:
alpha = k0 int Im(eps) |E|^2 dy / (n_eff int |E|^2 dy), which is 2 k0 Im(n_eff) for a weakly lossy TE mode.
"""

from __future__ import annotations

import math

import numpy as np

from perocav.pdk.units import NM_PER_CM


def vertical_profile(*, field_abs2: np.ndarray) -> np.ndarray:
    """|E|^2(y) of a 2D snapshot ``field_abs2[x, y]``, averaged over x."""
    a = np.asarray(field_abs2, dtype=float)
    if a.ndim != 2:
        raise ValueError(f"field_abs2 must be 2D [x, y], got shape {a.shape}")
    return a.mean(axis=0)


def _weights(y_um: np.ndarray, y0_um: float, y1_um: float) -> np.ndarray:
    """Length of each sample's cell (samples at cell centres, uniform spacing) that lies in [y0, y1]."""
    dy = float(y_um[1] - y_um[0]) if len(y_um) > 1 else 1.0
    lo, hi = y_um - dy / 2, y_um + dy / 2
    return np.clip(np.minimum(hi, y1_um) - np.maximum(lo, y0_um), 0.0, None)


def confinement_from_profile(*, y_um: np.ndarray, profile_abs2: np.ndarray,
                             levels_um: dict[str, tuple[float, float]],
                             y_range_um: tuple[float, float] | None = None) -> dict[str, float]:
    """Field fraction per level; the denominator integrates over ``y_range_um`` (default: all samples,
    e.g. leave the PML out)."""
    y = np.asarray(y_um, dtype=float)
    p = np.asarray(profile_abs2, dtype=float)
    lo, hi = y_range_um if y_range_um is not None else (y[0] - 1.0, y[-1] + 1.0)
    total = float(np.sum(p * _weights(y, lo, hi)))
    if not total > 0:
        raise ValueError("profile has no energy")
    return {name: float(np.sum(p * _weights(y, a, b))) / total for name, (a, b) in levels_um.items()}


def power_confinement_from_profile(*, y_um: np.ndarray, profile_abs2: np.ndarray,
                                   levels_um: dict[str, tuple[float, float]], n_real: dict[str, float], n_eff: float,
                                   y_range_um: tuple[float, float] | None = None) -> dict[str, float]:
    """Power-weighted (Visser) confinement of the levels named in ``n_real`` (their Re(n)): Re(n) x field fraction /
    n_eff, TE (see the module docstring). NaN for an n_eff that is not > 0."""
    frac = confinement_from_profile(y_um=y_um, profile_abs2=profile_abs2, levels_um=levels_um, y_range_um=y_range_um)
    if not n_eff > 0:
        return {name: math.nan for name in n_real}
    return {name: float(n) * frac[name] / n_eff for name, n in n_real.items() if name in frac}


def modal_loss_from_profile_per_cm(*, y_um: np.ndarray, profile_abs2: np.ndarray,
                                   levels_um: dict[str, tuple[float, float]], eps_imag: dict[str, float],
                                   n_eff: float, wavelength_nm: float,
                                   y_range_um: tuple[float, float] | None = None) -> float:
    """Power modal loss [1/cm] = k0 sum_level Im(eps_level) Gamma_level / n_eff (levels missing from
    ``eps_imag`` are lossless; substrate and cover too unless named)."""
    gamma = confinement_from_profile(y_um=y_um, profile_abs2=profile_abs2, levels_um=levels_um,
                                     y_range_um=y_range_um)
    k0_per_cm = 2 * math.pi / (wavelength_nm / NM_PER_CM)
    return k0_per_cm * sum(eps_imag.get(name, 0.0) * g for name, g in gamma.items()) / n_eff
