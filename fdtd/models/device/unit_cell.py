"""One section geometry's unit-cell numbers at a fidelity, as the device model reads them: the Bragg point, the
couplings in the coupled-wave convention of docs/physics.md section 8, the gain layer's power confinement and the
modal loss of the other layers. Built from the analytic model (``DfbAnalytic``) or a solver record (RCWA / MEEP
``DfbSolverResult``). Wavelengths nm, couplings and losses 1/cm (kappa, h amplitude; losses intensity)."""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class SectionCell:
    """Unit-cell numbers of one (order, period, duty) section. ``kappa_per_cm`` is signed in the physics.md sec 8
    convention (dR/dz = ... + (i kappa - h) exp(-2 i phi) S), the opposite sign of ``models.dfb.cmt_dfb``'s;
    ``model``: which solver produced it (analytic | rcwa | fdtd)."""

    order: int
    period_nm: float
    duty_cycle: float
    model: str
    bragg_wavelength_nm: float
    n_avg: float
    group_index: float
    kappa_per_cm: float
    radiation_per_cm: float
    radiation_reactive_per_cm: float
    confinement_power: float
    modal_loss_per_cm: float
    #: (stack layer, share of ``modal_loss_per_cm``) of the absorbing layers, shares summing to 1, from the analytic
    #: guide's first-order split (``cell_layers``); empty: not split
    layer_loss_shares: tuple[tuple[str, float], ...] = ()

    @property
    def key(self) -> tuple[int, float, float]:
        return cell_key(order=self.order, period_nm=self.period_nm, duty_cycle=self.duty_cycle)


def cell_key(*, order: int, period_nm: float, duty_cycle: float) -> tuple[int, float, float]:
    """The identity of a section geometry (rounded so that equal sections from different sums compare equal)."""
    return int(order), round(float(period_nm), 6), round(float(duty_cycle), 9)


def cell_from_analytic(r, *, order: int, period_nm: float, duty_cycle: float) -> SectionCell:
    """From a ``DfbAnalytic`` (``models.dfb.dfb_analytic``) of this section geometry; the Bragg point is its
    coupled-mode one (2 n_avg period / order, the reference of its detunings)."""
    return SectionCell(order=order, period_nm=period_nm, duty_cycle=duty_cycle, model="analytic",
                       bragg_wavelength_nm=r.cmt.bragg_wavelength_nm, n_avg=r.n_avg, group_index=r.group_index,
                       kappa_per_cm=-r.kappa_per_cm, radiation_per_cm=r.radiation_per_cm,
                       radiation_reactive_per_cm=0.0, confinement_power=r.confinement_power,
                       modal_loss_per_cm=r.modal_loss_per_cm)


def _finite(v: float, default: float = 0.0) -> float:
    return v if isinstance(v, (int, float)) and math.isfinite(v) else default


def solver_kappa_sign(r, *, analytic: SectionCell) -> float:
    """The sign of a solver record's kappa (it stores |kappa|) in the physics.md convention: at 2nd order from
    its radiating edge (``cmt_dfb``: kappa > 0 when the long edge radiates; physics.md's kappa is its negative), at
    1st order the analytic model's of the same geometry (only relative signs between sections matter there)."""
    if r.order == 2 and r.radiating_edge in ("short", "long"):
        return -1.0 if r.radiating_edge == "long" else 1.0
    return math.copysign(1.0, analytic.kappa_per_cm)


def cell_from_solver(r, *, analytic: SectionCell) -> SectionCell:
    """From an RCWA / MEEP ``DfbSolverResult`` of this section geometry; n_avg = order lambda_B / (2 period) as the
    solvers take it; ``analytic``: the same geometry's analytic cell (the sign of a 1st-order kappa, the layer split
    of the modal loss)."""
    bragg = r.bragg_wavelength_nm  # 1st order: the stop band's centre (the solvers report no separate Bragg point)
    if not math.isfinite(bragg):
        bragg = 0.5 * (r.edge_short_nm + r.edge_long_nm)
    return SectionCell(order=r.order, period_nm=r.period_nm, duty_cycle=r.duty_cycle, model=r.model,
                       bragg_wavelength_nm=bragg, n_avg=r.order * bragg / (2.0 * r.period_nm), group_index=r.group_index,
                       kappa_per_cm=solver_kappa_sign(r, analytic=analytic) * abs(r.kappa_per_cm),
                       radiation_per_cm=_finite(r.radiation_per_cm),
                       radiation_reactive_per_cm=_finite(r.radiation_reactive_per_cm),
                       confinement_power=r.confinement_power, modal_loss_per_cm=_finite(r.modal_loss_per_cm),
                       layer_loss_shares=analytic.layer_loss_shares)
