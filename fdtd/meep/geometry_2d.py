"""2D MEEP cross-sections as plain data (no meep import): x = propagation, y = vertical, lengths in um.

``dfb_cross_section_2d`` cuts the tooth x-intervals from the component's GRATING polygons and the vertical
levels from the stack; ``dfb_unit_cell_2d`` is one Bloch period of the same. ``perocav.fdtd.meep.runner_2d``
turns a ``Geometry2D`` into ``mp.Block``s / ``mp.Cylinder``s. The MEEP cell is centred on (0, 0).
Uniform levels, substrate and cover extend past the cell in x (MEEP clips them), so no sliver of background
can open at the x edges; a Bloch cell must still be a whole number of pixels long (the runner checks).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import gdsfactory as gf
import klayout.db as kdb

from perocav.pdk.stack import Stack

NM_PER_UM = 1000.0


@dataclass(frozen=True)
class Medium2D:
    """A material: a PDK material name (``material``) or a constant complex index (``index``);
    ``lossless`` drops Im(n) (a gain layer treated as transparent). ``blend_material`` / ``blend_fraction``:
    permittivity average eps = (1 - f) eps(material) + f eps(blend_material) (a grating level replaced by its
    duty-averaged medium, the zeroth Fourier component; non-dispersive runs only)."""

    material: str | None = None
    index: complex | None = None
    lossless: bool = False
    blend_material: str | None = None
    blend_fraction: float = 0.0

    def __post_init__(self) -> None:
        if (self.material is None) == (self.index is None):
            raise ValueError(f"Medium2D needs exactly one of material / index, got {self.material!r}, {self.index!r}")
        if not 0.0 <= self.blend_fraction <= 1.0:
            raise ValueError(f"blend_fraction={self.blend_fraction} outside [0, 1]")
        if self.blend_fraction and (self.blend_material is None or self.material is None):
            raise ValueError("a blend needs material and blend_material")


@dataclass(frozen=True)
class Rect:
    """Axis-aligned rectangle [x0_um, x1_um] x [y0_um, y1_um]; ``name`` says what it is (stack level, tooth)."""

    x0_um: float
    x1_um: float
    y0_um: float
    y1_um: float
    medium: Medium2D
    name: str = ""


@dataclass(frozen=True)
class Disk:
    """Disk of radius_um centred at (x_um, y_um)."""

    x_um: float
    y_um: float
    radius_um: float
    medium: Medium2D
    name: str = ""


@dataclass(frozen=True)
class Geometry2D:
    """Cell of size_x_um x size_y_um centred on (0, 0); PML of pml_x_um / pml_y_um inside the cell on both
    sides (0: none; with no x PML the runner makes x Bloch-periodic). Later shapes override earlier ones.
    ``levels_um``: name -> (y0_um, y1_um) of each stack level, for post-processing."""

    size_x_um: float
    size_y_um: float
    pml_x_um: float
    pml_y_um: float
    background: Medium2D
    shapes: tuple[Rect | Disk, ...]
    levels_um: dict[str, tuple[float, float]] = field(default_factory=dict)

    @property
    def inner_y_um(self) -> tuple[float, float]:
        """(y0, y1) um of the cell inside the y PMLs."""
        return -self.size_y_um / 2 + self.pml_y_um, self.size_y_um / 2 - self.pml_y_um


def grating_intervals_nm(component: gf.Component, *, layer: str = "GRATING") -> list[tuple[int, int]]:
    """Sorted, merged x-intervals (nm, cell coordinates) covered by the component's polygons on ``layer``."""
    layer_index = gf.get_layer(layer)
    region = kdb.Region(component.begin_shapes_rec(layer_index)).merged()
    intervals: list[list[int]] = []
    for box in sorted((p.bbox() for p in region.each()), key=lambda b: b.left):
        if intervals and box.left <= intervals[-1][1]:
            intervals[-1][1] = max(intervals[-1][1], box.right)
        else:
            intervals.append([box.left, box.right])
    dbu_nm = component.kcl.dbu * NM_PER_UM
    return [(round(a * dbu_nm), round(b * dbu_nm)) for a, b in intervals]


def _levels_nm(stack: Stack) -> list[tuple[str, float, float]]:
    """(name, y0_nm, y1_nm) of each nonzero stack level, bottom of the stack at y = 0."""
    out, y = [], 0.0
    for layer in stack.optical_layers():
        out.append((layer.name, y, y + layer.thickness_nm))
        y += layer.thickness_nm
    return out


def _stack_shapes(
    *, stack: Stack, x0_um: float, x1_um: float, y_offset_um: float, y_bottom_um: float, y_top_um: float,
    teeth_um: list[tuple[float, float]] | None, grating_blend: float | None = None,
) -> tuple[list[Rect], dict[str, tuple[float, float]]]:
    """Substrate, levels (grating level: fill + teeth, or fill only if teeth_um is None, or with
    ``grating_blend`` = duty one block of the duty-averaged permittivity) and cover."""
    shapes = [Rect(x0_um, x1_um, y_bottom_um, y_offset_um, Medium2D(material=stack.substrate), "substrate")]
    levels: dict[str, tuple[float, float]] = {}
    by_name = {layer.name: layer for layer in stack.optical_layers()}
    for name, y0, y1 in _levels_nm(stack):
        layer = by_name[name]
        ya, yb = y_offset_um + y0 / NM_PER_UM, y_offset_um + y1 / NM_PER_UM
        levels[name] = (ya, yb)
        if layer.role == "grating":
            fill = layer.fill_material
            if grating_blend is not None:
                blend = Medium2D(material=fill, blend_material=layer.material, blend_fraction=grating_blend)
                shapes.append(Rect(x0_um, x1_um, ya, yb, blend, f"{name}:averaged"))
                continue
            shapes.append(Rect(x0_um, x1_um, ya, yb, Medium2D(material=fill), f"{name}:fill"))
            for i, (ta, tb) in enumerate(teeth_um or []):
                shapes.append(Rect(ta, tb, ya, yb, Medium2D(material=layer.material), f"{name}:tooth{i}"))
        else:
            lossless = layer.role == "gain" and stack.gain_layer_lossless
            shapes.append(Rect(x0_um, x1_um, ya, yb, Medium2D(material=layer.material, lossless=lossless), name))
    top = y_offset_um + _levels_nm(stack)[-1][2] / NM_PER_UM
    shapes.append(Rect(x0_um, x1_um, top, y_top_um, Medium2D(material=stack.cover), "cover"))
    return shapes, levels


