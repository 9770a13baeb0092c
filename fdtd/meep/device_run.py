"""Run step of the finite-device FDTD: one 2D ring-down of a device cross-section (``device_geometry_2d``) with
frozen media, optionally on half the cell (x mirror at the device centre). Imports meep (through ``runner_2d``).
Wavelengths nm, lengths um, ring-down um / c."""

from __future__ import annotations

from perocav.fdtd.meep.geometry_2d import Geometry2D
from perocav.fdtd.meep.ringdown import RingdownSpec
from perocav.fdtd.meep.runner_2d import RingdownResult, Symmetry2D, run_ringdown_2d


def device_ringdown(*, geometry: Geometry2D, band_nm: tuple[float, float], freeze_nm: float,
                    resolution_px_per_um: float, ring_down_um: float, source_xy_um: tuple[float, float],
                    probe_xy_um: tuple[float, float], odd: bool | None = None) -> RingdownResult:
    """Gaussian point source over ``band_nm``, ``ring_down_um`` of ring-down sampled at ``probe_xy_um`` (TE, Ez),
    media frozen at ``freeze_nm``. ``odd``: only the fields odd (True) / even (False) in x about the device centre
    (MEEP stores half the cell); None: the whole cell. Samples only: the caller fits them
    (``extract.resonance.find_resonances``)."""
    spec = RingdownSpec(wavelength_min_nm=band_nm[0], wavelength_max_nm=band_nm[1],
                        resolution_px_per_um=resolution_px_per_um, ring_down_um=ring_down_um,
                        freeze_wavelength_nm=freeze_nm)
    return run_ringdown_2d(geometry=geometry, spec=spec, source_xy_um=source_xy_um, probe_xy_um=probe_xy_um,
                           symmetry=Symmetry2D(mirror_x_odd=odd), harminv_analysis=False)
