"""Settings of the cylindrical (r, z, m) FDTD of rings, disks and circular gratings that ``FdtdSettings`` does not
hold, and the ``FdtdSettings`` the circular entry point uses by default."""

from __future__ import annotations

import math
from dataclasses import dataclass

from perocav.fdtd.settings import FdtdSettings
from perocav.pdk.errors import InputError

#: ``simulate_circular``'s defaults, every field it reads set here (they differ from the DFB's): 40 px/um, 150 um/c
#: of ring-down, converged within 1 nm and 10 % in Q, 1 um of substrate, cover and PML, media frozen to 0.1 nm
CIRCULAR_FDTD = FdtdSettings(resolution_px_per_um=40.0, converge=True, wavelength_tol_nm=1.0, q_relative_tol=0.1,
                             ring_down_um=150.0, substrate_um=1.0, cover_um=1.0, pml_um=1.0, freeze_tol_nm=0.1,
                             max_freeze_passes=4)


@dataclass(frozen=True)
class CircularSettings:
    """m_values: azimuthal orders, one MEEP run each (>= 0); field_component: source/probe field (None: Er for a ring
    or disk, the slab TE field of a whispering-gallery mode; Ep for a circular DFB, the TE field of radially running
    waves); side_pad_um: unpatterned stack between the outermost feature and the r PML; split_q: re-run with lossless
    contacts for Q_radiation / Q_absorption; mode_window_um: DFT time after the ring-down for each mode's field
    (0: no fields, no confinement); q_min: lowest Q kept; convergence_factor: resolution of the convergence run / the
    first one (run when ``FdtdSettings.converge``); dispersive: Lorentz-fitted media instead of frozen ones;
    freeze_wavelength_nm: first freezing wavelength of the media (None: the band centre); self_consistent_media:
    re-run each m with the media frozen at its tracked mode (``fdtd.circular``)."""

    m_values: tuple[int, ...]
    field_component: str | None = None
    side_pad_um: float = 1.5
    split_q: bool = True
    mode_window_um: float = 30.0
    q_min: float = 10.0
    convergence_factor: float = 1.5
    dispersive: bool = False
    freeze_wavelength_nm: float | None = None
    self_consistent_media: bool = True

    def __post_init__(self) -> None:
        if not self.m_values or any(m < 0 for m in self.m_values):
            raise ValueError(f"m_values={self.m_values} must be non-empty and >= 0")
        if not self.convergence_factor > 1:  # NaN fails too
            raise InputError(f"{self.convergence_factor!r} must be > 1", field="convergence_factor", allowed="> 1")
        for name in ("side_pad_um", "mode_window_um"):
            v = getattr(self, name)
            if not (math.isfinite(v) and v >= 0):
                raise InputError(f"{v!r} must be >= 0", field=name, allowed=">= 0")
