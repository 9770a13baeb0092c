"""Result records of the design pipeline: frozen, units in the field names.

Every evaluation yields one ``DesignResult``: the design point, the fidelity, the status, the ``DesignMetrics``
every solver fills (what the table ranks by), and the solver's own record (``DfbAnalyticRecord``,
``CircularAnalyticRecord``, or the fdtd package's one DFB solver record ``DfbSolverResult``). A screened design keeps
the lower-fidelity result it refines in ``earlier``. JSON only at the edges (``record_codec``: cache files;
``table``: the results table)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Union

from perocav.designs.device.record import DeviceRecord
from perocav.fdtd.rcwa.cross_check import RcwaCrossCheck  # noqa: F401  (re-export; no meent import)
from perocav.fdtd.result import FIDELITIES, DfbSolverResult  # noqa: F401  (FIDELITIES re-exported: it lives there)

if TYPE_CHECKING:  # DesignPoint: a hint only (the cavity families below spec.py build their records)
    from perocav.designs.spec import DesignPoint


@dataclass(frozen=True)
class DesignMetrics:
    """What every evaluator reports and the ranking reads (``spec.RANK_DIRECTION`` names these fields).
    Lasing wavelength nm, gains 1/cm, carrier density cm^-3, current density A/cm^2, gain-layer thickness nm."""

    wavelength_nm: float
    q_estimate: float
    threshold_modal_gain_per_cm: float
    threshold_material_gain_per_cm: float
    threshold_density_per_cm3: float
    plqy_at_threshold: float
    threshold_current_density_a_per_cm2: float
    below_auger_limit: bool
    gain_thickness_nm: float
    #: the gain model the threshold used ("spectral": g(lambda, N, T) at the lasing wavelength; "seed": g0 ln(N/N_tr))
    gain_model: str = "seed"
    #: lasing wavelength minus the gain peak's at the threshold density [nm] (> 0: red of the peak; spectral only)
    gain_peak_detuning_nm: float = math.nan
    #: why a threshold is missing (no lasing below the density ceiling), "" otherwise
    gain_note: str = ""


@dataclass(frozen=True)
class SpectralLine:
    """A longitudinal DFB mode: wavelength nm and its threshold power gain (mirror loss) 1/cm."""

    wavelength_nm: float
    power_gain_per_cm: float


@dataclass(frozen=True)
class CircularLine:
    """A resonance of a circular cavity: azimuthal order m, wavelength nm, Q (radiation + absorption)."""

    m: int
    wavelength_nm: float
    q: float


@dataclass(frozen=True)
class DfbAnalyticRecord:
    """Slab modes + coupled-mode theory of one DFB design (``fdtd.models.dfb.dfb_analytic``). Wavelengths nm,
    couplings and losses 1/cm (kappa, h amplitude; losses power), photon lifetime ps."""

    bragg_wavelength_nm: float
    bragg_residual_nm: float
    stopband_short_nm: float
    stopband_long_nm: float
    neff_high: float
    neff_low: float
    group_index: float
    kappa_per_cm: float
    kappa_L: float
    radiation_per_cm: float
    radiating_edge: str  # "short" | "long" | "" (1st order)
    confinement: float  # gain layer, field fraction
    confinement_power: float  # gain layer, power-weighted (the threshold's)
    modal_loss_per_cm: float
    mirror_loss_per_cm: float
    photon_lifetime_ps: float
    side_modes: tuple[SpectralLine, ...] = ()  # the next modes above threshold, lowest first
    n_avg: float = math.nan  # duty-averaged effective index at the Bragg point (the coupled-mode detuning's)
    #: where the Bragg root was solved [nm]: the gain layer's spectrum's window (where g(lambda, N <= the
    #: ceiling) can exceed the loss floor) or the stack's gain_window_nm (the user's filter)
    gain_window_low_nm: float = math.nan
    gain_window_high_nm: float = math.nan
    #: how the root was chosen among several in the window ("" when it was the only one)
    bragg_note: str = ""


@dataclass(frozen=True)
class CircularAnalyticRecord:
    """Self-consistent resonances of a circular cavity (``fdtd.models.circular_analytic``): the chosen (highest-Q)
    mode's order and Q split, the slab numbers of its region, and every resonance found (``modes``)."""

    m: int
    q_radiation: float
    q_absorption: float
    n_modes_found: int
    resonance_residual_nm: float  # resonance condition at the mode with indices there (slab solves)
    resonance_passes: int
    neff_high: float
    neff_low: float
    group_index: float
    confinement: float
    confinement_power: float
    modal_loss_per_cm: float
    photon_lifetime_ps: float
    modes: tuple[CircularLine, ...] = ()


@dataclass(frozen=True)
class SlabProfile:
    """Vertical |E|^2 of the TE0 slab mode over the stack's real index (z nm, substrate < 0)."""

    stack_name: str
    wavelength_nm: float
    z_nm: tuple[float, ...]
    e_abs2: tuple[float, ...]
    interfaces_nm: tuple[float, ...]
    layer_names: tuple[str, ...]
    n_real: tuple[float, ...]  # substrate, each layer, cover


@dataclass(frozen=True)
class DfbDetail:
    """What the report draws of the best DFB design: its coupled-mode spectrum (``modes``, more than the record
    keeps), stop band and Bragg point nm, kappa 1/cm, and the slab mode at the lasing wavelength."""

    wavelength_nm: float
    bragg_wavelength_nm: float
    stopband_short_nm: float
    stopband_long_nm: float
    kappa_per_cm: float
    kappa_L: float
    group_index: float
    radiating_edge: str
    modes: tuple[SpectralLine, ...]
    profile: SlabProfile


SolverRecord = Union[DfbAnalyticRecord, CircularAnalyticRecord, DfbSolverResult]


@dataclass(frozen=True)
class RefineError:
    """A screen stage that failed on a design (its lower-fidelity result stands)."""

    fidelity: str
    error: str


@dataclass(frozen=True)
class DesignResult:
    """One design point evaluated at one fidelity (``status`` ok | failed | missing); a screened design's result
    holds the result it refines in ``earlier`` and the stages that failed on it in ``refine_errors``."""

    key: str  # content address (cache key) of this evaluation
    point: DesignPoint
    fidelity: str
    status: str
    error: str = ""
    traceback: str = ""
    wall_time_s: float = 0.0
    metrics: DesignMetrics | None = None
    solver: SolverRecord | None = None
    cross_check: RcwaCrossCheck | None = None  # MEEP unit cell: RCWA beside it
    detail: DfbDetail | None = None  # analytic DFB, the best design of a run with a report
    device: DeviceRecord | None = None  # DFB device (pump opening, sections): what the metrics come from
    earlier: DesignResult | None = None
    refine_errors: tuple[RefineError, ...] = ()

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    def chain(self) -> tuple[DesignResult, ...]:
        """This result and the ones it refines, lowest fidelity first."""
        return (*self.earlier.chain(), self) if self.earlier is not None else (self,)

    def first(self) -> DesignResult:
        """The screen's first (analytic) result of this design; itself when not screened."""
        return self.chain()[0]
