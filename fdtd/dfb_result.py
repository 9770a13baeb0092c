"""The record of a DFB FDTD run (``perocav.fdtd.dfb.simulate_dfb``): wavelengths nm, Q dimensionless, couplings and
gains 1/cm, lengths um, times s."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

from perocav.fdtd.extract.convergence import ConvergenceStep
from perocav.fdtd.extract.cross_section import CrossSection


@dataclass(frozen=True)
class DfbFdtdResult:
    """Flat record (``to_dict``). Missing numbers are NaN here and None in ``to_dict``; ``status`` says why."""

    mode: str
    status: str  # ok | unstable | no_resonance | one_edge
    stack: str
    period_nm: float
    duty_cycle: float
    order: int
    n_periods: int
    quarter_wave_shift: bool
    length_um: float
    bragg_wavelength_cmt_nm: float
    edge_short_nm: float = math.nan
    edge_long_nm: float = math.nan
    q_short: float = math.nan
    q_long: float = math.nan
    q_short_resolved: bool = False  # False: the ring-down only bounds Q from below
    q_long_resolved: bool = False
    radiating_edge: str | None = None
    group_index: float = math.nan  # mode group index with material dispersion (models.dispersion) at the lasing mode
    group_index_frozen: float = math.nan  # waveguide-only n_g of the averaged stack, media frozen at the Bragg point
    edge_short_frozen_nm: float = math.nan  # edges of the ladder's runs, media frozen at the analytic Bragg point
    edge_long_frozen_nm: float = math.nan
    q_short_frozen: float = math.nan  # their Qs (non-dispersive media: no stored energy of the material dispersion)
    q_long_frozen: float = math.nan
    freeze_residual_nm: float = math.nan  # max |mode - freezing wavelength| of the self-consistent runs
    freeze_passes: int = 0  # extra MEEP runs that made the modes self-consistent
    #: 2nd-order unit cell with parity runs: the edges and the Bragg centre are Richardson-extrapolated (second order)
    #: from the last two rungs; by how much the edges moved from the last rung (nm)
    extrapolated: bool = False
    extrapolation_nm: float = math.nan
    q_short_absorption: float = math.nan  # absorption Q of each edge by perturbation theory (parity runs)
    q_long_absorption: float = math.nan
    kappa_per_cm: float = math.nan
    kappa_L: float = math.nan
    kappa_cmt_per_cm: float = math.nan
    stopband_cmt_short_nm: float = math.nan
    stopband_cmt_long_nm: float = math.nan
    radiation_per_cm: float = math.nan  # Kazarinov-Henry h from the edge Qs (2nd order, amplitude)
    radiation_reactive_per_cm: float = math.nan  # its reactive part h_i from the radiating edge's shift (2nd order)
    kappa_splitting_per_cm: float = math.nan  # pi n_g d_lambda / lambda^2 (2nd order: index + reactive coupling)
    bragg_wavelength_fdtd_nm: float = math.nan  # 2nd order: the duty-averaged cell's guided mode (band centre)
    radiation_cmt_per_cm: float = math.nan  # Born-approximation h of the coupled-mode model
    threshold_cmt_modal_gain_per_cm: float = math.nan  # coupled-mode threshold of the same design (+ slab loss)
    lasing_wavelength_nm: float = math.nan
    lasing_q: float = math.nan
    threshold_modal_gain_per_cm: float = math.nan
    threshold_material_gain_per_cm: float = math.nan
    threshold_source: str = ""
    confinement_power: float = math.nan  # gain layer, power-weighted (Visser), FDTD snapshot: g_mat = g_modal / it
    confinement_model: str = "fdtd"  # the tier whose mode gave ``confinement_power``
    confinement_slab: float = math.nan  # the same, of the analytic slab mode
    modal_loss_fdtd_per_cm: float = math.nan
    modal_loss_slab_per_cm: float = math.nan
    converged: bool = False
    convergence_reason: str = ""
    resolution_px_per_um: float = math.nan
    ring_down_um: float = math.nan
    resolutions_tried: str = ""
    wall_time_s: float = 0.0
    meep_version: str = ""
    warnings: tuple[str, ...] = ()
    history: tuple[ConvergenceStep, ...] = field(default=(), repr=False)  # every rung of the ladder
    mode_profile_x_um: tuple[float, ...] = field(default=(), repr=False)
    mode_profile_abs2: tuple[float, ...] = field(default=(), repr=False)
    #: |E|^2 over the cell (PML cropped, block-averaged) at the end of the last run: the longest-lived mode
    cross_section: CrossSection | None = field(default=None, repr=False, compare=False)

    def to_dict(self) -> dict:
        d = asdict(self)
        for k in ("history", "mode_profile_x_um", "mode_profile_abs2", "cross_section"):
            d.pop(k)
        d["warnings"] = "; ".join(self.warnings)
        return {k: (None if isinstance(v, float) and not math.isfinite(v) else v) for k, v in d.items()}
