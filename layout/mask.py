"""Mask assembly: devices from a ``MaskSpec`` on a DOE grid inside a die frame, each with its device id
(drawn on METAL, a laser device's also on its other levels, and as a GDS text on TEXT at the device centre), plus
alignment marks, verniers and the die name in the margin band (alignment marks on all four edges). Positions are
integer nm."""

from __future__ import annotations

import itertools
import json
from typing import Any

import gdsfactory as gf
from pydantic import BaseModel, ConfigDict

from perocav.layout import cells
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
#: lines of a y vernier: turned, its comb's length is the margin band's height (9 lines: 172 um + clearances fit
#: the default 250 um margin)
Y_VERNIER_LINES = 9
CLEARANCE_UM = max(DESIGN_RULES.metal_to_opening_min_nm, *(r.min_space_nm for r in DESIGN_RULES.layers.values())) / 1000


class PlacedDevice(BaseModel):
    """A device on the die: id, group, role (design, bracket, repeat, control; sweep, device), cell, the
    parameters given and all parameters (defaults included, nested dicts for laser devices), bracket
    offsets (steps), control kind, and its centre (um, die coordinates)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    device_id: str
    group: str
    cell: str
    x_um: float
    y_um: float
    varied: dict[str, Any]
    params: dict[str, Any]
    settings: dict[str, Any]
    role: str = "device"
    offsets: dict[str, int] = {}
    control: str = ""


class MaskLayout(BaseModel):
    """The assembled die (``component``), what was placed on it, the GDS cell names to write
    (gdsfactory name -> device id based name), bracket points left out (infeasible, with the reason)
    and the DOE grid (slots used, slots)."""

    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)
    spec: MaskSpec
    component: Any  # gf.Component (unnamed; the GDS writer names the top cell after spec.name)
    devices: tuple[PlacedDevice, ...]
    cell_names: dict[str, str] = {}
    left_out: tuple[str, ...] = ()
    merged: tuple[str, ...] = ()  # bracket points another device of the die already is ("A05 = B13")
    slots: tuple[int, int] = (0, 0)


def _same_as(planned: list[PlannedDevice]) -> dict[str, str]:
    """Bracket devices that repeat another device of the die (the bracket of a neighbouring chosen design, or a
    chosen design itself): device id -> the id of the device it is (a design; else the first bracket placed)."""
    def key(dev: PlannedDevice) -> str:
        return dev.cell + json.dumps(dev.params, sort_keys=True, default=str)

    first = {key(d): d.device_id for d in planned if d.role == "design"}
    out = {}
    for d in planned:
        if d.role != "bracket":
            continue
        k = key(d)
        if k in first:
            out[d.device_id] = first[k]
        else:
            first[k] = d.device_id
    return out


def _build_device(dev: PlannedDevice, spec: MaskSpec, source: str) -> tuple[gf.Component, dict[str, Any]]:
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
                    "pixel_params": comp.info["pixel_settings"], "label": dev.device_id,
                    "electrodes": comp.info["electrodes"], "opening_offset_um": comp.info["opening_offset_um"]}
    else:
        settings = comp.settings.model_dump()
    return comp, settings


def _nm(um: float) -> int:
    return int(round(um * 1000))


def _slots(planned: list[PlannedDevice], n_cols: int, source: str) -> list[tuple[int, int]]:
    """(row, col) of every device: design blocks packed left to right in bands of rows, then every sweep
    and the single devices in rows of ``n_cols`` (each group on a new row)."""
    out: list[tuple[int, int]] = []
    row0 = col0 = band = 0
    row = -1
    for g, group in itertools.groupby(planned, key=lambda d: d.group):
        members = list(group)
        if members[0].slot is not None:
            rows = 1 + max(d.slot[0] for d in members)
            cols = 1 + max(d.slot[1] for d in members)
            if cols > n_cols:
                raise InputError(f"design block {g!r} is {cols} devices wide, the die holds {n_cols}",
                                 field="die.width_um", allowed=f"room for {cols} columns of pitch_x_um",
                                 source=source)
            if col0 + cols > n_cols:
                row0, col0, band = row0 + band, 0, 0
            out += [(row0 + d.slot[0], col0 + d.slot[1]) for d in members]
            col0, band = col0 + cols, max(band, rows)
            row = row0 + band - 1
        else:
            for k in range(len(members)):
                row += k % n_cols == 0
                out.append((row, k % n_cols))
    return out


def _with_label(comp: gf.Component, dev: PlannedDevice, spec: MaskSpec) -> gf.Component:
    """A cell (renamed to the device id on output) with ``comp``, its drawn id below and the id as GDS text."""
    lab = call_checked(label, {"text": dev.device_id, "height_um": spec.die.label_height_um, "layer": "METAL"},
                       field="die.label_height_um")
    box = comp.dbbox()
    w = gf.Component()
    w.add_ref(comp)
    lx = -_nm(lab.info["width_um"] / 2)
    ly = _nm(box.bottom - LABEL_GAP_UM - lab.info["height_um"])
    w.add_ref(lab).dmove((lx / 1000, ly / 1000))
    w.add_label(dev.device_id, position=(0, 0), layer="TEXT")
    return w


def _check_fit(comp: gf.Component, dev: PlannedDevice, px: int, py: int, gap: int, source: str) -> None:
    box = comp.dbbox()
    half_w = _nm(max(-box.left, box.right))
    if 2 * half_w + gap > px:
        raise InputError(f"device {dev.device_id} is {2 * half_w / 1000:g} um wide", field="die.pitch_x_um",
                         allowed=f">= {(2 * half_w + gap) / 1000:g} um", source=source)
    half_h = _nm(max(-box.bottom, box.top))
    if 2 * half_h + gap > py:
        raise InputError(f"device {dev.device_id} extends {half_h / 1000:g} um from its centre in y",
                         field="die.pitch_y_um", allowed=f">= {(2 * half_h + gap) / 1000:g} um", source=source)


def build_mask(spec: MaskSpec, *, source: str = "mask") -> MaskLayout:
    """Assemble the die of ``spec``; misfits (device larger than the pitch, too many rows, marks larger
    than the margin) raise InputError naming the die field to change. A bracket point whose cell is
    infeasible (a duty cycle past the grating rules) is left out and listed in ``left_out``; one that another
    device of the die already is (neighbouring chosen designs' brackets overlap) is placed once (``merged``)."""
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
    n_cols, n_rows = (x1 - x0) // px, (y1 - y0) // py
    planned = plan(spec, source=source)
    slots = _slots(planned, n_cols, source)
    rows_needed = 1 + max(r for r, _ in slots)
    if rows_needed > n_rows:
        raise InputError(f"{rows_needed} rows of {py / 1000:g} um do not fit", field="die.height_um",
                         allowed=f">= {(H + (rows_needed - n_rows) * py) / 1000:g} um (or a smaller pitch_y_um)",
                         source=source)
    c = gf.Component()
    c.add_ref(frame)
    names = {frame.name: "die_frame"}
    placed: list[PlacedDevice] = []
    left_out: list[str] = []
    same = _same_as(planned)  # merged: distinct devices only
    for dev, (row, col) in zip(planned, slots, strict=True):
        if dev.device_id in same:
            continue
        try:
            comp, settings = _build_device(dev, spec, source)
        except InputError as err:
            if dev.role != "bracket":
                raise
            left_out.append(f"{dev.device_id} {dev.varied}: {err.problem}")
            continue
        cell = comp if dev.cell == "laser_device" else _with_label(comp, dev, spec)
        _check_fit(cell, dev, px, py, gap, source)
        cx, cy = x0 + px // 2 + col * px, y1 - py // 2 - row * py
        c.add_ref(cell).dmove((cx / 1000, cy / 1000))
        names[cell.name] = dev.device_id
        placed.append(PlacedDevice(device_id=dev.device_id, group=dev.group, cell=dev.cell, x_um=cx / 1000,
                                   y_um=cy / 1000, varied=dev.varied, params=dev.params, settings=settings,
                                   role=dev.role, offsets=dev.offsets, control=dev.control))
    for kind, comp in _place_marks(c, spec, source, W, H, f, m, gap):
        names.setdefault(comp.name, kind)
    if spec.name in names.values():
        raise InputError(f"{spec.name!r} is also a cell name on the die", field="name",
                         allowed="a name other than the device ids and mark names", source=source)
    return MaskLayout(spec=spec, component=c, devices=tuple(placed), cell_names=_child_names(c, names),
                      left_out=tuple(left_out), merged=tuple(f"{a} = {b}" for a, b in same.items()),
                      slots=(len(placed), int(n_cols * n_rows)))


def _child_names(top: gf.Component, names: dict[str, str]) -> dict[str, str]:
    """``names`` plus a name for every cell below a named cell: ``<parent name>_<cell function>``, the
    first parent (in id order) naming a cell that several devices share."""
    out = dict(names)
    used = set(out.values())
    kcl = top.kcl
    for parent in sorted(names, key=lambda n: names[n]):
        pcell = kcl.layout.cell(parent)
        for ci in sorted(pcell.called_cells(), key=lambda i: kcl.layout.cell(i).name):
            name = kcl.layout.cell(ci).name
            if name in out:
                continue
            base = f"{names[parent]}_{kcl[ci].function_name or 'cell'}"
            new, k = base, 1
            while new in used:
                k += 1
                new = f"{base}{k}"
            out[name] = new
            used.add(new)
    return out


def _place_marks(c: gf.Component, spec: MaskSpec, source: str, W: int, H: int, f: int, m: int,
                 gap: int) -> list[tuple[str, gf.Component]]:
    """Alignment marks top left and top right, bottom (after the x verniers) and turned at the middle of the left and
    right bands; x verniers bottom left, y verniers top (after the left mark), die name bottom right, all in the
    margin band between the frame and the DOE area; returns (cell name to write, cell) of each."""
    band_top, band_bottom = (H - f - m, H - f), (f, f + m)
    x_left, x_right = f + gap, W - f - gap
    used_bottom = x_left
    mark_w = _nm(alignment_mark(levels=list(LITHO_LEVELS[1:])).dbbox().width()) + gap if spec.marks.alignment else 0
    used_top = x_left + mark_w
    items: list[tuple[gf.Component, str]] = []
    kinds: list[str] = []
    if spec.marks.alignment:
        items += [(call_checked(alignment_mark, {"levels": list(LITHO_LEVELS[1:])}, field="marks"), "tl"),
                  (call_checked(alignment_mark, {"levels": list(LITHO_LEVELS[1:])}, field="marks"), "tr")]
        kinds += ["alignment_mark"] * 2
    if spec.marks.verniers:
        items += [(call_checked(vernier, {"level": lv}, field="marks"), "bl") for lv in LITHO_LEVELS[1:]]
        kinds += [f"vernier_{lv}" for lv in LITHO_LEVELS[1:]]
        y_params = {"axis": "y", "n_lines": Y_VERNIER_LINES}
        items += [(call_checked(vernier, {"level": lv, **y_params}, field="marks"), "tc") for lv in LITHO_LEVELS[1:]]
        kinds += [f"vernier_y_{lv}" for lv in LITHO_LEVELS[1:]]
    if spec.marks.alignment:  # the bottom edge's mark, after the x verniers
        items.append((call_checked(alignment_mark, {"levels": list(LITHO_LEVELS[1:])}, field="marks"), "bl"))
        kinds.append("alignment_mark")
    if spec.marks.die_label:
        items.append((call_checked(label, {"text": spec.name, "height_um": spec.die.label_height_um,
                                           "layer": "METAL"}, field="name"), "br"))
        kinds.append("die_name")
    for comp, where in items:
        b = comp.dbbox()
        w, h = _nm(b.width()), _nm(b.height())
        if h + 2 * gap > m:
            raise InputError(f"marks need {(h + 2 * gap) / 1000:g} um", field="die.margin_um",
                             allowed=f">= {(h + 2 * gap) / 1000:g} um", source=source)
        band = band_top if where in ("tl", "tc", "tr") else band_bottom
        y = (band[0] + band[1]) // 2 - h // 2 - _nm(b.bottom)
        if where == "tl":
            x = x_left - _nm(b.left)
        elif where == "tc":  # the y verniers, in the top band after the left alignment mark
            x = used_top - _nm(b.left)
            used_top += w + gap
        elif where == "tr" or where == "br":
            x = x_right - w - _nm(b.left)
        else:
            x = used_bottom - _nm(b.left)
            used_bottom += w + gap
        c.add_ref(comp).dmove((x / 1000, y / 1000))
    label_w = _nm(items[-1][0].dbbox().width()) if spec.marks.die_label else 0
    if used_top > x_right - mark_w:
        raise InputError("the y verniers do not fit between the alignment marks", field="die.width_um",
                         allowed=f">= {(W + used_top - x_right + mark_w) / 1000:g} um", source=source)
    if used_bottom + label_w + gap > x_right or (spec.marks.alignment and 2 * _nm(items[0][0].dbbox().width())
                                                  + 3 * gap > W - 2 * f):
        raise InputError("marks do not fit along the die edge", field="die.width_um",
                         allowed=f">= {(used_bottom + label_w + gap + f) / 1000:g} um", source=source)
    placed = [(kind, comp) for kind, (comp, _) in zip(kinds, items, strict=True)]
    if spec.marks.alignment:
        placed += _place_side_marks(c, items[0][0], source, W, H, f, m, gap)
    return placed


def _place_side_marks(c: gf.Component, mark: gf.Component, source: str, W: int, H: int, f: int, m: int,
                      gap: int) -> list[tuple[str, gf.Component]]:
    """The alignment mark turned by 90 degrees at the middle of the left and of the right margin band, so that
    every edge of the die carries one (top: two, bottom: one after the x verniers)."""
    height = _nm(mark.dbbox().width())  # turned: its length runs along y
    if height + 2 * gap > H - 2 * (f + m):
        raise InputError(f"the side alignment marks need {(height + 2 * gap) / 1000:g} um between the margin bands",
                         field="die.height_um", allowed=f">= {(height + 2 * gap + 2 * (f + m)) / 1000:g} um",
                         source=source)
    for cx in (f + m // 2, W - f - m // 2):
        ref = c.add_ref(mark)
        ref.drotate(90)
        b = ref.dbbox()
        ref.dmove(((cx - _nm(b.center().x)) / 1000, (H // 2 - _nm(b.center().y)) / 1000))
    return [("alignment_mark", mark)] * 2
