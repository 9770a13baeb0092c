"""perocav.layout: gdsfactory cells (one per file), mask assembly, manifest, DRC and rendering.

``cells`` maps cell names to their functions (``perocav.pdk.get_pdk()`` registers them). It is built
on first access, so that tools needing only ``klayout.db`` (DRC, rendering a GDS) start without
importing gdsfactory."""

from __future__ import annotations

import importlib
from typing import Any

#: Cell name -> module under perocav.layout that defines it (same name).
CELL_NAMES: tuple[str, ...] = (
    "dfb_grating", "circular_grating", "ring_resonator", "disk_resonator", "led_pixel", "laser_device",
    "alignment_mark", "vernier", "die_frame", "label",
)

__all__ = ["CELL_NAMES", "cells"]


def __getattr__(name: str) -> Any:
    if name == "cells":
        table = {n: getattr(importlib.import_module(f"perocav.layout.{n}"), n) for n in CELL_NAMES}
        globals()["cells"] = table
        return table
    raise AttributeError(f"module 'perocav.layout' has no attribute {name!r}")
