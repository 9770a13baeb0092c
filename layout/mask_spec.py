"""Strict schema of a YAML mask file: die, marks, design blocks (a chosen design with its bracketing
DOE, repeats and controls, see ``mask_doe``), single devices and parameter sweeps (DOE arrays).

Lengths in um. A sweep varies parameters by dotted key (``cavity_params.period_nm``) over the
cartesian product of its value lists; every sweep (and the list of single devices) becomes one group
of rows on the die, with device ids ``<group letter><index>`` (A01, A02, ..., B01, ...). Design blocks
come first (A = the first design), each a rectangle of DOE slots."""

from __future__ import annotations

import copy
import hashlib
import itertools
import math
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints, ValidationError, field_validator, model_validator

from perocav.layout.mask_doe import DesignBlockSpec, expand_block
from perocav.pdk.bounds import StrictModel
from perocav.pdk.errors import InputError
from perocav.pdk.yaml_io import parse_yaml_mapping, read_bytes

CellName = Literal["laser_device", "dfb_grating", "circular_grating", "ring_resonator", "disk_resonator", "led_pixel"]
Name = Annotated[str, StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9_]{0,39}$")]


class _Frozen(StrictModel):
    """Frozen, unknown keys refused, no inf/nan, no true/false for numbers (see perocav.pdk.bounds)."""


class DieSpec(_Frozen):
    """Die outline and the DOE grid (um)."""

    width_um: float = Field(5000.0, gt=0, le=100_000)
    height_um: float = Field(5000.0, gt=0, le=100_000)
    frame_width_um: float = Field(50.0, gt=0)
    margin_um: float = Field(400.0, ge=0, description="band inside the frame kept for marks and the die name")
    pitch_x_um: float = Field(700.0, gt=0, description="device pitch along x")
    pitch_y_um: float = Field(500.0, gt=0, description="device (row) pitch along y")
    label_height_um: float = Field(42.0, gt=0, le=10_000, description="height of the drawn device ids")

    @model_validator(mode="after")
    def _room_for_one_device(self) -> "DieSpec":
        band = 2 * (self.frame_width_um + self.margin_um)
        for side, size, pitch in (("width_um", self.width_um, self.pitch_x_um),
                                  ("height_um", self.height_um, self.pitch_y_um)):
            if size - band < pitch:
                axis = "pitch_x_um" if side == "width_um" else "pitch_y_um"
                raise InputError(f"{size:g} um leaves no room for one device ({axis} {pitch:g} um inside "
                                 f"frame and margin {band:g} um)", field=side, relative=True,
                                 allowed=f">= {band + pitch:g} um, or a smaller margin_um / {axis}")
        return self


class MarksSpec(_Frozen):
    """Which marks go on the die (in the margin band)."""

    alignment: bool = True
    verniers: bool = True
    die_label: bool = True


class DeviceSpec(_Frozen):
    """One device: a cell and its parameters."""

    cell: CellName = "laser_device"
    params: dict[str, Any] = Field(default_factory=dict)


class SweepSpec(_Frozen):
    """A DOE sweep: base parameters plus the cartesian product of ``vary`` (dotted keys -> value lists)."""

    name: Name
    cell: CellName = "laser_device"
    params: dict[str, Any] = Field(default_factory=dict)
    vary: dict[str, list[Any]]

    @field_validator("vary")
    @classmethod
    def _non_empty(cls, v: dict[str, list[Any]]) -> dict[str, list[Any]]:
        if not v:
            raise ValueError("vary needs at least one parameter")
        for key, values in v.items():
            if not values:
                raise ValueError(f"vary.{key} has no values")
        return v


class MaskSpec(_Frozen):
    """A whole mask file."""

    name: Name
    die: DieSpec = Field(default_factory=DieSpec)
    marks: MarksSpec = Field(default_factory=MarksSpec)
    designs: tuple[DesignBlockSpec, ...] = ()
    devices: tuple[DeviceSpec, ...] = ()
    sweeps: tuple[SweepSpec, ...] = ()

    @field_validator("sweeps")
    @classmethod
    def _unique_names(cls, v: tuple[SweepSpec, ...]) -> tuple[SweepSpec, ...]:
        names = [s.name for s in v]
        if len(set(names)) != len(names):
            raise ValueError("sweep names must be unique")
        return v

    @field_validator("designs")
    @classmethod
    def _unique_design_names(cls, v: tuple[DesignBlockSpec, ...]) -> tuple[DesignBlockSpec, ...]:
        names = [d.name for d in v]
        if len(set(names)) != len(names):
            raise ValueError("design names must be unique")
        return v


class PlannedDevice(_Frozen):
    """A device to place: id, group, cell, the parameters given (after sweep expansion), and where
    its parameters came from; for design blocks also its role, bracket offsets (steps), control kind
    and slot (row, col) in the block."""

    device_id: str
    group: str
    cell: CellName
    params: dict[str, Any]
    varied: dict[str, Any]
    field: str  # where in the mask file the device was defined, for error messages
    role: str = "device"  # design, bracket, repeat, control (design blocks); sweep, device
    offsets: dict[str, int] = Field(default_factory=dict)
    control: str = ""
    slot: tuple[int, int] | None = None  # (row, col) in a design block


def _set_dotted(params: dict[str, Any], key: str, value: Any) -> None:
    parts = key.split(".")
    node = params
    for p in parts[:-1]:
        child = node.get(p)
        if child is None:
            child = node[p] = {}
        if not isinstance(child, dict):
            raise KeyError(p)
        node = child
    node[parts[-1]] = value


