"""Perovskite LED pixel: bottom ITO, pixel-definition dielectric with the current-focusing opening,
perovskite, top ITO and two metal probe pads outside the optical area; opening centred at (0, 0)."""

from __future__ import annotations

from dataclasses import dataclass

import gdsfactory as gf
import klayout.db as kdb

from perocav.layout.checks import at_least, enclosure_nm, min_space_nm, min_width_nm, one_of, um_on_grid_nm
from perocav.layout.shapes import disk
from perocav.pdk.errors import InputError
from perocav.pdk.rules import DESIGN_RULES

CELL = "led_pixel"


def _box(cx: int, cy: int, hx: int, hy: int) -> kdb.Box:
    """Box centred at (cx, cy) with half sizes (hx, hy), nm."""
    return kdb.Box(cx - hx, cy - hy, cx + hx, cy + hy)


@dataclass(frozen=True)
class _Sizes:
    """Pixel sizes on the 1 nm grid (nm): opening y (diameter or stripe width) and x, electrode width,
    pixel-definition margin, pad side, pad gap."""

    opening: str
    opening_y_nm: int
    opening_x_nm: int
    electrode_nm: int
    margin_nm: int
    pad_nm: int
    gap_nm: int


@dataclass(frozen=True)
class _Plan:
    """Derived positions (nm): half sizes of the electrode overlap (optical area), half size of the ITO
    landing under a pad, pad centre |x|."""

    half_x_nm: int
    half_y_nm: int
    land_nm: int
    pad_x_nm: int


def _sizes(*, opening: str, opening_diameter_um: float, opening_length_um: float, electrode_width_um: float,
           pixel_def_margin_um: float, pad_size_um: float, pad_gap_um: float) -> _Sizes:
    """The cell's sizes converted to nm on the grid; the opening must be an even number of nm."""
    one_of(opening, ("circle", "stripe"), field="opening", cell=CELL)
    d = um_on_grid_nm(opening_diameter_um, field="opening_diameter_um", cell=CELL)
    w = um_on_grid_nm(electrode_width_um, field="electrode_width_um", cell=CELL)
    m = um_on_grid_nm(pixel_def_margin_um, field="pixel_def_margin_um", cell=CELL)
    pad = um_on_grid_nm(pad_size_um, field="pad_size_um", cell=CELL)
    gap = um_on_grid_nm(pad_gap_um, field="pad_gap_um", cell=CELL)
    ox = um_on_grid_nm(opening_length_um, field="opening_length_um", cell=CELL) if opening == "stripe" else d
    for name, v in (("opening_diameter_um", d), ("opening_length_um", ox)):
        if v % 2:
            raise InputError(f"{v / 1000:g} um is odd in nm: the opening is centred on the grid", field=name,
                             allowed="even number of nm", source=CELL)
    return _Sizes(opening=opening, opening_y_nm=d, opening_x_nm=ox, electrode_nm=w, margin_nm=m, pad_nm=pad,
                  gap_nm=gap)


def _check_rules(s: _Sizes) -> None:
    """Raise unless the sizes meet the PDK width, space and enclosure rules."""
    d, w = s.opening_y_nm, s.electrode_nm
    at_least(d, min_space_nm("PIXEL_DEF"), field="opening_diameter_um", cell=CELL, unit="nm",
             why="PIXEL_DEF min space")
    enc = max(enclosure_nm(o, "PIXEL_OPENING") for o in ("ITO_BOTTOM", "ITO_TOP", "PEROVSKITE"))
    if w < d + 2 * enc:
        raise InputError(f"opening {d / 1000:g} um does not fit in the {w / 1000:g} um electrode with "
                         f"{enc / 1000:g} um enclosure", field="opening_diameter_um",
                         allowed=f"<= electrode_width_um - {2 * enc / 1000:g} = {(w - 2 * enc) / 1000:g} um",
                         source=CELL)
    if w % 2:
        raise InputError(f"{w / 1000:g} um is odd in nm", field="electrode_width_um", allowed="even number of nm",
                         source=CELL)
    at_least(w, max(min_width_nm("PEROVSKITE"), min_width_nm("ITO_TOP")), field="electrode_width_um", cell=CELL,
             unit="nm", why="PEROVSKITE/ITO min width")
    at_least(s.margin_nm, min_width_nm("PIXEL_DEF"), field="pixel_def_margin_um", cell=CELL, unit="nm",
             why="PIXEL_DEF min width")
    at_least(s.pad_nm, min_width_nm("METAL"), field="pad_size_um", cell=CELL, unit="nm", why="METAL min width")
    at_least(s.gap_nm, max(min_space_nm("ITO_BOTTOM"), 0), field="pad_gap_um", cell=CELL, unit="nm",
             why="ITO min space")


