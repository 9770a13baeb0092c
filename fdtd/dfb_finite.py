"""Extract step of a finite DFB grating's FDTD: the lasing mode (highest-Q pencil pole near the Bragg wavelength
among those with >= 5 % of the strongest amplitude), its threshold modal gain 2 pi n_g / (lambda Q) and its
profile along the gain layer. Wavelengths nm, gains 1/cm, x um.

A grating with kappa L << 1 (e.g. 20 periods of a 1400/cm grating, kappa L = 0.28) has a cavity Q of ~20-30: it
rings down within a few periods of the source and the finite path reports ``no_resonance``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from perocav.fdtd.models.gain import threshold_modal_gain_per_cm
from perocav.fdtd.extract.convergence import ConvergenceStep
from perocav.fdtd.extract.freeze import FrozenFix
from perocav.fdtd.meep.dfb_cell import DfbCell
from perocav.fdtd.meep.runner_2d import RingdownResult


@dataclass(frozen=True)
class LasingMode:
    """The finite grating's lasing mode with dispersive media (field names as in ``DfbSolverResult`` / ``MeepDetails``)."""

    lasing_wavelength_nm: float
    lasing_q: float
    threshold_modal_gain_per_cm: float
    threshold_source: str
    freeze_residual_nm: float
    freeze_passes: int
    mode_profile_x_um: tuple[float, ...] = ()
    mode_profile_abs2: tuple[float, ...] = ()


def lasing_mode(*, cell: DfbCell, step: ConvergenceStep, fix: FrozenFix | None, run: RingdownResult,
                group_index: Callable[[float], float], warnings: list[str]) -> LasingMode:
    """The lasing mode of the last rung, made self-consistent (``fix``; None: kept frozen, Q rescaled)."""
    lam, q = step.wavelengths_nm[0], step.qs[0]
    if fix is None:
        warnings.append("the self-consistent re-run lost the lasing mode: media frozen at the Bragg point")
        fix = FrozenFix(wavelength_nm=lam, q=q * group_index(lam) / cell.group_index_frozen, q_frozen=q,
                        freeze_wavelength_nm=cell.bragg_nm, residual_nm=abs(lam - cell.bragg_nm), passes=0)
    if not step.q_resolved[0]:
        warnings.append("lasing-mode Q is only a lower bound (ring-down too short to see it decay)")
    lam, q = fix.wavelength_nm, fix.q
    g_modal = threshold_modal_gain_per_cm(wavelength_nm=lam, q=q, group_index=group_index(lam))
    profile = _gain_layer_profile(cell=cell, run=run)
    return LasingMode(lasing_wavelength_nm=lam, lasing_q=q, threshold_modal_gain_per_cm=g_modal,
                      threshold_source="finite FDTD: 2 pi n_g / (lambda Q)",
                      freeze_residual_nm=fix.residual_nm, freeze_passes=fix.passes, **profile)


def _gain_layer_profile(*, cell: DfbCell, run: RingdownResult) -> dict[str, tuple[float, ...]]:
    """|E|^2 along x averaged over the gain layer's height (empty when the snapshot has no row there)."""
    stack, geom = cell.stack, cell.geometry
    y = cell.source_xy_um[1]
    gy = geom.levels_um[stack.gain_layer] if stack.gain_layer else (y, y)
    sel = (run.y_um >= gy[0]) & (run.y_um <= gy[1])
    if not sel.any():
        return {}
    return {"mode_profile_x_um": tuple(map(float, run.x_um)),
            "mode_profile_abs2": tuple(map(float, run.field_abs2[:, sel].mean(axis=1)))}
