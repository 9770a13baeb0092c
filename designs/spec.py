"""Design files: strict, frozen schema (units in key names) and loading with one-line errors."""

from __future__ import annotations

import hashlib
import itertools
import json
import math
import re
from pathlib import Path
from typing import Annotated, Literal, Union

import numpy as np
from pydantic import Discriminator, Field, Tag, ValidationError, field_validator, model_validator

from perocav.designs.cavities import cavity_specs, family, supporting
from perocav.designs.cavities.cell import build_cavity_cell  # noqa: F401  (re-export)
from perocav.designs.cavities.circular import CircularDfbCavity, DiskCavity, RingCavity  # noqa: F401  (re-export)
from perocav.designs.cavities.dfb import DfbCavity  # noqa: F401  (re-export)
from perocav.designs.design_gate import check_points
from perocav.designs.mask_bracket import bracket_axes
from perocav.designs.optimize.spec import OptimizeSection
from perocav.designs.optimize.variables import check_variables
from perocav.designs.records import FIDELITIES
from perocav.designs.thermal_rank import check_drive
from perocav.designs.threshold import GainMaterial
from perocav.fdtd.models.thermal.thermal_drive import PulseDrive
from perocav.pdk.bounds import StrictModel, ThicknessNm
from perocav.pdk.errors import InputError, from_validation_error
from perocav.pdk.stack_file import resolve_stack
from perocav.pdk.yaml_io import read_yaml_mapping

#: Most design points one design file may describe (counted from the axes before anything is expanded).
MAX_SWEEP_POINTS = 20_000

#: Design names: they name output files (``NAME_mask.gds``, ``out/NAME``), so they cannot leave a folder.
NAME_PATTERN = r"^[A-Za-z][A-Za-z0-9_]{0,34}$"
NAME_ALLOWED = "a letter, then letters, digits or _; at most 35 characters (the mask is NAME_mask)"


class _Frozen(StrictModel):
    """Frozen, unknown keys refused, no inf/nan, no true/false for numbers (see perocav.pdk.bounds)."""


class StackRef(_Frozen):
    """A built-in stack name (or a stack YAML path; ``load_design`` makes relative paths absolute) plus overrides."""

    name: str = Field(min_length=1)
    thickness_nm: dict[str, ThicknessNm] = Field(default_factory=dict)

    def resolve(self):
        return resolve_stack(self.name, thickness_nm=self.thickness_nm or None)


#: the ``cavity:`` section: one spec class per registered family (``designs/cavities/``), told apart by ``type``
Cavity = Annotated[Union[cavity_specs()], Field(discriminator="type")]


class Range(_Frozen):
    """Inclusive range: ``{start, stop, step}`` or ``{start, stop, num}``."""

    start: float
    stop: float
    step: float | None = Field(None, gt=0)
    num: int | None = Field(None, ge=1, le=10_000)

    @model_validator(mode="after")
    def _one(self) -> "Range":
        if (self.step is None) == (self.num is None):
            raise ValueError("give exactly one of step or num")
        if self.stop < self.start:
            raise ValueError("stop must be >= start")
        if self.count > MAX_SWEEP_POINTS:
            raise InputError(f"{self.count:.3g} values", field="", relative=True,
                             allowed=f"<= {MAX_SWEEP_POINTS} points per design file (a larger step or fewer num)")
        return self

    @property
    def count(self) -> int | float:
        """Number of values, computed without listing them (a float when astronomically large)."""
        if self.num is not None:
            return self.num
        n = (self.stop - self.start) / self.step + 1e-9
        return int(n) + 1 if n < 1e15 else n

    def values(self) -> list[float]:
        if self.num is not None:
            return [float(v) for v in np.linspace(self.start, self.stop, self.num)]
        n = int(np.floor((self.stop - self.start) / self.step + 1e-9)) + 1
        return [round(self.start + i * self.step, 9) for i in range(n)]


def _axis_kind(value) -> str | None:
    if isinstance(value, (dict, Range)):
        return "axis-range"
    if isinstance(value, (list, tuple)):
        return "axis-list"
    return None


#: One sweep axis: a Range ``{start, stop, step|num}`` or a non-empty list of values.
AxisValues = Annotated[Union[Annotated[Range, Tag("axis-range")],
                             Annotated[list[Union[float, int, str]], Field(min_length=1, max_length=MAX_SWEEP_POINTS),
                                       Tag("axis-list")]],
                       Discriminator(_axis_kind, custom_error_type="axis",
                                     custom_error_message="not a sweep axis")]