def _plan(s: _Sizes) -> _Plan:
    """Overlap, landing and pad positions; raise if the pads break the metal-to-opening rule."""
    ox, d, w, pad, gap = s.opening_x_nm, s.opening_y_nm, s.electrode_nm, s.pad_nm, s.gap_nm
    hx, hy = (ox + w - d) // 2, w // 2  # half sizes of the electrode overlap (optical area)
    pad_enc = max(enclosure_nm("ITO_BOTTOM", "METAL_ON_ITO_BOTTOM"), enclosure_nm("ITO_TOP", "METAL_ON_ITO_TOP"))
    land = pad // 2 + pad_enc  # half size of the ITO landing under a pad
    px = hx + s.margin_nm + gap + land  # pad centre |x|
    clearance = px - pad // 2 - ox // 2  # pad edge to opening edge along x
    need = int(DESIGN_RULES.metal_to_opening_min_nm)
    if clearance < need:
        raise InputError(f"pads are {clearance / 1000:g} um from the opening", field="pad_gap_um",
                         allowed=f">= {(gap + need - clearance) / 1000:g} um (metal-to-opening rule)", source=CELL)
    return _Plan(half_x_nm=hx, half_y_nm=hy, land_nm=land, pad_x_nm=px)


def _draw(s: _Sizes, p: _Plan) -> gf.Component:
    """Component with the electrodes, dielectric (with the opening), perovskite and pads."""
    d, ox, m, pad = s.opening_y_nm, s.opening_x_nm, s.margin_nm, s.pad_nm
    hx, hy, land, px = p.half_x_nm, p.half_y_nm, p.land_nm, p.pad_x_nm
    c = gf.Component()
    ito_b, ito_t = kdb.Region(), kdb.Region()
    ito_b.insert(kdb.Box(-px, -hy, hx, hy))
    ito_b.insert(_box(-px, 0, land, max(land, hy)))
    ito_t.insert(kdb.Box(-hx, -hy, px, hy))
    ito_t.insert(_box(px, 0, land, max(land, hy)))
    hole = kdb.Region(disk(d // 2) if s.opening == "circle" else _box(0, 0, ox // 2, d // 2))
    pixel_def = kdb.Region(_box(0, 0, hx + m, hy + m)) - hole
    c.shapes(gf.get_layer("ITO_BOTTOM")).insert(ito_b.merged())
    c.shapes(gf.get_layer("PIXEL_DEF")).insert(pixel_def)
    c.shapes(gf.get_layer("PEROVSKITE")).insert(_box(0, 0, hx, hy))
    c.shapes(gf.get_layer("ITO_TOP")).insert(ito_t.merged())
    metal = c.shapes(gf.get_layer("METAL"))
    metal.insert(_box(-px, 0, pad // 2, pad // 2))
    metal.insert(_box(px, 0, pad // 2, pad // 2))
    return c


@gf.cell
def led_pixel(
    opening: str = "circle",
    opening_diameter_um: float = 50.0,
    opening_length_um: float = 200.0,
    electrode_width_um: float = 100.0,
    pixel_def_margin_um: float = 20.0,
    pad_size_um: float = 100.0,
    pad_gap_um: float = 20.0,
) -> gf.Component:
    """PeLED pixel; bottom electrode and its pad to the left (-x), top electrode and its pad to the right.

    Args:
        opening: 'circle' or 'stripe' (stripe along x).
        opening_diameter_um: circle diameter, or stripe width (y) (um).
        opening_length_um: stripe length (x) (um); unused for a circle.
        electrode_width_um: width (y) of both ITO electrodes over the optical area (um); the electrodes
            overlap over the opening plus (electrode_width_um - opening_diameter_um) / 2 on every side.
        pixel_def_margin_um: how far the pixel-definition dielectric extends beyond the electrode overlap (um).
        pad_size_um: side of the square metal pads (um).
        pad_gap_um: gap between the dielectric and each pad's ITO landing (um).

    info: opening, opening_diameter_um, opening_size_um (x, y), overlap_size_um, pad_centers_um,
    pad_size_um, bbox.
    """
    s = _sizes(opening=opening, opening_diameter_um=opening_diameter_um, opening_length_um=opening_length_um,
               electrode_width_um=electrode_width_um, pixel_def_margin_um=pixel_def_margin_um,
               pad_size_um=pad_size_um, pad_gap_um=pad_gap_um)
    _check_rules(s)
    p = _plan(s)
    c = _draw(s, p)

    c.info["opening"] = opening
    c.info["opening_diameter_um"] = s.opening_y_nm / 1000
    c.info["opening_size_um"] = [s.opening_x_nm / 1000, s.opening_y_nm / 1000]
    c.info["overlap_size_um"] = [2 * p.half_x_nm / 1000, 2 * p.half_y_nm / 1000]
    c.info["pad_centers_um"] = [[-p.pad_x_nm / 1000, 0.0], [p.pad_x_nm / 1000, 0.0]]
    c.info["pad_size_um"] = s.pad_nm / 1000
    return c
