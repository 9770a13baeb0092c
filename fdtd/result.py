"""The one record every DFB solver backend returns (MEEP FDTD ``fdtd.dfb.simulate_dfb``, RCWA
``fdtd.rcwa.simulate_dfb_rcwa``, and any later one): the quantities they share under one name each, plus a
backend's own numbers in ``details`` (``MeepDetails`` | ``RcwaDetails``). It lives below both backends and imports
neither. Wavelengths nm, Q dimensionless, couplings and gains 1/cm (kappa, h amplitude; gains and losses power),
lengths um, times s. Missing numbers are NaN here and None in ``to_dict``; ``status`` says why."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields, replace
from typing import Any, Protocol

from perocav.fdtd.extract.convergence import ConvergenceStep
from perocav.fdtd.extract.cross_section import CrossSection

#: what an evaluation's ``fidelity`` may be: the analytic model and the solver backends, lowest first
FIDELITIES = ("analytic", "rcwa", "fdtd")
#: the solver backends (a ``DfbSolverResult.model``), each a fidelity
SOLVER_MODELS = ("rcwa", "fdtd")
#: ``confinement_model``: the tier whose mode gave the power-weighted confinement
CONFINEMENT_MODELS = FIDELITIES


class DfbBackend(Protocol):
    """The one backend signature: ``simulate_dfb`` (MEEP; also ``mode``, ``analytic``) and ``simulate_dfb_rcwa``
    take a ``Stack``, a ``DfbGrating``, the backend's frozen settings and an optional progress callback, keyword-only,
    and return a ``DfbSolverResult``."""

    def __call__(self, *, stack: Any, grating: Any, settings: Any = ..., progress: Any = None) -> DfbSolverResult: ...


@dataclass(frozen=True)
class BlochBands:
    """MEEP Bloch unit-cell runs off the Bragg point (``fdtd.bands``): at each k_B + dk (dk_per_um, cycles / um)
    the long- and short-wavelength band [nm] (mapped to the dispersive stack) and their Qs; one resolution and
    ring-down [um/c]; NaN where a run found fewer than two modes."""

    resolution_px_per_um: float
    ring_down_um: float
    dk_per_um: tuple[float, ...]
    lower_nm: tuple[float, ...]
    upper_nm: tuple[float, ...]
    q_lower: tuple[float, ...]
    q_upper: tuple[float, ...]
    wall_time_s: float


@dataclass(frozen=True)
class MeepDetails:
    """What only the MEEP backend has: the frozen-media numbers of its ladder (media frozen at the analytic Bragg
    point: waveguide-only n_g, edges and their non-dispersive Qs), the self-consistent freezing (largest
    |mode - freeze| nm, extra runs), the 2nd-order parity path's Richardson extrapolation (nm moved) and absorption
    Qs, the ladder (ring-down um/c, the rungs), the MEEP version, and the arrays (every rung, the mode profile, the
    end-of-run |E|^2 cross-section of the longer-lived edge and, on the parity path, of the other edge's own run, the
    Bloch band points of the band diagram)."""

    group_index_frozen: float = math.nan
    edge_short_frozen_nm: float = math.nan
    edge_long_frozen_nm: float = math.nan
    q_short_frozen: float = math.nan
    q_long_frozen: float = math.nan
    freeze_residual_nm: float = math.nan
    freeze_passes: int = 0
    extrapolated: bool = False
    extrapolation_nm: float = math.nan
    q_short_absorption: float = math.nan
    q_long_absorption: float = math.nan
    ring_down_um: float = math.nan
    resolutions_tried: str = ""
    meep_version: str = ""
    history: tuple[ConvergenceStep, ...] = field(default=(), repr=False)
    mode_profile_x_um: tuple[float, ...] = field(default=(), repr=False)
    mode_profile_abs2: tuple[float, ...] = field(default=(), repr=False)
    cross_section: CrossSection | None = field(default=None, repr=False, compare=False)
    cross_section_other: CrossSection | None = field(default=None, repr=False, compare=False)
    bands: BlochBands | None = field(default=None, repr=False)


@dataclass(frozen=True)
class RcwaDetails:
    """What only the RCWA backend has: the harmonics tried, the last rung's largest edge shift nm and relative Q
    change, the 2nd-order radiating edge by the Fano fit of r(lambda) (nm, Q, relative rms misfit) and by the
    complex pole search (nm, Q), and the RCWA library."""

    harmonics_tried: str = ""
    edge_change_nm: float = math.nan
    q_change_relative: float = math.nan
    fano_wavelength_nm: float = math.nan
    fano_q: float = math.nan
    fano_misfit: float = math.nan
    pole_search_radiating_nm: float = math.nan
    pole_search_radiating_q: float = math.nan
    rcwa_library: str = ""


#: details fields that are arrays or per-rung records, not columns
ARRAY_FIELDS = ("history", "mode_profile_x_um", "mode_profile_abs2", "cross_section", "cross_section_other", "bands")


def detail_columns() -> tuple[str, ...]:
    """The scalar field names of every backend's details (a flat dict with the same keys for every backend)."""
    return tuple(f.name for cls in (MeepDetails, RcwaDetails) for f in fields(cls) if f.name not in ARRAY_FIELDS)


