"""Extract step of a DFB unit cell: couplings from the band edges, the edges made self-consistent with the
dispersive media, and the Kogelnik-Shank threshold with the FDTD couplings. Wavelengths nm, couplings 1/cm.

1st order: kappa = pi n_g d_lambda / lambda0^2. 2nd order (Kazarinov-Henry, h = h_r + i h_i): kappa = the dark
edge's detuning from the Bragg centre (guided mode of the duty-averaged cell), h_i from the radiating edge's extra
shift, h_r = pi n_g / (2 lambda) (1/Q_rad - 1/Q_dark). ``lasing_q``: the Q that threshold implies,
2 pi n_g / (lambda g_th), to compare with the finite path.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from perocav.fdtd.models.dfb import dfb_couplings as E
from perocav.fdtd.extract.convergence import ConvergenceStep
from perocav.fdtd.extract.freeze import FrozenFix
from perocav.fdtd.meep.dfb_cell import DfbCell
from perocav.fdtd.models.dfb.cmt import DfbCouplings, analyze_dfb
from perocav.fdtd.models.gain import radiation_from_edge_qs_per_cm


@dataclass(frozen=True)
class EdgeCouplings:
    """Couplings of the frozen-media band edges (field names as in ``DfbSolverResult`` / ``MeepDetails``); ``kappa_signed_per_cm`` and
    ``centre_nm`` (the Bragg centre used) feed the threshold."""

    edge_short_nm: float
    edge_long_nm: float
    q_short: float
    q_long: float
    q_short_resolved: bool
    q_long_resolved: bool
    kappa_splitting_per_cm: float
    kappa_per_cm: float
    kappa_L: float
    radiating_edge: str | None = None
    radiation_per_cm: float = math.nan
    radiation_reactive_per_cm: float = math.nan
    bragg_wavelength_nm: float = math.nan
    kappa_signed_per_cm: float = math.nan
    centre_nm: float = math.nan


def edge_couplings(*, cell: DfbCell, step: ConvergenceStep, centre_nm: float | None,
                   warnings: list[str]) -> EdgeCouplings:
    """Couplings from the last rung's two edges (and, 2nd order, the duty-averaged cell's centre ``centre_nm``)."""
    (ls, ll), (qs, ql), (rs, rl) = step.wavelengths_nm, step.qs, step.q_resolved
    n_g, length_um = cell.group_index_frozen, cell.grating.length_um
    kappa = E.kappa_from_edges_per_cm(short_nm=ls, long_nm=ll, group_index=n_g)
    base = dict(edge_short_nm=ls, edge_long_nm=ll, q_short=qs, q_long=ql, q_short_resolved=rs, q_long_resolved=rl,
                kappa_splitting_per_cm=kappa)
    if cell.grating.order == 1:
        return EdgeCouplings(**base, kappa_per_cm=kappa, kappa_L=kappa * length_um * 1e-4, kappa_signed_per_cm=kappa,
                             centre_nm=0.5 * (ls + ll))
    radiating = "short" if qs < ql else "long"
    q_rad, q_dark = min(qs, ql), max(qs, ql)
    lam_c = 0.5 * (ls + ll)
    h = radiation_from_edge_qs_per_cm(wavelength_nm=lam_c, q_radiating=q_rad, q_dark=q_dark, group_index=n_g)
    if not (rs and rl):
        warnings.append("the dark edge's Q is only a lower bound (ring-down too short to see it decay)")
    extra = dict(radiating_edge=radiating, radiation_per_cm=h)
    if centre_nm is None:
        warnings.append("the duty-averaged cell gave no guided mode: kappa from the splitting "
                        "(includes the reactive radiation coupling)")
        signed = kappa if radiating == "long" else -kappa
        return EdgeCouplings(**base, **extra, kappa_per_cm=kappa, kappa_L=kappa * length_um * 1e-4,
                             kappa_signed_per_cm=signed, centre_nm=lam_c)
    dark, rad = (ll, ls) if radiating == "short" else (ls, ll)
    signed, h_i = E.second_order_couplings_per_cm(centre_nm=centre_nm, dark_nm=dark, radiating_nm=rad, group_index=n_g)
    return EdgeCouplings(**base, **extra, kappa_per_cm=abs(signed), kappa_L=abs(signed) * length_um * 1e-4,
                         radiation_reactive_per_cm=h_i, bragg_wavelength_nm=centre_nm,
                         kappa_signed_per_cm=signed, centre_nm=centre_nm)


@dataclass(frozen=True)
class SelfConsistentEdges:
    """The band edges with the dispersive media (field names as in ``DfbSolverResult`` / ``MeepDetails``)."""

    edge_short_nm: float
    edge_long_nm: float
    q_short: float
    q_long: float
    edge_short_frozen_nm: float
    edge_long_frozen_nm: float
    q_short_frozen: float
    q_long_frozen: float
    freeze_residual_nm: float
    freeze_passes: int


def self_consistent_edges(*, couplings: EdgeCouplings, fixes: tuple[FrozenFix | None, FrozenFix | None],
                          warnings: list[str]) -> SelfConsistentEdges:
    """Each edge replaced by its self-consistent value where the re-run kept it (frozen value kept otherwise)."""
    c = couplings
    lams, qs = [c.edge_short_nm, c.edge_long_nm], [c.q_short, c.q_long]
    residuals, passes = [], 0
    for i, (name, fx) in enumerate(zip(("short", "long"), fixes)):
        if fx is None:
            warnings.append(f"the self-consistent re-run lost the {name} edge: media frozen at the Bragg point")
            continue
        lams[i], qs[i] = fx.wavelength_nm, fx.q
        residuals.append(fx.residual_nm)
        passes += fx.passes
    return SelfConsistentEdges(edge_short_nm=lams[0], edge_long_nm=lams[1], q_short=qs[0], q_long=qs[1],
                               edge_short_frozen_nm=c.edge_short_nm, edge_long_frozen_nm=c.edge_long_nm,
                               q_short_frozen=c.q_short, q_long_frozen=c.q_long,
                               freeze_residual_nm=max(residuals) if residuals else math.nan, freeze_passes=passes)


@dataclass(frozen=True)
class UnitCellThreshold:
    """Kogelnik-Shank lasing mode (nm) and its mirror loss (1/cm, power) with the FDTD couplings."""

    lasing_wavelength_nm: float
    mirror_loss_per_cm: float
    threshold_source: str


def unit_cell_threshold(*, cell: DfbCell, couplings: EdgeCouplings, centre_nm: float,
                        group_index: Callable[[float], float]) -> UnitCellThreshold | None:
    """Coupled-mode threshold of the finite grating from the unit cell's kappa and radiation couplings about the
    Bragg centre ``centre_nm`` (dispersive stack); None when the coupled-mode model finds no mode."""
    g, c, lam_c = cell.grating, couplings, centre_nm
    h = 0.0 if g.order == 1 else c.radiation_per_cm
    h_i = 0.0 if not math.isfinite(c.radiation_reactive_per_cm) else c.radiation_reactive_per_cm
    cmt = analyze_dfb(grating=g, couplings=DfbCouplings(kappa_per_cm=c.kappa_signed_per_cm, radiation_per_cm=h,
                                                       radiation_reactive_per_cm=h_i),
                      n_avg=g.order * lam_c / (2 * g.period_nm), group_index=group_index(lam_c))
    if not cmt.modes:
        return None
    return UnitCellThreshold(lasing_wavelength_nm=cmt.modes[0].wavelength_nm,
                             mirror_loss_per_cm=cmt.modes[0].power_gain_per_cm,
                             threshold_source="Kogelnik-Shank with FDTD kappa and radiation, + FDTD modal loss")