def plan(spec: MaskSpec, *, source: str = "mask") -> list[PlannedDevice]:
    """Expand design blocks and sweeps into devices, in file order: design blocks first (groups A, B, ...),
    then sweeps, then single devices."""
    groups: list[tuple[str, list[tuple[CellName, dict[str, Any], dict[str, Any], str]]]] = []
    extras: dict[tuple[int, int], dict[str, Any]] = {}  # (group, index) -> role, offsets, control, slot
    for i, block in enumerate(spec.designs):
        try:
            devs = expand_block(block)
        except KeyError as err:
            raise InputError(f"{err.args[0]!r} is not in the design's params", field=f"designs[{i}].bracket",
                             allowed="dotted keys of given parameters (cavity_params.period_nm)",
                             source=source) from None
        groups.append((block.name, [("laser_device", d.params, d.varied, f"designs[{i}]") for d in devs]))
        for k, d in enumerate(devs):
            extras[(i, k)] = {"role": d.role, "offsets": d.offsets, "control": d.control, "slot": (d.row, d.col)}
    for i, sw in enumerate(spec.sweeps):
        keys = list(sw.vary)
        items = []
        for combo in itertools.product(*(sw.vary[k] for k in keys)):
            params = copy.deepcopy(sw.params)
            for k, v in zip(keys, combo, strict=True):
                try:
                    _set_dotted(params, k, v)
                except KeyError as err:
                    raise InputError(f"{err.args[0]!r} is not a parameter group", field=f"sweeps[{i}].vary.{k}",
                                     allowed="dotted keys into dict parameters", source=source) from None
            items.append((sw.cell, params, dict(zip(keys, combo, strict=True)), f"sweeps[{i}]"))
        groups.append((sw.name, items))
        for k in range(len(items)):
            extras[(len(groups) - 1, k)] = {"role": "sweep"}
    if spec.devices:
        groups.append(("devices", [(d.cell, copy.deepcopy(d.params), {}, f"devices[{j}]")
                                   for j, d in enumerate(spec.devices)]))
    if len(groups) > 26:
        raise InputError(f"{len(groups)} groups", field="sweeps", allowed="at most 26 designs + sweeps + devices",
                         source=source)
    out = []
    for g, (group, items) in enumerate(groups):
        if len(items) > 99:
            raise InputError(f"group {group!r} has {len(items)} devices", field="sweeps",
                             allowed="at most 99 devices per sweep", source=source)
        for k, (cell, params, varied, field) in enumerate(items, start=1):
            out.append(PlannedDevice(device_id=f"{chr(65 + g)}{k:02d}", group=group, cell=cell, params=params,
                                     varied=varied, field=field, **extras.get((g, k - 1), {})))
    if not out:
        raise InputError("no devices", field="devices", allowed="at least one device or sweep", source=source)
    return out


def load_mask_spec(path: str | Path) -> tuple[MaskSpec, str]:
    """Parse and validate a mask file; returns the spec and the sha256 of the file bytes.
    Any problem raises one-line ``InputError`` naming the file and the field."""
    path = Path(path)
    src = str(path)
    if not path.is_file():
        raise InputError("no such file", field="mask", allowed="an existing YAML mask file", source=src)
    raw = read_bytes(path, what="YAML mask file")
    data = parse_yaml_mapping(raw, source=src, keys_hint="name, die, marks, designs, devices, sweeps")
    n_devices = _count_devices(data)
    if n_devices > MAX_DEVICES:
        raise InputError(f"{n_devices if n_devices < 1e9 else format(n_devices, '.3g')} devices", field="sweeps", allowed=f"<= {MAX_DEVICES} devices per mask",
                         source=src)
    try:
        spec = MaskSpec.model_validate(data)
    except ValidationError as err:
        raise _one_line(err, src) from None
    return spec, hashlib.sha256(raw).hexdigest()


def _one_line(err: ValidationError, src: str) -> InputError:
    """The first pydantic error as an InputError (fields as ``sweeps[0].vary``, bounds as the allowed range)."""
    e = err.errors()[0]
    field = ".".join(f"[{p}]" if isinstance(p, int) else str(p) for p in e["loc"]).replace(".[", "[")
    ctx = e.get("ctx") or {}
    original = ctx.get("error")
    if isinstance(original, InputError):
        field = ".".join(p for p in (field, original.field) if p) if original.relative else original.field
        return InputError(original.problem, field=field or "mask", allowed=original.allowed, source=src)
    bounds = {"gt": ">", "ge": ">=", "lt": "<", "le": "<="}
    allowed = " and ".join(f"{bounds[k]} {ctx[k]}" for k in bounds if k in ctx)
    if e["type"] == "extra_forbidden":
        allowed = "known keys only"
    elif e["type"] == "literal_error":
        allowed = ctx.get("expected", "")
    elif e["type"] == "string_pattern_mismatch":
        allowed = "a letter, then letters, digits or _ (at most 40 characters)"
    return InputError(e["msg"], field=field or "mask", allowed=allowed, source=src)


#: Most devices one mask file may describe (26 groups of at most 99), counted before any expansion.
MAX_DEVICES = 26 * 99


def _count_devices(data: dict) -> float:
    """Devices the file's sweeps and single devices describe, from the raw document, without expanding."""
    total = len(data["devices"]) if isinstance(data.get("devices"), list) else 0
    for sw in data["sweeps"] if isinstance(data.get("sweeps"), list) else []:
        vary = sw.get("vary") if isinstance(sw, dict) else None
        if isinstance(vary, dict):
            total += math.prod(len(v) if isinstance(v, list) else 1 for v in vary.values())
    return total
