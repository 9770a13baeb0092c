"""Cell parameters from the device contract (``layout.device_geometry.DeviceGeometry``): the die draws exactly the
device that was simulated. ``grating_cell_params`` gives ``dfb_grating``'s section list; ``laser_device_params``
the whole ``laser_device`` (grating, pixel with its current opening over the pumped stretch)."""

from __future__ import annotations

from typing import Any

from perocav.layout.device_geometry import DeviceGeometry
from perocav.pdk.rules import DESIGN_RULES

#: electrode width (y) beyond the opening on each side (um): the ITO/perovskite enclosure of the opening plus room
ELECTRODE_MARGIN_UM = 25.0
#: smallest electrode width (um): the led_pixel default
MIN_ELECTRODE_WIDTH_UM = 100.0


def grating_cell_params(geometry: DeviceGeometry, *, stripe_width_um: float | None = None) -> dict[str, Any]:
    """``dfb_grating`` keyword arguments that draw ``geometry``'s sections: ``device_sections`` (a hashable tuple of
    (order, period_nm, duty_cycle, n_periods, shift_nm)) and, if given, the grating lines' length
    ``stripe_width_um``. The cell puts the device centre (length / 2) at x = 0."""
    secs = tuple((s.order, float(s.period_nm), float(s.duty_cycle), int(s.n_periods), float(s.shift_nm))
                 for s in geometry.sections)
    out: dict[str, Any] = {"device_sections": secs}
    if stripe_width_um is not None:
        out["stripe_width_um"] = stripe_width_um
    return out


def _even_um(value_um: float) -> float:
    """``value_um`` rounded to an even number of nm (a centred opening on the 1 nm grid), in um."""
    return 2 * round(value_um * 500) / 1000


def opening_length_um(geometry: DeviceGeometry) -> float:
    """The drawn opening's length along the grating [um]: the pump's opening, or the whole device when the pump
    has none; rounded to an even number of nm (within 1 nm of the geometry's)."""
    length = geometry.pump.opening_um if geometry.pump.opening_um is not None else geometry.length_um
    return _even_um(length)


def laser_device_params(geometry: DeviceGeometry, *, stripe_width_um: float = 50.0, opening: str = "circle",
                        opening_width_um: float | None = None) -> dict[str, Any]:
    """``laser_device`` keyword arguments of the device: the grating of ``grating_cell_params`` and an LED pixel
    whose current opening is centred on the pumped stretch (``opening_offset_um`` = the pump's offset_um, rounded
    to the nm) with the pump's length along the grating: a circle of that diameter (``opening='circle'``) or a
    stripe of that length and ``opening_width_um`` across (default: the grating stripe's width). The electrodes
    are widened to hold the opening with the PDK's enclosure."""
    length = opening_length_um(geometry)
    across = length if opening == "circle" else _even_um(opening_width_um or stripe_width_um)
    enclosure_um = max(r.min_enclosure_nm for r in DESIGN_RULES.enclosures if r.inner == "PIXEL_OPENING") / 1000
    electrode = max(MIN_ELECTRODE_WIDTH_UM, _even_um(across + 2 * max(ELECTRODE_MARGIN_UM, enclosure_um)))
    pixel: dict[str, Any] = {"opening": opening, "opening_diameter_um": across, "electrode_width_um": electrode}
    if opening != "circle":
        pixel["opening_length_um"] = length
    offset = round(geometry.pump.offset_um * 1000) / 1000 + 0.0  # on the nm grid (+ 0.0: no -0.0)
    return {"cavity": "dfb_grating", "cavity_params": grating_cell_params(geometry, stripe_width_um=stripe_width_um),
            "pixel_params": pixel, "opening_offset_um": offset}
