"""Design blocks of a tapeout die: a chosen design with a bracketing DOE around it, repeats for
statistics and control devices, laid out as one rectangular block of DOE slots.

Block layout (rows top to bottom): the bracket grid (first bracket axis along x, the others down the
rows, the design itself at the centre), then the repeats of the design, then the controls:
``no_grating`` (the same LED pixel without a cavity: the electroluminescence/ASE reference) and
``no_electrodes`` (the cavity under the pixel's perovskite only: the optically pumped reference)."""

from __future__ import annotations

import copy
import itertools
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from perocav.pdk.bounds import StrictModel

#: The control devices of a block, in placement order.
CONTROLS: tuple[str, ...] = ("no_grating", "no_electrodes")
ControlName = Literal["no_grating", "no_electrodes"]
Role = Literal["design", "bracket", "repeat", "control"]


class _Frozen(StrictModel):
    """Frozen, unknown keys refused, no true/false for numbers."""


class BracketAxis(_Frozen):
    """``steps`` values of ``step`` on each side of the design's value (units of the parameter)."""

    step: float = Field(gt=0)
    steps: int = Field(ge=0, le=10)


class BracketVariant(_Frozen):
    """One bracket device given whole (a sectioned design's neighbour: every section's period and duty re-derived
    by the design tool): its offsets in steps per axis, the axis values, its ``laser_device`` parameters."""

    offsets: dict[str, int]
    varied: dict[str, float]
    params: dict[str, Any]


class DesignBlockSpec(_Frozen):
    """A chosen design (``laser_device`` parameters) and its test structures; its bracket as axes over dotted
    parameters (``bracket``) or as whole devices (``variants``, the design itself at all offsets 0), not both."""

    name: str = Field(pattern=r"^[A-Za-z][A-Za-z0-9_]{0,39}$")
    params: dict[str, Any] = Field(default_factory=dict)
    bracket: dict[str, BracketAxis] = Field(default_factory=dict, description="dotted key -> axis")
    variants: tuple[BracketVariant, ...] = ()
    repeats: int = Field(3, ge=0, le=50, description="copies of the design besides the one in the bracket")
    controls: tuple[ControlName, ...] = CONTROLS

    @model_validator(mode="after")
    def _one_bracket(self) -> "DesignBlockSpec":
        if self.bracket and self.variants:
            raise ValueError("bracket and variants exclude each other: give one")
        return self

    @field_validator("controls")
    @classmethod
    def _unique(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        if len(set(v)) != len(v):
            raise ValueError("controls must be unique")
        return v


class BlockDevice(_Frozen):
    """One device of a block: role, parameters, bracket offsets (in steps), control kind, slot (row, col)."""

    role: Role
    params: dict[str, Any]
    varied: dict[str, Any]
    offsets: dict[str, int]
    control: str
    row: int
    col: int


def _get_dotted(params: dict[str, Any], key: str) -> Any:
    node: Any = params
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            raise KeyError(key)
        node = node[part]
    return node


def _set_dotted(params: dict[str, Any], key: str, value: Any) -> None:
    parts = key.split(".")
    node = params
    for p in parts[:-1]:
        node = node.setdefault(p, {})
    node[parts[-1]] = value


def _value(base: float, k: int, step: float) -> float | int:
    v = round(base + k * step, 9)
    return int(v) if isinstance(base, int) and float(step).is_integer() else v


def _variant_devices(block: DesignBlockSpec) -> tuple[list[BlockDevice], int]:
    """The devices of a block's ``variants`` in the given order (a row per value of the later axes, the first
    axis along x) and the number of columns."""
    first = next(iter(block.variants[0].offsets), None)
    n_cols = len({v.offsets.get(first, 0) for v in block.variants}) if first else 1
    out = [BlockDevice(role="design" if not any(v.offsets.values()) else "bracket", params=copy.deepcopy(v.params),
                       varied=dict(v.varied), offsets=dict(v.offsets), control="", row=i // n_cols, col=i % n_cols)
           for i, v in enumerate(block.variants)]
    return out, n_cols


def expand_block(block: DesignBlockSpec) -> list[BlockDevice]:
    """The block's devices in id order with their slots; a bracket key the parameters lack raises KeyError."""
    if block.variants:
        out, n_cols = _variant_devices(block)
        return out + _extras(block, row0=-(-len(out) // n_cols), n_cols=n_cols, with_design=False)
    axes = [(key, _get_dotted(block.params, key), ax) for key, ax in block.bracket.items()]
    ks = [range(-ax.steps, ax.steps + 1) for _, _, ax in axes]
    n_cols = len(ks[0]) if ks else max(1, min(5, 1 + block.repeats + len(block.controls)))
    out: list[BlockDevice] = []
    # without bracket axes the product would yield one empty combination: the design is added below instead
    combos = itertools.product(*ks[1:], *ks[:1]) if axes else ()
    for i, combo in enumerate(combos):  # first axis fastest (along x)
        offsets = dict(zip([a[0] for a in axes[1:]] + [a[0] for a in axes[:1]], combo, strict=True))
        params, varied = copy.deepcopy(block.params), {}
        for key, base, ax in axes:
            varied[key] = _value(base, offsets[key], ax.step)
            _set_dotted(params, key, varied[key])
        offsets = {key: offsets[key] for key, _, _ in axes}
        role = "design" if not any(offsets.values()) else "bracket"
        out.append(BlockDevice(role=role, params=params, varied=varied, offsets=offsets, control="",
                               row=i // n_cols, col=i % n_cols))
    return out + _extras(block, row0=-(-len(out) // n_cols), n_cols=n_cols, with_design=not axes)


def _extras(block: DesignBlockSpec, *, row0: int, n_cols: int, with_design: bool) -> list[BlockDevice]:
    """The design (when no bracket holds it), the repeats and the controls, from row ``row0`` on."""
    extra: list[tuple[str, dict[str, Any], str]] = []
    if with_design:
        extra.append(("design", copy.deepcopy(block.params), ""))
    extra += [("repeat", copy.deepcopy(block.params), "") for _ in range(block.repeats)]
    for kind in block.controls:
        params = copy.deepcopy(block.params)
        if kind == "no_grating":
            params.update(cavity="none", cavity_params={})
            params.pop("opening_offset_um", None)  # no cavity to place the opening on
        else:
            params["electrodes"] = False
        extra.append(("control", params, kind))
    return [BlockDevice(role=role, params=params, varied={}, offsets={}, control=kind, row=row0 + j // n_cols,
                        col=j % n_cols) for j, (role, params, kind) in enumerate(extra)]
