"""perocav.layout: gdsfactory cells (one per file), mask assembly, manifest, DRC and rendering.

``cells`` maps cell names to their functions; ``perocav.pdk.get_pdk()`` registers them."""

from __future__ import annotations

from collections.abc import Callable

import gdsfactory as gf

from perocav.layout.alignment_mark import alignment_mark
from perocav.layout.circular_grating import circular_grating
from perocav.layout.dfb_grating import dfb_grating
from perocav.layout.die_frame import die_frame
from perocav.layout.disk_resonator import disk_resonator
from perocav.layout.label import label
from perocav.layout.laser_device import laser_device
from perocav.layout.led_pixel import led_pixel
from perocav.layout.ring_resonator import ring_resonator
from perocav.layout.vernier import vernier

cells: dict[str, Callable[..., gf.Component]] = {
    "dfb_grating": dfb_grating,
    "circular_grating": circular_grating,
    "ring_resonator": ring_resonator,
    "disk_resonator": disk_resonator,
    "led_pixel": led_pixel,
    "laser_device": laser_device,
    "alignment_mark": alignment_mark,
    "vernier": vernier,
    "die_frame": die_frame,
    "label": label,
}

__all__ = ["cells", *cells]