@dataclass(frozen=True)
class DfbSolverResult:
    """One DFB design by one solver backend (``model``: "fdtd" | "rcwa"); ``mode``: "unit_cell" | "finite".

    Band edges and their Qs (``q_*_resolved`` False: the ring-down only bounds Q from below), the radiating edge
    (2nd order), the mode group index with material dispersion, kappa (and kappa L, and the splitting's kappa),
    Kazarinov-Henry h and its reactive part, the Bragg wavelength of the duty-averaged guide (2nd order: the band
    centre), the lasing mode (nm, Q) and its modal and material threshold gains: material = modal / confinement_power,
    the power-weighted (Visser) confinement of the tier ``confinement_model``; modal_loss_per_cm: the cold guide's
    absorption. ``resolution_px_per_um`` (FDTD) / ``n_harmonics`` (RCWA): the final rung."""

    model: str
    status: str  # ok | unstable | no_resonance | one_edge
    stack: str
    period_nm: float
    duty_cycle: float
    order: int
    n_periods: int
    quarter_wave_shift: bool
    length_um: float
    mode: str = "unit_cell"
    edge_short_nm: float = math.nan
    edge_long_nm: float = math.nan
    q_short: float = math.nan
    q_long: float = math.nan
    q_short_resolved: bool = False
    q_long_resolved: bool = False
    radiating_edge: str | None = None
    group_index: float = math.nan
    kappa_per_cm: float = math.nan
    kappa_L: float = math.nan
    kappa_splitting_per_cm: float = math.nan
    radiation_per_cm: float = math.nan
    radiation_reactive_per_cm: float = math.nan
    bragg_wavelength_nm: float = math.nan
    lasing_wavelength_nm: float = math.nan
    lasing_q: float = math.nan
    threshold_modal_gain_per_cm: float = math.nan
    threshold_material_gain_per_cm: float = math.nan
    threshold_source: str = ""
    confinement_power: float = math.nan
    confinement_model: str = ""
    modal_loss_per_cm: float = math.nan
    converged: bool = False
    convergence_reason: str = ""
    resolution_px_per_um: float = math.nan
    n_harmonics: int | None = None  # RCWA only (orders -N..N); None for MEEP
    wall_time_s: float = 0.0
    warnings: tuple[str, ...] = ()
    details: MeepDetails | RcwaDetails | None = None

    def __post_init__(self) -> None:
        if self.model not in SOLVER_MODELS:
            raise ValueError(f"model {self.model!r} is not one of {SOLVER_MODELS}")
        if self.confinement_model and self.confinement_model not in CONFINEMENT_MODELS:
            raise ValueError(f"confinement_model {self.confinement_model!r} is not one of {CONFINEMENT_MODELS}")

    def columns(self) -> dict:
        """The scalars, flat: the shared fields and the details' (arrays and per-rung records left out)."""
        out = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "details"}
        if self.details is not None:
            out |= {f.name: getattr(self.details, f.name) for f in fields(self.details) if f.name not in ARRAY_FIELDS}
        return out

    def to_dict(self) -> dict:
        """Flat JSON-ready dict (``columns``): NaN/inf -> None, warnings joined."""
        d = self.columns()
        d["warnings"] = "; ".join(self.warnings)
        return {k: (None if isinstance(v, float) and not math.isfinite(v) else v) for k, v in d.items()}

    def stored(self) -> DfbSolverResult:
        """The record as a cache keeps it: the per-rung history (a few numbers per rung: the report's ladder table),
        no mode profile, the cross-section as stored (4 digits)."""
        d = self.details
        if not isinstance(d, MeepDetails):
            return self
        def kept(cs):
            return None if cs is None else type(cs).from_record(cs.to_record())

        return replace(self, details=replace(d, mode_profile_x_um=(), mode_profile_abs2=(),
                                             cross_section=kept(d.cross_section),
                                             cross_section_other=kept(d.cross_section_other)))
