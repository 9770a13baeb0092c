"""Mask assembly: devices from a ``MaskSpec`` on a DOE grid inside a die frame, each with its device id
(drawn on METAL and as a GDS text on TEXT at the device centre), plus alignment marks, verniers and the
die name in the margin band. Positions are integer nm."""

from __future__ import annotations

from typing import Any

import gdsfactory as gf
from pydantic import BaseModel, ConfigDict

from perocav.layout.alignment_mark import alignment_mark
from perocav.layout.die_frame import die_frame
from perocav.layout.label import label
from perocav.layout.laser_device import LABEL_GAP_UM, call_checked
from perocav.layout.mask_spec import MaskSpec, PlannedDevice, plan
from perocav.layout.vernier import vernier
from perocav.pdk.errors import InputError
from perocav.pdk.layer_map import LITHO_LEVELS
from perocav.pdk.rules import DESIGN_RULES

#: Clearance (um) kept between neighbouring devices and between marks: the largest spacing rule
#: (metal to a pixel opening) so that no rule can couple two devices.
CLEARANCE_UM = max(DESIGN_RULES.metal_to_opening_min_nm, *(r.min_space_nm for r in DESIGN_RULES.layers.values())) / 1000


class PlacedDevice(BaseModel):
    """A device on the die: id, group, cell, the parameters given and all parameters (defaults
    included, nested dicts for laser devices), and its centre (um, die coordinates)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    device_id: str
    group: str
    cell: str
    x_um: float
    y_um: float
    varied: dict[str, Any]
    params: dict[str, Any]
    settings: dict[str, Any]


class MaskLayout(BaseModel):
    """The assembled die (``component``) and what was placed on it."""

    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)
    spec: MaskSpec
    component: Any  # gf.Component (unnamed; the GDS writer names the top cell after spec.name)
    devices: tuple[PlacedDevice, ...]


def _build_device(dev: PlannedDevice, spec: MaskSpec, source: str) -> tuple[gf.Component, dict[str, Any]]:
    from perocav.layout import cells

    params = dict(dev.params)
    if dev.cell == "laser_device":
        if "label" in params:
            raise InputError("the label is the device id, set by the mask", field=f"{dev.field}.params.label",
                             allowed="omit", source=source)
        params.update(label=dev.device_id, label_height_um=spec.die.label_height_um)
    try:
        comp = call_checked(cells[dev.cell], params, field="params")
    except InputError as err:
        raise err.with_source(source, field_prefix=f"{dev.field} ({dev.device_id})") from None
    if dev.cell == "laser_device":
        settings = {"cavity": comp.info["cavity"], "cavity_params": comp.info["cavity_settings"],
                    "pixel_params": comp.info["pixel_settings"], "label": dev.device_id}
    else:
        settings = comp.settings.model_dump()
    return comp, settings


def _nm(um: float) -> int:
    return int(round(um * 1000))


def build_mask(spec: MaskSpec, *, source: str = "mask") -> MaskLayout:
    """Assemble the die of ``spec``; misfits (device larger than the pitch, too many rows, marks larger
    than the margin) raise InputError naming the die field to change."""
    die = spec.die
    frame = call_checked(die_frame, {"width_um": die.width_um, "height_um": die.height_um,
                                     "frame_width_um": die.frame_width_um}, field="die")
    f, m, gap = _nm(die.frame_width_um), _nm(die.margin_um), _nm(CLEARANCE_UM)
    W, H = _nm(die.width_um), _nm(die.height_um)
    x0, x1, y0, y1 = f + m, W - f - m, f + m, H - f - m  # DOE area
    px, py = _nm(die.pitch_x_um), _nm(die.pitch_y_um)
    if x1 - x0 < px or y1 - y0 < py:
        raise InputError("no room for one device inside frame and margin", field="die.margin_um",
                         allowed=f"<= {(min(W - px, H - py) / 2 - f) / 1000:g} um", source=source)
    n_cols = (x1 - x0) // px
    planned = plan(spec, source=source)

    c = gf.Component()
    c.add_ref(frame)
    placed: list[PlacedDevice] = []
    row, col, group = -1, 0, None
    for dev in planned:
        if dev.group != group or col == n_cols:
            row, col, group = row + 1, 0, dev.group
        comp, settings = _build_device(dev, spec, source)
        lab = None
        if dev.cell != "laser_device":
            lab = call_checked(label, {"text": dev.device_id, "height_um": die.label_height_um, "layer": "METAL"},
                               field="die.label_height_um")
        box = comp.dbbox()
        ymin = box.bottom - (LABEL_GAP_UM + lab.info["height_um"] if lab else 0)
        half_w = _nm(max(-box.left, box.right, (lab.info["width_um"] / 2) if lab else 0))
        if 2 * half_w + gap > px:
            raise InputError(f"device {dev.device_id} is {2 * half_w / 1000:g} um wide", field="die.pitch_x_um",
                             allowed=f">= {(2 * half_w + gap) / 1000:g} um", source=source)
        if 2 * _nm(max(-ymin, box.top)) + gap > py:
            raise InputError(f"device {dev.device_id} extends {max(-ymin, box.top):g} um from its centre in y",
                             field="die.pitch_y_um", allowed=f">= {(2 * _nm(max(-ymin, box.top)) + gap) / 1000:g} um",
                             source=source)
        cx = x0 + px // 2 + col * px
        cy = y1 - py // 2 - row * py
        if cy - py // 2 < y0:
            raise InputError(f"{row + 1} rows of {py / 1000:g} um do not fit", field="die.height_um",
                             allowed=f">= {(H + (y0 - (cy - py // 2))) / 1000:g} um (or a smaller pitch_y_um)",
                             source=source)
        c.add_ref(comp).dmove((cx / 1000, cy / 1000))
        if lab is not None:
            lx = cx - _nm(lab.info["width_um"] / 2)
            ly = cy + _nm(box.bottom - LABEL_GAP_UM - lab.info["height_um"])
            c.add_ref(lab).dmove((lx / 1000, ly / 1000))
            c.add_label(dev.device_id, position=(cx / 1000, cy / 1000), layer="TEXT")
        placed.append(PlacedDevice(device_id=dev.device_id, group=dev.group, cell=dev.cell, x_um=cx / 1000,
                                   y_um=cy / 1000, varied=dev.varied, params=dev.params, settings=settings))
        col += 1
    _place_marks(c, spec, source, (x0, x1, y0, y1), W, H, f, m, gap)
    return MaskLayout(spec=spec, component=c, devices=tuple(placed))


def _place_marks(c: gf.Component, spec: MaskSpec, source: str, area: tuple[int, int, int, int], W: int, H: int,
                 f: int, m: int, gap: int) -> None:
    """Alignment marks top left and top right, verniers bottom left, die name bottom right, all in the
    margin band between the frame and the DOE area."""
    band_top, band_bottom = (H - f - m, H - f), (f, f + m)
    x_left, x_right = f + gap, W - f - gap
    used_bottom = x_left
    items: list[tuple[gf.Component, str]] = []
    if spec.marks.alignment:
        items += [(call_checked(alignment_mark, {"levels": list(LITHO_LEVELS[1:])}, field="marks"), "tl"),
                  (call_checked(alignment_mark, {"levels": list(LITHO_LEVELS[1:])}, field="marks"), "tr")]
    if spec.marks.verniers:
        items += [(call_checked(vernier, {"level": lv}, field="marks"), "bl") for lv in LITHO_LEVELS[1:]]
    if spec.marks.die_label:
        items.append((call_checked(label, {"text": spec.name, "height_um": spec.die.label_height_um,
                                           "layer": "METAL"}, field="name"), "br"))
    for comp, where in items:
        b = comp.dbbox()
        w, h = _nm(b.width()), _nm(b.height())
        if h + 2 * gap > m:
            raise InputError(f"marks need {(h + 2 * gap) / 1000:g} um", field="die.margin_um",
                             allowed=f">= {(h + 2 * gap) / 1000:g} um", source=source)
        band = band_top if where in ("tl", "tr") else band_bottom
        y = (band[0] + band[1]) // 2 - h // 2 - _nm(b.bottom)
        if where == "tl":
            x = x_left - _nm(b.left)
        elif where == "tr" or where == "br":
            x = x_right - w - _nm(b.left)
        else:
            x = used_bottom - _nm(b.left)
            used_bottom += w + gap
        c.add_ref(comp).dmove((x / 1000, y / 1000))
    label_w = _nm(items[-1][0].dbbox().width()) if spec.marks.die_label else 0
    if used_bottom + label_w + gap > x_right or (spec.marks.alignment and 2 * _nm(items[0][0].dbbox().width())
                                                  + 3 * gap > W - 2 * f):
        raise InputError("marks do not fit along the die edge", field="die.width_um",
                         allowed=f">= {(used_bottom + label_w + gap + f) / 1000:g} um", source=source)