class Sweep(_Frozen):
    """Axes over cavity parameters (``period_nm``, ...) or layer thicknesses (``thickness_nm.LAYER``).
    ``grid`` axes form a Cartesian product; ``zip`` axes (equal lengths) advance together."""

    grid: dict[str, AxisValues] = Field(default_factory=dict)
    zip: dict[str, AxisValues] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _axes(self) -> "Sweep":
        both = set(self.grid) & set(self.zip)
        if both:
            raise ValueError(f"axis {sorted(both)[0]!r} is in both grid and zip")
        lengths = {k: _count(v) for k, v in self.zip.items()}
        if len(set(lengths.values())) > 1:
            raise ValueError(f"zip axes must have equal lengths, got {lengths}")
        if self.count > MAX_SWEEP_POINTS:
            raise InputError(f"{self.count:.3g} design points", field="sweep", allowed=f"<= {MAX_SWEEP_POINTS} "
                             "design points per design file (split the file or coarsen the axes)")
        return self

    @property
    def count(self) -> int | float:
        """Number of design points (grid product x zip length), computed from the axes without expanding them."""
        n = math.prod(_count(v) for v in self.grid.values())
        return n * (next(iter({_count(v) for v in self.zip.values()}), 1))


def _count(axis: AxisValues) -> int | float:
    return axis.count if isinstance(axis, Range) else len(axis)


def _values(axis: AxisValues) -> list:
    return axis.values() if isinstance(axis, Range) else list(axis)


class Screen(_Frozen):
    """``fidelity: screen``: analytic for all -> RCWA for the best ``rcwa_top_n`` (0: no RCWA stage) -> MEEP for the
    best ``top_k`` of that ranking."""

    top_k: int = Field(3, ge=1, le=10_000)
    rcwa_top_n: int = Field(0, ge=0, le=10_000)


class FdtdSection(_Frozen):
    """The design file's ``fdtd:`` section, MEEP settings for ``fidelity: fdtd`` / ``screen`` (DFB cavities): unit-cell
    (Bloch) or finite grating; ``designs.solvers`` turns it into the fdtd package's ``FdtdSettings``."""

    mode: Literal["unit_cell", "finite"] = "unit_cell"
    resolution_px_per_um: float | None = Field(None, gt=0)  # first rung; default: 4 px across the thinnest layer
    max_resolution_px_per_um: float = Field(400.0, gt=0)
    converge: bool = True  # raise the resolution until the tolerances hold
    force: bool = False  # allow a resolution below the pixel rule (quick looks only)


class Tolerances(_Frozen):
    wavelength_nm: float = Field(0.5, gt=0)
    q_relative: float = Field(0.05, gt=0, lt=1)


#: rank metrics are record field names (with units); "min": lower is better
RANK_DIRECTION: dict[str, str] = {
    "threshold_current_density_a_per_cm2": "min",
    "threshold_material_gain_per_cm": "min",
    "threshold_modal_gain_per_cm": "min",
    "q_estimate": "max",
    "temperature_rise_at_threshold_k": "min",  # needs a drive section (issue 15)
    "eta_up": "max",  # a device's surface emission upward (its power budget, issue 25)
}
RankMetric = Literal["threshold_current_density_a_per_cm2", "threshold_material_gain_per_cm", "threshold_modal_gain_per_cm",
                     "q_estimate", "temperature_rise_at_threshold_k", "eta_up"]


class Objective(_Frozen):
    wavelength_window_nm: tuple[float, float] | None = None
    min_q: float = Field(0.0, ge=0)
    #: drop designs whose gain layer heats by more than this at their own J_th under ``drive`` [K]
    max_temperature_rise_k: float | None = Field(None, gt=0, le=1e4)
    #: drop devices that emit less than this fraction of their generated power upward (``eta_up``; needs a device:
    #: ``cavity.pump`` or sections)
    min_eta_up: float | None = Field(None, ge=0, le=1)
    #: drop designs whose threshold current density exceeds this [A/cm^2]; with ``rank_by: eta_up``: the most
    #: upward emission at a J_th cap
    max_threshold_a_per_cm2: float | None = Field(None, gt=0, le=1e7)
    #: keep only devices whose beam is one central lobe holding at least half the radiated power (no null at normal)
    single_central_lobe: bool = False
    rank_by: RankMetric = "threshold_current_density_a_per_cm2"

    @field_validator("wavelength_window_nm")
    @classmethod
    def _window(cls, v):
        if v is not None and not (0 < v[0] < v[1]):
            raise ValueError("needs 0 < low < high (nm)")
        return v


