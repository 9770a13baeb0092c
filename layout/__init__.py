"""perocav.layout: gdsfactory cells (one per file), mask assembly, manifest, DRC and rendering.

``cells`` maps cell names to their functions; importing this package registers them with the PDK
(``perocav.pdk.cell_registry``: the PDK never imports the layout). The table is built on first access (or when the
PDK is built), so that tools needing only ``klayout.db`` (DRC, rendering a GDS) start without importing gdsfactory."""

from __future__ import annotations

import importlib
from typing import Any

from perocav.pdk.cell_registry import register_cell_source

#: Cell name -> module under perocav.layout that defines it (same name).
CELL_NAMES: tuple[str, ...] = (
    "dfb_grating", "circular_grating", "ring_resonator", "disk_resonator", "led_pixel", "laser_device",
    "alignment_mark", "vernier", "die_frame", "label",
)

__all__ = ["CELL_NAMES", "cells"]


def _cell_table() -> dict[str, Any]:
    """``cells``, built (importing every cell module) on the first call."""
    table = globals().get("cells")
    if table is None:
        table = {n: getattr(importlib.import_module(f"perocav.layout.{n}"), n) for n in CELL_NAMES}
        globals()["cells"] = table
    return table


def __getattr__(name: str) -> Any:
    if name == "cells":
        return _cell_table()
    raise AttributeError(f"module 'perocav.layout' has no attribute {name!r}")


register_cell_source(_cell_table)  # last: a PDK built already imports the cell modules now
