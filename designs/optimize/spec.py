"""The design file's ``optimize:`` section: the variables with their bounds, the objective, the constraints, the
trial budget, the fidelity ladder and the tolerance analysis. Frozen and strict; a variable's name is a path
into the cavity (``period_nm``, ``pump.opening_um``, ``apodization.min_duty``, ``sections.1.phase_step``) or a
layer thickness of the stack (``thickness_nm.LAYER``); ``variables.check_variables`` checks them against the
design's cavity and stack."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from perocav.pdk.bounds import StrictModel

#: what the search minimises (each a record field with its unit)
OptimizeObjective = Literal["threshold_current_density_a_per_cm2", "threshold_material_gain_per_cm",
                            "threshold_modal_gain_per_cm"]


class Variable(StrictModel):
    """One design variable: inclusive bounds in the parameter's own unit, and optionally a grid ``step`` the
    sampler snaps to (integer parameters such as ``n_periods`` always step by whole numbers)."""

    low: float
    high: float
    step: float | None = Field(None, gt=0)

    @model_validator(mode="after")
    def _order(self) -> "Variable":
        if not self.low < self.high:
            raise ValueError("needs low < high")
        return self


class Constraints(StrictModel):
    """Feasibility of a trial besides the die rules (always checked: a design the layout cell refuses is
    infeasible) and the design's ``objective.wavelength_window_nm``: the gain margin to the next mode [1/cm],
    the upward emission ``eta_up`` and a single central lobe (the device model's far field)."""

    min_gain_margin_per_cm: float | None = Field(None, ge=0, le=1e5)
    min_eta_up: float | None = Field(None, ge=0, le=1)
    single_central_lobe: bool = False


class Refine(StrictModel):
    """The fidelity ladder after the search: the ``rcwa_top_n`` best feasible trials again with RCWA unit cells
    for every section (0: none), then the finite-device FDTD of the best of those (``fdtd``)."""

    rcwa_top_n: int = Field(3, ge=0, le=50)
    fdtd: bool = False


class Tolerance(StrictModel):
    """The optimum's fabrication tolerance: period +-``period_nm``, duty cycle +-``duty_cycle`` and the gain
    layer's thickness +-``thickness_relative`` (one at a time and all corners) by the search's model."""

    period_nm: float = Field(1.0, gt=0, le=50)
    duty_cycle: float = Field(0.05, gt=0, le=0.3)
    thickness_relative: float = Field(0.05, gt=0, le=0.5)


class LocalSearch(StrictModel):
    """The local stage after the TPE trials (``designs/optimize/local.py``): from the best trial a line scan of
    every variable in turn across its range at ``scan_points`` values (0: none); the other basins those lines
    cross (another local minimum of a line, parted from the line's best by a hill more than ``basin_rise``
    higher, relative to the objective) scanned the same way, up to ``basins`` in all; then a compass search from
    the best point, its steps from ``initial_step`` of each variable's range halving to ``min_step`` (a variable's
    own ``step`` and whole numbers floor them). ``n_trials``: new evaluations at most, beside the TPE's
    ``n_trials`` (0: off)."""

    n_trials: int = Field(0, ge=0, le=20_000)
    scan_points: int = Field(6, ge=0, le=256)
    basins: int = Field(2, ge=1, le=20)
    basin_rise: float = Field(0.01, ge=0, le=10)
    initial_step: float = Field(0.07, gt=0, le=0.5)
    min_step: float = Field(0.0125, gt=0, le=0.5)

    @model_validator(mode="after")
    def _steps(self) -> "LocalSearch":
        if self.scan_points == 1:
            raise ValueError("scan_points 1 (allowed: 0 for no scan, or at least 2)")
        if self.min_step > self.initial_step:
            raise ValueError(f"min_step {self.min_step:g} (allowed: at most initial_step, {self.initial_step:g})")
        return self


class OptimizeSection(StrictModel):
    """``optimize:``: ``n_trials`` trials of the coupled-mode device model, asked ``batch_size`` at a time (one
    executor batch each), the first ``startup_trials`` random, then optuna's TPE sampler (``seed``); then the
    optional ``local_search`` stage."""

    variables: dict[str, Variable] = Field(min_length=1, max_length=24)
    objective: OptimizeObjective = "threshold_current_density_a_per_cm2"
    constraints: Constraints = Field(default_factory=Constraints)
    n_trials: int = Field(200, ge=1, le=20_000)
    batch_size: int = Field(8, ge=1, le=256)
    startup_trials: int = Field(20, ge=1, le=20_000)
    seed: int = Field(0, ge=0, le=2**31 - 1)
    local_search: LocalSearch | None = None
    refine: Refine = Field(default_factory=Refine)
    tolerance: Tolerance | None = None
