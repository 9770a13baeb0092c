"""Laser device: a cavity in the GRATING layer with an LED pixel centred on it and a drawn label below.
The test structures of a die are the same cell without a cavity (``cavity='none'``: the LED alone) or
without electrodes (``electrodes=False``: cavity under the pixel's perovskite only, optically pumped)."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from typing import Any

import gdsfactory as gf
import klayout.db as kdb

from perocav.layout.checks import one_of, um_on_grid_nm
from perocav.layout.circular_grating import circular_grating
from perocav.layout.dfb_grating import dfb_grating
from perocav.layout.disk_resonator import disk_resonator
from perocav.layout.label import label as label_cell
from perocav.layout.led_pixel import led_pixel
from perocav.layout.level_ids import level_id_regions
from perocav.layout.ring_resonator import ring_resonator
from perocav.pdk.errors import InputError

CELL = "laser_device"
CAVITIES: dict[str, Callable[..., gf.Component]] = {
    "dfb_grating": dfb_grating,
    "circular_grating": circular_grating,
    "ring_resonator": ring_resonator,
    "disk_resonator": disk_resonator,
}
#: Gap between the device's bottom edge and its drawn label (um).
LABEL_GAP_UM = 20.0


def freeze(value: Any) -> Any:
    """Lists to tuples, recursively (also inside dicts), so gdsfactory can hash cell arguments."""
    if isinstance(value, list | tuple):
        return tuple(freeze(v) for v in value)
    if isinstance(value, Mapping):
        return {k: freeze(v) for k, v in value.items()}
    return value


def call_checked(func: Callable[..., gf.Component], params: Mapping[str, Any], *, field: str) -> gf.Component:
    """``func(**params)``; unknown keys raise InputError, and a cell's InputError gets ``field`` as prefix."""
    names = [p for p in inspect.signature(func).parameters]
    for key in params:
        if key not in names:
            raise InputError(f"unknown parameter {key!r} of {func.__name__}", field=f"{field}.{key}" if field else key,
                             allowed=", ".join(names), source=CELL)
    try:
        return func(**{k: freeze(v) for k, v in params.items()})
    except InputError as err:
        raise err.with_source(err.source, field_prefix=field) if field else err from None


@gf.cell
def laser_device(
    cavity: str = "dfb_grating",
    cavity_params: Mapping[str, Any] | None = None,
    pixel_params: Mapping[str, Any] | None = None,
    label: str = "",
    label_height_um: float = 42.0,
    electrodes: bool = True,
    opening_offset_um: float = 0.0,
) -> gf.Component:
    """Cavity and LED pixel, both centred at (0, 0) (the centre of the pixel opening), or the cavity moved by
    ``-opening_offset_um`` along x so that the opening sits off the cavity's centre.

    Args:
        cavity: one of ``CAVITIES``, or 'none' (no cavity: the LED pixel alone, a control device).
        cavity_params: keyword arguments of the cavity cell (units as named there); none with 'none'.
        pixel_params: keyword arguments of ``led_pixel``.
        label: device id drawn on METAL below the pixel, copied onto every other level the device is drawn on
            (``layout.level_ids``) and placed as a GDS text on TEXT at (0, 0); '' for none.
        label_height_um: character height of the drawn label (um).
        electrodes: False draws of the pixel only its PEROVSKITE (no ITO, dielectric or pads): the
            cavity for optical pumping (a control device); the label stays where it is with electrodes.
        opening_offset_um: where the opening's centre lies along the cavity (x), relative to the cavity's centre
            (um, on the 1 nm grid): a pump offset along the grating (``layout.device_cell_params``).

    info: cavity, cavity_settings and pixel_settings (every parameter, defaults included), cavity_info,
    pixel_info, label, opening_offset_um, id_levels (the levels carrying the id).
    """
    one_of(cavity, (*CAVITIES, "none"), field="cavity", cell=CELL)
    one_of(electrodes, (True, False), field="electrodes", cell=CELL)
    if cavity == "none" and (cavity_params or not electrodes):
        raise InputError("cavity 'none' takes no cavity_params and needs the electrodes", field="cavity",
                         allowed="a cavity, or 'none' with electrodes and no cavity_params", source=CELL)
    cav = None if cavity == "none" else call_checked(CAVITIES[cavity], dict(cavity_params or {}),
                                                     field="cavity_params")
    offset_nm = um_on_grid_nm(opening_offset_um, field="opening_offset_um", cell=CELL)
    if offset_nm and cav is None:
        raise InputError("an opening offset needs a cavity", field="opening_offset_um", allowed="0 with cavity 'none'",
                         source=CELL)
    pix = call_checked(led_pixel, dict(pixel_params or {}), field="pixel_params")
    c = gf.Component()
    if cav is not None:
        c.add_ref(cav).dmove((-offset_nm / 1000, 0))
    if electrodes:
        c.add_ref(pix)
    else:
        layer = gf.get_layer("PEROVSKITE")
        c.shapes(layer).insert(pix.kdb_cell.shapes(layer))
    levels = (("GRATING",) if cav is not None else ()) + (
        ("ITO_BOTTOM", "PIXEL_DEF", "PEROVSKITE", "ITO_TOP") if electrodes else ("PEROVSKITE",))
    if label:
        _add_label(c, pix, label, label_height_um, levels)
    c.info["cavity"] = cavity
    c.info["electrodes"] = electrodes
    c.info["opening_offset_um"] = offset_nm / 1000
    c.info["cavity_settings"] = {} if cav is None else cav.settings.model_dump()
    c.info["pixel_settings"] = pix.settings.model_dump()
    c.info["cavity_info"] = {} if cav is None else {
        k: v for k, v in cav.info.model_dump().items() if not isinstance(v, list) or len(v) <= 8}
    c.info["pixel_info"] = pix.info.model_dump()
    c.info["label"] = label
    c.info["id_levels"] = ["METAL", *levels] if label else []
    return c


def _add_label(c: gf.Component, pix: gf.Component, label: str, height_um: float, levels: tuple[str, ...]) -> None:
    """The device id: drawn on METAL below the pixel, a copy on every other level of ``levels``
    (``layout.level_ids``), and a GDS text on TEXT at (0, 0)."""
    lab = call_checked(label_cell, {"text": label, "height_um": height_um, "layer": "METAL"}, field="")
    x_nm = -round(lab.info["width_um"] * 500)
    y_nm = round((pix.dbbox().bottom - LABEL_GAP_UM - lab.info["height_um"]) * 1000)
    c.add_ref(lab).dmove((x_nm / 1000, y_nm / 1000))
    w_nm, h_nm = round(lab.info["width_um"] * 1000), round(lab.info["height_um"] * 1000)
    label_box = kdb.Box(x_nm, y_nm, x_nm + w_nm, y_nm + h_nm)
    film_box = pix.kdb_cell.bbox(gf.get_layer("PEROVSKITE"))
    for level, region in level_id_regions(label, levels, label_box=label_box, film_box=film_box).items():
        c.shapes(gf.get_layer(level)).insert(region)
    c.add_label(label, position=(0, 0), layer="TEXT")