class MaskBracket(_Frozen):
    """A bracket axis around each chosen design: ``steps`` values on each side, ``step`` apart (the
    parameter's unit; default: the design's sweep step along it)."""

    steps: int = Field(ge=0, le=10)
    step: float | None = Field(None, gt=0)


class MaskSection(_Frozen):
    """Which designs go on the mask, the LED pixel around each, and each design's test structures:
    a bracketing DOE (``bracket``, cavity parameter -> axis; default period_nm +-2 and duty_cycle +-1
    sweep steps), ``repeats`` more copies of the design, and the ``controls``."""

    top_n: int = Field(4, ge=1, le=26)
    #: the LED opening's diameter [um]; default: the DFB cavity's ``pump.opening_um`` (one opening: simulated and
    #: drawn), else 50
    opening_diameter_um: float | None = Field(None, gt=0)
    stripe_width_um: float = Field(60.0, gt=0)
    bracket: dict[str, MaskBracket] | None = None
    repeats: int = Field(3, ge=0, le=50)
    controls: tuple[Literal["no_grating", "no_electrodes"], ...] = ("no_grating", "no_electrodes")


class DesignSpec(_Frozen):
    """One design file."""

    name: str
    description: str = ""
    stack: StackRef
    cavity: Cavity
    sweep: Sweep = Field(default_factory=Sweep)
    fidelity: Literal["analytic", "fdtd", "rcwa", "screen"] = "analytic"  # rcwa: RCWA unit cell (perocav.fdtd.rcwa)
    screen: Screen = Field(default_factory=Screen)
    fdtd: FdtdSection = Field(default_factory=FdtdSection)
    tolerances: Tolerances = Field(default_factory=Tolerances)
    objective: Objective = Field(default_factory=Objective)
    gain_material: GainMaterial = Field(default_factory=GainMaterial)
    drive: PulseDrive | None = None  # current pulses: temperature rise at each design's J_th (issue 15)
    mask: MaskSection | None = None
    #: ``perocav optimize``: variables, objective, constraints (``designs/optimize``); ``perocav run`` ignores it
    optimize: OptimizeSection | None = None

    @field_validator("name")
    @classmethod
    def _name(cls, v: str) -> str:
        if not re.fullmatch(NAME_PATTERN, v):
            shown = v if len(v) <= 40 else v[:37] + "..."
            raise InputError(f"{shown!r} cannot name output files", field="", relative=True, allowed=NAME_ALLOWED)
        return v

    @model_validator(mode="after")
    def _mask_bracket(self) -> "DesignSpec":
        if self.mask is not None:
            bracket_axes(self)  # InputError: a parameter the cavity lacks, or no step
        return self

    @model_validator(mode="after")
    def _one_opening(self) -> "DesignSpec":
        pump = getattr(self.cavity, "pump", None)
        if self.mask is not None and pump is not None and self.mask.opening_diameter_um not in (None, pump.opening_um):
            raise InputError(f"{self.mask.opening_diameter_um:g} um differs from cavity.pump.opening_um "
                             f"{pump.opening_um:g} um", field="mask.opening_diameter_um", relative=True,
                             allowed="leave it out (the pump's opening is drawn) or the same value")
        return self

    @model_validator(mode="after")
    def _optimize_variables(self) -> "DesignSpec":
        if self.optimize is not None:
            check_variables(self)  # InputError: a variable the design lacks, a bound giving no valid design
        return self

    @model_validator(mode="after")
    def _drive_needed(self) -> "DesignSpec":
        obj = self.objective
        if self.drive is None and (obj.max_temperature_rise_k is not None
                                   or obj.rank_by == "temperature_rise_at_threshold_k"):
            raise InputError("a temperature objective needs the current pulses", field="drive",
                             allowed="a drive: {pulse_ns, rep_rate_khz, ...} section", relative=True)
        return self

    @model_validator(mode="after")
    def _fdtd_cavities(self) -> "DesignSpec":
        needed = FIDELITIES if self.fidelity == "screen" else (self.fidelity,)
        missing = [f for f in needed if f not in family(self.cavity).fidelities]
        if missing:
            raise ValueError(f"fidelity {self.fidelity!r} is available for cavity type "
                             f"{', '.join(supporting(missing[0]))} only (circular cavities: "
                             "use analytic here, or perocav simulate ring|disk|circular-dfb)")
        return self