def _vertical(stack: Stack, *, substrate_um: float, cover_um: float, pml_y_um: float) -> tuple[float, float, float]:
    """(size_y_um, y_offset_um of the stack bottom, y_bottom_um of the cell) for the centred cell."""
    total_um = sum(l.thickness_nm for l in stack.optical_layers()) / NM_PER_UM
    size_y = 2 * pml_y_um + substrate_um + total_um + cover_um
    y_bottom = -size_y / 2
    return size_y, y_bottom + pml_y_um + substrate_um, y_bottom


def dfb_cross_section_2d(
    *, component: gf.Component, stack: Stack, substrate_um: float = 1.0, cover_um: float = 1.0,
    pml_um: float = 1.0, end_pad_um: float = 1.0,
) -> Geometry2D:
    """Finite grating: the teeth of ``component`` (GRATING polygons projected on x) under ``stack``.

    substrate_um / cover_um: substrate and cover thickness kept inside the cell (outside the PML);
    end_pad_um: unpatterned stack between the grating ends and the x PML; pml_um: PML on all sides.
    The cell is centred on the grating (x) and on the whole vertical extent (y).
    """
    intervals = grating_intervals_nm(component)
    if not intervals:
        raise ValueError("component has no polygons on GRATING")
    xc_nm = 0.5 * (intervals[0][0] + intervals[-1][1])
    teeth = [((a - xc_nm) / NM_PER_UM, (b - xc_nm) / NM_PER_UM) for a, b in intervals]
    length_um = (intervals[-1][1] - intervals[0][0]) / NM_PER_UM
    size_x = length_um + 2 * (end_pad_um + pml_um)
    size_y, y_offset, y_bottom = _vertical(stack, substrate_um=substrate_um, cover_um=cover_um, pml_y_um=pml_um)
    shapes, levels = _stack_shapes(stack=stack, x0_um=-size_x, x1_um=size_x, y_offset_um=y_offset,
                                   y_bottom_um=y_bottom, y_top_um=-y_bottom, teeth_um=teeth)
    return Geometry2D(size_x_um=size_x, size_y_um=size_y, pml_x_um=pml_um, pml_y_um=pml_um,
                      background=Medium2D(material=stack.cover), shapes=tuple(shapes), levels_um=levels)


def dfb_unit_cell_2d(
    *, component: gf.Component, stack: Stack, period_index: int | None = None, substrate_um: float = 1.0,
    cover_um: float = 1.0, pml_um: float = 1.0, patterned: bool = True, averaged: bool = False,
) -> Geometry2D:
    """One Bloch period (no x PML: the runner makes x periodic) cut from ``component``.

    The period is the one starting at tooth ``period_index`` (default: the first tooth whose spacing to the
    next is the most common spacing, so phase shifts are skipped); its length is the distance to the next
    tooth's left edge, and the tooth sits centred in the cell. ``patterned=False``
    gives the unpatterned stack (grating level all fill material) in the same cell; ``averaged=True`` the
    grating level as one block of the drawn duty's averaged permittivity (the Bragg centre of the bands).
    """
    intervals = grating_intervals_nm(component)
    if len(intervals) < 2:
        raise ValueError(f"need at least 2 teeth on GRATING to cut a period, found {len(intervals)}")
    spacings = [intervals[k + 1][0] - intervals[k][0] for k in range(len(intervals) - 1)]
    usual = max(set(spacings), key=spacings.count)
    i = spacings.index(usual) if period_index is None else period_index
    if not 0 <= i < len(intervals) - 1:
        raise ValueError(f"period_index={i} outside 0..{len(intervals) - 2}")
    (a, b), (c, _) = intervals[i], intervals[i + 1]
    period_um = (c - a) / NM_PER_UM
    width_um = (b - a) / NM_PER_UM
    teeth = [(-width_um / 2, width_um / 2)] if patterned else None
    size_y, y_offset, y_bottom = _vertical(stack, substrate_um=substrate_um, cover_um=cover_um, pml_y_um=pml_um)
    shapes, levels = _stack_shapes(stack=stack, x0_um=-period_um, x1_um=period_um, y_offset_um=y_offset,
                                   y_bottom_um=y_bottom, y_top_um=-y_bottom, teeth_um=teeth,
                                   grating_blend=width_um / period_um if averaged else None)
    return Geometry2D(size_x_um=period_um, size_y_um=size_y, pml_x_um=0.0, pml_y_um=pml_um,
                      background=Medium2D(material=stack.cover), shapes=tuple(shapes), levels_um=levels)
