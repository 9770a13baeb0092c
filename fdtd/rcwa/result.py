"""The RCWA unit-cell record: the MEEP unit cell's field names (``DfbFdtdResult``) plus solver, harmonics and
convergence information. Missing numbers are NaN here and None in ``to_dict``."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the record only (fdtd.dfb_result); this package never imports the MEEP side
    from perocav.fdtd.dfb_result import DfbFdtdResult


@dataclass(frozen=True)
class DfbRcwaResult:
    """One grating unit cell by RCWA. Wavelengths nm, couplings and gains 1/cm (amplitude kappa, h)."""

    status: str  # ok | one_edge | no_resonance
    stack: str
    period_nm: float
    duty_cycle: float
    order: int
    n_periods: int
    quarter_wave_shift: bool
    length_um: float
    solver: str = "rcwa"
    mode: str = "unit_cell"
    bragg_wavelength_cmt_nm: float = math.nan
    edge_short_nm: float = math.nan
    edge_long_nm: float = math.nan
    q_short: float = math.nan
    q_long: float = math.nan
    q_short_resolved: bool = True  # a pole search resolves any Q (inf: lossless)
    q_long_resolved: bool = True
    radiating_edge: str | None = None
    group_index: float = math.nan  # duty-averaged stack's TE0 mode, material + waveguide dispersion
    kappa_per_cm: float = math.nan
    kappa_L: float = math.nan
    kappa_cmt_per_cm: float = math.nan
    stopband_cmt_short_nm: float = math.nan
    stopband_cmt_long_nm: float = math.nan
    radiation_per_cm: float = math.nan  # Kazarinov-Henry h_r from the edge Qs (2nd order)
    radiation_reactive_per_cm: float = math.nan  # h_i from the radiating edge's shift (2nd order)
    kappa_splitting_per_cm: float = math.nan
    bragg_wavelength_fdtd_nm: float = math.nan  # 2nd order: the duty-averaged stack's guided mode (band centre)
    radiation_cmt_per_cm: float = math.nan
    threshold_cmt_modal_gain_per_cm: float = math.nan
    lasing_wavelength_nm: float = math.nan
    lasing_q: float = math.nan
    threshold_modal_gain_per_cm: float = math.nan
    threshold_material_gain_per_cm: float = math.nan
    threshold_source: str = ""
    confinement_power: float = math.nan  # gain layer, power-weighted (Visser): g_mat = g_modal / it
    confinement_model: str = "analytic"  # RCWA gives no fields here: the duty-averaged stack's slab mode
    confinement_slab: float = math.nan
    modal_loss_fdtd_per_cm: float = math.nan
    modal_loss_slab_per_cm: float = math.nan
    converged: bool = False
    convergence_reason: str = ""
    resolution_px_per_um: float = math.nan  # FDTD only
    ring_down_um: float = math.nan  # FDTD only
    resolutions_tried: str = ""  # FDTD only
    group_index_frozen: float = math.nan  # FDTD only (media frozen at one wavelength); RCWA freezes nothing
    edge_short_frozen_nm: float = math.nan  # FDTD only
    edge_long_frozen_nm: float = math.nan  # FDTD only
    q_short_frozen: float = math.nan  # FDTD only
    q_long_frozen: float = math.nan  # FDTD only
    freeze_residual_nm: float = math.nan  # FDTD only
    freeze_passes: int = 0  # FDTD only
    extrapolated: bool = False  # FDTD only (Richardson over two resolutions)
    extrapolation_nm: float = math.nan  # FDTD only
    q_short_absorption: float = math.nan  # FDTD only (parity runs: absorption Q by perturbation theory)
    q_long_absorption: float = math.nan  # FDTD only
    n_harmonics: int = 0  # orders -N..N at the final rung
    harmonics_tried: str = ""
    edge_change_nm: float = math.nan  # largest edge shift between the last two rungs
    q_change_relative: float = math.nan  # largest relative Q change between the last two rungs
    fano_wavelength_nm: float = math.nan  # radiating edge from the Fano fit of r(lambda) at normal incidence
    fano_q: float = math.nan
    fano_misfit: float = math.nan  # relative rms misfit of the one-pole fit
    pole_search_radiating_nm: float = math.nan  # the same edge from the complex-frequency pole search
    pole_search_radiating_q: float = math.nan
    wall_time_s: float = 0.0
    meep_version: str = ""
    rcwa_library: str = ""
    warnings: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        """Flat JSON-ready dict: NaN/inf -> None, warnings joined."""
        d = asdict(self)
        d["warnings"] = "; ".join(self.warnings)
        return {k: (None if isinstance(v, float) and not math.isfinite(v) else v) for k, v in d.items()}


#: fields only the RCWA record has: a MEEP record's JSON dict gets them as None (``same_fields``)
RCWA_ONLY_FIELDS = ("solver", "n_harmonics", "harmonics_tried", "edge_change_nm", "q_change_relative",
                    "fano_wavelength_nm", "fano_q", "fano_misfit", "pole_search_radiating_nm", "pole_search_radiating_q",
                    "rcwa_library")


def same_fields(meep: DfbFdtdResult) -> dict:
    """The JSON-ready dict of a MEEP unit-cell/finite record (``DfbFdtdResult``) with the RCWA-only fields added
    (None; solver = 'meep'), so both solvers print the same JSON keys."""
    out = meep.to_dict()
    for key in RCWA_ONLY_FIELDS:
        out.setdefault(key, None)
    out["solver"] = "meep"
    return out
