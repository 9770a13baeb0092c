"""Cylindrical (r, z) MEEP cells as plain data (no meep import): circular cells + stack -> ``GeometryCyl``.

The radii of the high-index features come from the component's GRATING polygons
(``layout.circular_radii.grating_radii_nm``: the drawn radii, measured on the GDS); the
vertical levels come from the stack (same levels as ``meep.geometry_2d``). r runs from 0 (the axis) to
``size_r_um``; z is centred on 0. ``perocav.fdtd.meep.runner_cyl`` turns a ``GeometryCyl`` into MEEP objects.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import gdsfactory as gf

from perocav.fdtd.meep.geometry_2d import Medium2D, _levels_nm
from perocav.layout.circular_radii import grating_radii_nm
from perocav.pdk.stack import Stack
from perocav.pdk.units import NM_PER_UM


@dataclass(frozen=True)
class Annulus:
    """Region r0_um <= r <= r1_um, z0_um <= z <= z1_um (a body of revolution); z bounds may be +-inf."""

    r0_um: float
    r1_um: float
    z0_um: float
    z1_um: float
    medium: Medium2D
    name: str = ""


@dataclass(frozen=True)
class GeometryCyl:
    """Cell 0 <= r <= size_r_um, |z| <= size_z_um / 2 (size_z_um = 0: invariant along z, MEEP's ``ring-cyl``).

    PML of pml_r_um at the outer r edge and pml_z_um at both z ends. Later shapes override earlier ones.
    ``levels_um``: stack level name -> (z0_um, z1_um); ``feature_radii_um``: (r0, r1) of the GRATING features;
    ``gain_level``: name of the gain level (or None)."""

    size_r_um: float
    size_z_um: float
    pml_r_um: float
    pml_z_um: float
    background: Medium2D
    shapes: tuple[Annulus, ...]
    levels_um: dict[str, tuple[float, float]] = field(default_factory=dict)
    feature_radii_um: tuple[tuple[float, float], ...] = ()
    gain_level: str | None = None


def radial_index(*, geometry: GeometryCyl, r_um: float, z_um: float, index_of) -> complex:
    """Index at (r, z): the last shape containing the point, else the background; ``index_of(Medium2D)``."""
    for s in reversed(geometry.shapes):
        if s.r0_um <= r_um <= s.r1_um and s.z0_um <= z_um <= s.z1_um:
            return index_of(s.medium)
    return index_of(geometry.background)


def circular_cell_cyl(
    *, component: gf.Component, stack: Stack, substrate_um: float = 1.0, cover_um: float = 1.0,
    pml_um: float = 1.0, side_pad_um: float = 1.5, lossless_roles: tuple[str, ...] = (),
) -> GeometryCyl:
    """Ring, disk or circular grating of ``component`` (GRATING features) embedded in ``stack``.

    substrate_um / cover_um: substrate and cover kept inside the cell (outside the z PML); side_pad_um:
    unpatterned stack between the outermost feature and the r PML. lossless_roles: stack roles whose Im(n) is
    dropped (e.g. ``("contact",)`` for lossless ITO: the radiation-only Q).
    """
    radii = grating_radii_nm(component)
    if not radii:
        raise ValueError("component has no polygons on GRATING")
    feats = tuple((a / NM_PER_UM, b / NM_PER_UM) for a, b in radii)
    size_r = feats[-1][1] + side_pad_um + pml_um
    total_um = sum(l.thickness_nm for l in stack.optical_layers()) / NM_PER_UM
    size_z = 2 * pml_um + substrate_um + total_um + cover_um
    z_cell0 = -size_z / 2
    z_off = z_cell0 + pml_um + substrate_um
    r_far = 2 * size_r  # uniform levels reach past the cell (MEEP clips them)
    shapes = [Annulus(0.0, r_far, -math.inf, z_off, Medium2D(material=stack.substrate), "substrate")]
    levels: dict[str, tuple[float, float]] = {}
    by_name = {layer.name: layer for layer in stack.optical_layers()}
    for name, y0, y1 in _levels_nm(stack):
        layer = by_name[name]
        za, zb = z_off + y0 / NM_PER_UM, z_off + y1 / NM_PER_UM
        levels[name] = (za, zb)
        lossless = layer.role in lossless_roles or (layer.role == "gain" and stack.gain_layer_lossless)
        if layer.role == "grating":
            fill = layer.fill_material
            shapes.append(Annulus(0.0, r_far, za, zb, Medium2D(material=fill, lossless=lossless), f"{name}:fill"))
            for i, (ra, rb) in enumerate(feats):
                shapes.append(Annulus(ra, rb, za, zb, Medium2D(material=layer.material, lossless=lossless),
                                      f"{name}:feature{i}"))
        else:
            shapes.append(Annulus(0.0, r_far, za, zb, Medium2D(material=layer.material, lossless=lossless), name))
    top = z_off + total_um
    shapes.append(Annulus(0.0, r_far, top, math.inf, Medium2D(material=stack.cover), "cover"))
    return GeometryCyl(size_r_um=size_r, size_z_um=size_z, pml_r_um=pml_um, pml_z_um=pml_um,
                       background=Medium2D(material=stack.cover), shapes=tuple(shapes), levels_um=levels,
                       feature_radii_um=feats, gain_level=stack.gain_layer)


def rings_invariant_cyl(*, radii_um: tuple[float, ...], indices: tuple[complex, ...], pad_um: float,
                        pml_um: float) -> GeometryCyl:
    """z-invariant concentric regions (MEEP's ``ring-cyl`` tutorial): index ``indices[j]`` for
    radii_um[j-1] < r < radii_um[j], ``indices[-1]`` outside; the cell ends pad_um + pml_um past the last radius."""
    if len(indices) != len(radii_um) + 1:
        raise ValueError("need one more index than radii (the outside)")
    edges = (0.0, *radii_um)
    shapes = tuple(Annulus(edges[j], edges[j + 1], -math.inf, math.inf, Medium2D(index=complex(indices[j])),
                           f"region{j}") for j in range(len(radii_um)))
    return GeometryCyl(size_r_um=radii_um[-1] + pad_um + pml_um, size_z_um=0.0, pml_r_um=pml_um, pml_z_um=0.0,
                       background=Medium2D(index=complex(indices[-1])), shapes=shapes,
                       feature_radii_um=tuple(zip(edges[:-1], edges[1:])))


def with_lossless(geometry: GeometryCyl, *, names: tuple[str, ...]) -> GeometryCyl:
    """Copy with the shapes named in ``names`` made lossless."""
    shapes = tuple(replace(s, medium=replace(s.medium, lossless=True)) if s.name in names else s
                   for s in geometry.shapes)
    return replace(geometry, shapes=shapes)
