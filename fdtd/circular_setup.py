"""Build step of the cylindrical FDTD (``fdtd.circular``): ``CircularSetup``, what every run of one
``simulate_circular`` call shares (the cell and its lossless-contact twin, source and probe, band, resolution,
ring-down, settings), and its one cylindrical MEEP ring-down per azimuthal order (``meep.runner_cyl``).
``circular`` and ``circular_freeze`` both run through it. Wavelengths nm, lengths um, frequencies 1/um."""

from __future__ import annotations

from dataclasses import dataclass

import gdsfactory as gf

from perocav.fdtd.circular_settings import CIRCULAR_FDTD, CircularSettings
from perocav.fdtd.circular_fields import ringdown_modes
from perocav.fdtd.extract.circular_modes import pencil_modes
from perocav.fdtd.extract.resonance import Resonance
from perocav.fdtd.meep.geometry_cyl import GeometryCyl, circular_cell_cyl
from perocav.fdtd.meep.pixels import min_resolution_px_per_um
from perocav.fdtd.meep.ringdown import RingdownSpec
from perocav.fdtd.meep.runner_cyl import CylRingdownResult, run_ringdown_cyl
from perocav.fdtd.settings import FdtdSettings
from perocav.pdk.stack import Stack
from perocav.pdk.units import NM_PER_UM

FAMILIES = ("ring", "disk", "circular-dfb")


def default_source_rz_um(*, geometry: GeometryCyl, family: str, wavelength_nm: float) -> tuple[float, float]:
    """Ring/disk: just inside the outer rim of the outermost feature; circular DFB: inside the central defect
    (or the central disk); z at the middle of the gain level (else of the grating level)."""
    feats = geometry.feature_radii_um
    if family == "circular-dfb":
        a, b = feats[0]
        r = 0.5 * b if a == 0 else max(0.5 * a, 0.05)
    else:
        a, b = feats[-1]
        r = b - min(0.5 * (b - a), 0.25 * wavelength_nm / NM_PER_UM)
    level = geometry.gain_level if geometry.gain_level in geometry.levels_um else next(
        (k for k in geometry.levels_um if k.startswith("grating")), None)
    z = 0.5 * sum(geometry.levels_um[level]) if level else 0.0
    return (r, z)


@dataclass(frozen=True)
class CircularSetup:
    """What every run of one ``simulate_circular`` call shares: the cell and its lossless-contact twin, source and
    probe, band, first resolution and ring-down, and the settings."""

    family: str
    component: gf.Component
    stack: Stack
    band_nm: tuple[float, float]
    geometry: GeometryCyl
    lossless: GeometryCyl
    source_rz_um: tuple[float, float]
    resolution_px_per_um: float
    ring_down_um: float
    settings: FdtdSettings
    circular: CircularSettings

    @property
    def freq_band(self) -> tuple[float, float]:
        """(f_min, f_max) in 1/um."""
        return NM_PER_UM / self.band_nm[1], NM_PER_UM / self.band_nm[0]

    def run(self, geometry: GeometryCyl, m: int, *, resolution: float, window_um: float,
            freeze_nm: float) -> CylRingdownResult:
        """One cylindrical ring-down of order m, media frozen at ``freeze_nm``, mode fields over ``window_um``."""
        c = self.circular
        spec = RingdownSpec(wavelength_min_nm=self.band_nm[0], wavelength_max_nm=self.band_nm[1],
                            resolution_px_per_um=resolution, ring_down_um=self.ring_down_um,
                            dispersive=c.dispersive, freeze_wavelength_nm=freeze_nm)
        component = c.field_component or ("Ep" if self.family == "circular-dfb" else "Er")
        probe = (self.source_rz_um[0] + 0.013, self.source_rz_um[1])
        return run_ringdown_cyl(geometry=geometry, m=m, spec=spec, source_rz_um=self.source_rz_um, probe_rz_um=probe,
                                component=component, mode_window_um=window_um, mode_freqs=self._pencil_freqs)

    def _pencil_freqs(self, samples, dt_um: float) -> list[float]:
        """Frequencies of the mode fields: the pencil's modes of the ring-down."""
        return [r.freq for r in pencil_modes(samples=samples, dt_um=dt_um, freq_band=self.freq_band,
                                             q_min=self.circular.q_min)]

    def modes(self, run: CylRingdownResult) -> list[Resonance]:
        """The resonances of one run (``circular_fields.ringdown_modes``)."""
        return ringdown_modes(run, freq_band=self.freq_band, q_min=self.circular.q_min)


def build_circular_setup(*, component: gf.Component, stack: Stack, family: str, band_nm: tuple[float, float],
           settings: FdtdSettings, circular: CircularSettings) -> CircularSetup:
    """Build the cell (and its lossless-contact twin), place source and probe, resolve resolution and ring-down."""
    if family not in FAMILIES:
        raise ValueError(f"family={family!r} not in {FAMILIES}")
    kw = dict(component=component, stack=stack, substrate_um=settings.substrate_um, cover_um=settings.cover_um,
              pml_um=settings.pml_um, side_pad_um=circular.side_pad_um)
    geom = circular_cell_cyl(**kw)
    src = default_source_rz_um(geometry=geom, family=family, wavelength_nm=0.5 * (band_nm[0] + band_nm[1]))
    res = settings.resolution_px_per_um or min_resolution_px_per_um(stack=stack,
                                                                    min_px_per_layer=settings.min_px_per_layer)
    return CircularSetup(family=family, component=component, stack=stack, band_nm=band_nm, geometry=geom,
                         lossless=circular_cell_cyl(**kw, lossless_roles=("contact",)), source_rz_um=src,
                         resolution_px_per_um=float(res),
                         ring_down_um=settings.ring_down_um or CIRCULAR_FDTD.ring_down_um,
                         settings=settings, circular=circular)