class DesignPoint(_Frozen):
    """One fully specified design (a sweep point): what a solver sees, and what is hashed for the cache."""

    stack: StackRef
    cavity: Cavity
    gain_material: GainMaterial
    params: dict[str, Union[float, int, str]] = Field(default_factory=dict)  # the swept values, for tables

    def digest(self, *, extra: dict | None = None) -> str:
        """sha256 of the canonical JSON of the point plus ``extra`` (solver settings, versions)."""
        body = {"point": self.model_dump(mode="json", exclude={"params"}), "extra": extra or {}}
        return hashlib.sha256(json.dumps(body, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def load_design(path: str | Path) -> DesignSpec:
    """Parse and validate a design file; any problem raises a one-line InputError naming the file and field."""
    path = Path(path)
    src = str(path)
    doc = read_yaml_mapping(path, keys_hint="name, stack, cavity, sweep, fidelity, objective, ...")
    try:
        spec = DesignSpec.model_validate(doc)
    except ValidationError as err:
        raise from_validation_error(err, source=src) from None
    except InputError as err:
        raise err.with_source(src) from None
    name = spec.stack.name
    if name.endswith((".yaml", ".yml")) and not Path(name).is_absolute():  # stack files are relative to the design
        spec = spec.model_copy(update={"stack": spec.stack.model_copy(update={"name": str((path.parent / name).resolve())})})
    try:
        spec.stack.resolve()

        check_drive(spec)  # thermal data for every layer, a turn-on voltage

        check_points(spec, expand_points(spec))  # every sweep point: a valid design, its stack's physics, its cell
    except InputError as err:
        inner = err.source not in ("input", src)  # an error inside the stack file: name it too
        raise err.with_source(src, field_prefix=f"stack({Path(err.source).name})" if inner else "") from None
    return spec


def expand_points(spec: DesignSpec) -> list[DesignPoint]:
    """All sweep points in a stable order (grid axes in file order, zip rows innermost)."""
    grid_axes = list(spec.sweep.grid.items())
    zip_axes = list(spec.sweep.zip.items())
    grid_vals = [_values(v) for _, v in grid_axes]
    zip_rows = list(zip(*[_values(v) for _, v in zip_axes])) if zip_axes else [()]
    points = []
    for combo in itertools.product(*grid_vals):
        for row in zip_rows:
            params = dict(zip([k for k, _ in grid_axes], combo)) | dict(zip([k for k, _ in zip_axes], row))
            points.append(_point(spec, params))
    return points


def _point(spec: DesignSpec, params: dict) -> DesignPoint:
    cavity_updates, thickness = {}, dict(spec.stack.thickness_nm)
    cavity_fields = set(type(spec.cavity).model_fields) - {"type"}
    for key, value in params.items():
        section = "sweep.grid" if key in spec.sweep.grid else "sweep.zip"
        if key.startswith("thickness_nm."):
            thickness[key.split(".", 1)[1]] = value
        elif key in cavity_fields:
            cavity_updates[key] = value
        else:
            raise InputError(f"unknown sweep axis {key!r}", field=f"{section}.{key}",
                             allowed=", ".join(sorted(cavity_fields)) + ", thickness_nm.LAYER")
    try:
        cavity = type(spec.cavity).model_validate(spec.cavity.model_dump() | cavity_updates)
        stack = StackRef(name=spec.stack.name, thickness_nm=thickness)
    except ValidationError as err:
        bad = from_validation_error(err)
        named = [k for k in params if k == bad.field.split(".")[-1]]
        axes = named or [k for k in params if not k.startswith("thickness_nm.")] or list(params)
        field = ", ".join(f"{'sweep.grid' if a in spec.sweep.grid else 'sweep.zip'}.{a}" for a in axes)
        raise InputError(f"{bad.problem} at {params}", field=field, allowed=bad.allowed) from None
    if thickness != spec.stack.thickness_nm:
        stack.resolve()  # unknown layer names in thickness axes fail here
    if family(cavity).cell_geometry:  # the layout cell is the judge of its design rules
        try:
            build_cavity_cell(cavity)
        except InputError as err:
            axes = [k for k in params if k == err.field.split(".")[-1]] or list(params)
            field = (", ".join(f"{'sweep.grid' if a in spec.sweep.grid else 'sweep.zip'}.{a}" for a in axes)
                     if axes else f"cavity.{cavity.type}.{err.field}")
            raise InputError(f"{err.problem}" + (f" at {params}" if params else ""), field=field,
                             allowed=err.allowed) from None
    return DesignPoint(stack=stack, cavity=cavity, gain_material=spec.gain_material, params=params)
