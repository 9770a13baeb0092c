"""Solver settings that every FDTD entry point (``dfb``, ``circular``, ``bands``) takes as one frozen object.

Lengths in um (MEEP units), resolutions in px/um, ring-downs in um / c, wavelengths in nm. ``replace(settings, ...)``
(``dataclasses.replace``) makes a variant; invalid values raise ``InputError`` naming the field and its range.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from perocav.pdk.errors import InputError


@dataclass(frozen=True)
class FdtdSettings:
    """Resolution ladder, tolerances, ring-down, cell padding and the self-consistent freezing of the media.

    resolution_px_per_um: first rung (None: ``min_px_per_layer`` px across the thinnest level);
    max_resolution_px_per_um: last rung; converge: climb the ladder until wavelengths move < wavelength_tol_nm and
    resolved Qs < q_relative_tol (False: one run); force: allow a first rung below the pixel rule;
    ring_down_um: first ring-down (None: the entry point's default); substrate_um / cover_um: cladding kept between
    the stack and the PMLs; pml_um: PML thickness (None: the entry point's default, ``meep.dfb_cell.padding_um``);
    end_pad_um: free length beyond a finite grating's ends;
    freeze_tol_nm: |mode - freezing wavelength| at which frozen media count as self-consistent; parity_runs: see the
    field (``perocav.fdtd.dfb``).
    """

    resolution_px_per_um: float | None = None
    max_resolution_px_per_um: float = 400.0
    converge: bool = True
    force: bool = False
    min_px_per_layer: float = 4.0
    wavelength_tol_nm: float = 0.5
    q_relative_tol: float = 0.1
    ring_down_um: float | None = None
    substrate_um: float | None = None
    cover_um: float | None = None
    pml_um: float | None = None
    end_pad_um: float = 1.0
    freeze_tol_nm: float = 0.1
    max_freeze_passes: int = 4
    #: 2nd-order unit cells: lossless runs, one per x parity, absorption by perturbation theory, and the edges
    #: extrapolated over the last two rungs (False: lossy media, both edges in one run, the last rung as is)
    parity_runs: bool = True

    def __post_init__(self) -> None:
        positive = ("max_resolution_px_per_um", "min_px_per_layer", "wavelength_tol_nm", "q_relative_tol",
                    "freeze_tol_nm")
        for name in positive:
            v = getattr(self, name)
            if not (isinstance(v, (int, float)) and math.isfinite(v) and v > 0):
                raise InputError(f"{v!r} must be a finite number > 0", field=name, allowed="> 0")
        for name in ("resolution_px_per_um", "ring_down_um", "substrate_um", "cover_um", "pml_um"):
            v = getattr(self, name)
            if v is not None and not (math.isfinite(v) and v > 0):
                raise InputError(f"{v!r} must be > 0 or unset", field=name, allowed="> 0 or None")
        if not (math.isfinite(self.end_pad_um) and self.end_pad_um >= 0):
            raise InputError(f"{self.end_pad_um!r} must be >= 0", field="end_pad_um", allowed=">= 0")
        if self.max_freeze_passes < 0:
            raise InputError(f"{self.max_freeze_passes} passes", field="max_freeze_passes", allowed=">= 0")
