"""The physics and layout checks of a design's sweep points (``check_points``), the part of the one input gate
(``designs/file_gate.py``: ``gate_design``, shared by ``perocav validate`` and ``perocav run``) that
``spec.load_design`` runs on every point.

The gate applies every rule a run applies, before any work and before any file is written: the schema
(``load_design``), the physics of every distinct stack a sweep point uses (``check_points``: a gain layer and a
grating level at least ``MIN_FILM_NM`` thick, every layer at most ``MAX_THICKNESS_NM``, the materials' data over
the gain window), the layout cell of every distinct point (the cell's own checks: the 1 nm grid, the design rules)
and the mask the run would write. A failure is one InputError naming the file, the field and the allowed range."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from perocav.designs.cavities.cell import build_cavity_cell
from perocav.layout.dfb_grating_rules import check_dfb_grating
from perocav.fdtd.models.spectral_gain.stack_window import stack_gain_window
from perocav.pdk.bounds import MAX_THICKNESS_NM
from perocav.pdk.errors import InputError

if TYPE_CHECKING:  # hints only: spec.load_design calls check_points
    from perocav.designs.spec import DesignPoint, DesignSpec

#: Thinnest gain layer and shallowest grating level [nm]: the layout grid; below it the film or the etch does not
#: exist and the models divide by zero (J_th ~ d, kappa ~ depth).
MIN_FILM_NM = 1.0

_FILM_ALLOWED = f"{MIN_FILM_NM:g}-{MAX_THICKNESS_NM:g} nm"


def check_points(spec: DesignSpec, points: list[DesignPoint]) -> None:
    """The physics of each distinct stack and the layout checks of each distinct cell among ``points``
    (raises InputError with the field relative to the design file)."""
    _check_stacks(spec, points)
    _check_cells(spec, points)


def _check_stacks(spec: DesignSpec, points: list[DesignPoint]) -> None:
    seen: set[str] = set()
    for p in points:
        sig = json.dumps(p.stack.thickness_nm, sort_keys=True)
        if sig in seen:
            continue
        seen.add(sig)
        stack = p.stack.resolve()
        problem = stack_problem(stack)
        if problem is not None:
            layer, text, allowed = problem
            field = _layer_field(spec, p.params, layer, stack=stack)
            where = f" at {p.params}" if field.startswith("sweep") else ""
            raise InputError(f"{text}{where}", field=field, allowed=allowed)


def stack_problem(stack) -> tuple[str | None, str, str] | None:
    """(layer name or None, problem, allowed) when ``stack`` cannot be modelled as a laser; else None."""
    gain = stack.gain_layer
    if gain is None:
        return None, f"stack {stack.name!r} has no gain layer", "a stack with one layer of role gain"
    t = stack.layer(gain).thickness_nm
    if t < MIN_FILM_NM:
        return gain, f"gain layer {gain!r} is {t:g} nm thick", _FILM_ALLOWED
    gratings = [layer for layer in stack.layers if layer.role == "grating"]
    if not gratings:
        return None, f"stack {stack.name!r} has no grating level (every cavity is drawn in it)", \
            "a stack with a layer of role grating"
    if max(g.thickness_nm for g in gratings) < MIN_FILM_NM:
        g = gratings[0]
        return g.name, f"grating level {g.name!r} is {g.thickness_nm:g} nm deep", _FILM_ALLOWED
    lo, hi = stack_gain_window(stack=stack).window_nm
    try:
        for wavelength_nm in (lo, hi):
            stack.index_profile(wavelength_nm=wavelength_nm)
    except InputError as err:
        return None, f"stack {stack.name!r} at its gain window {lo:g}-{hi:g} nm: {err.field}: {err.problem}", \
            err.allowed
    return None


def _layer_field(spec: DesignSpec, params: dict, layer: str | None, *, stack) -> str:
    """Where the user sets ``layer``'s thickness: a sweep axis, the design's override, the stack file's layer, else
    the stack's name."""
    axis = f"thickness_nm.{layer}"
    if layer is not None and axis in params:
        return f"{'sweep.grid' if axis in spec.sweep.grid else 'sweep.zip'}.{axis}"
    if layer is not None and layer in spec.stack.thickness_nm:
        return f"stack.thickness_nm.{layer}"
    name = spec.stack.name
    if name.endswith((".yaml", ".yml")):
        where = f"layers.{stack.layer_names.index(layer)}.thickness_nm" if layer is not None else "layers"
        return f"stack({Path(name).name}).{where}"
    return "stack.name"


def _check_cells(spec: DesignSpec, points: list[DesignPoint]) -> None:
    seen: set[str] = set()
    for p in points:
        name, params = p.cavity.layout_cell()
        sig = json.dumps([name, params], sort_keys=True, default=str)
        if sig in seen:
            continue
        seen.add(sig)
        try:
            _check_cell(p.cavity, name, params)
        except InputError as err:
            bad = err.field.split(".")[-1]
            axes = [k for k in p.params if k == bad]
            field = (", ".join(f"{'sweep.grid' if a in spec.sweep.grid else 'sweep.zip'}.{a}" for a in axes)
                     if axes else f"cavity.{err.field}")
            where = f" at {p.params}" if p.params else ""
            raise InputError(f"{err.problem}{where} (layout cell {name})", field=field, allowed=err.allowed) from None


def _check_cell(cavity, name: str, params: dict) -> None:
    """The layout cell's checks: a check-only function where the cell has one (thousands of DFB points in a
    second, without importing gdsfactory), else the cell is built (gdsfactory caches it for the run)."""
    if name == "dfb_grating":
        check_dfb_grating(**params)
        return
    build_cavity_cell(cavity)
