"""What a caller of the FDTD entry points (``dfb``, ``circular``, ``bands``) needs around a run, without reaching into
the MEEP room: the pixel rule of a stack (``check_resolution``, ``min_resolution_px_per_um``: px/um across the
thinnest level) and MEEP's output kept off the screen (``quiet_meep`` around a run, ``filtered_stderr`` for MEEP's
harmless stderr lines alone). MEEP itself is loaded only when a run is silenced (inside ``meep.quiet``), so
importing this module stays light."""

from __future__ import annotations

from perocav.fdtd.meep.pixels import check_resolution, min_resolution_px_per_um
from perocav.fdtd.meep.quiet import filtered_stderr, quiet_meep

__all__ = ["check_resolution", "filtered_stderr", "min_resolution_px_per_um", "quiet_meep"]
