"""Frozen MEEP media made self-consistent: a non-dispersive FDTD run takes every n,k at one freezing wavelength,
so a mode it finds is right only if it lies at that wavelength. Each band edge (or lasing mode) is re-run with the
media frozen where the mode is predicted, then a secant on g(freeze) = lambda_mode(freeze) - freeze until
|g| < tol_nm.

First-order prediction: with the media frozen at lambda_f the mode sits at lambda_f + (lambda_0 - lambda_f) scaled
by n_g,frozen / n_g,true (material dispersion compresses offsets from the freezing point), where n_g,frozen is the
waveguide-only group index and n_g,true the slab solver's full one (``models.dispersion.dispersion``).
Q: a frozen run's ring-down misses the energy the dispersive material stores, so the spatial loss it implies,
alpha = 2 pi n_g,frozen / (lambda Q_frozen), is kept and Q = Q_frozen n_g,true / n_g,frozen (first order).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from perocav.fdtd.models.dfb.dfb_dispersion import predict_wavelength_nm


@dataclass(frozen=True)
class FrozenFix:
    """A mode made self-consistent: wavelength (nm) and Q with dispersion, the freezing wavelength of its last run,
    |lambda_mode - lambda_freeze| there (nm) and the number of extra MEEP runs."""

    wavelength_nm: float
    q: float
    q_frozen: float
    freeze_wavelength_nm: float
    residual_nm: float
    passes: int


def self_consistent_mode(
    *, run_mode: Callable[[float], tuple[float, float] | None], wavelength_nm: float, q: float, freeze_nm: float,
    group_index_frozen: Callable[[float], float], group_index: Callable[[float], float], tol_nm: float = 0.1,
    max_passes: int = 4,
) -> FrozenFix | None:
    """Secant on the freezing wavelength. ``run_mode(freeze_nm)`` runs MEEP with media frozen there and returns the
    tracked mode's (wavelength_nm, Q_frozen) or None; ``group_index_frozen(lam)`` / ``group_index(lam)`` give the
    waveguide-only and full group indices. Starts from a mode found at ``freeze_nm``; None if a run loses it."""
    f0, g0 = freeze_nm, wavelength_nm - freeze_nm
    lam, q_f, f = wavelength_nm, q, freeze_nm
    if abs(g0) < tol_nm:
        return _fix(lam, q_f, f, group_index_frozen, group_index, 0)
    f1 = predict_wavelength_nm(wavelength_nm=wavelength_nm, freeze_nm=freeze_nm,
                               group_index_frozen=group_index_frozen(freeze_nm), group_index=group_index(wavelength_nm))
    for passes in range(1, max_passes + 1):
        got = run_mode(f1)
        if got is None:
            return None
        lam, q_f = got
        g1 = lam - f1
        if abs(g1) < tol_nm or passes == max_passes:
            return _fix(lam, q_f, f1, group_index_frozen, group_index, passes)
        f0, g0, f1 = f1, g1, (f1 - g1 * (f1 - f0) / (g1 - g0) if g1 != g0 else lam)
    return None


def _fix(lam: float, q_frozen: float, freeze: float, ng_frozen, ng, passes: int) -> FrozenFix:
    scale = ng(lam) / ng_frozen(freeze)
    q = q_frozen * scale if math.isfinite(q_frozen) else q_frozen
    return FrozenFix(wavelength_nm=lam, q=q, q_frozen=q_frozen, freeze_wavelength_nm=freeze,
                     residual_nm=abs(lam - freeze), passes=passes)
