"""Build step of a DFB FDTD: the MEEP-ready cells, the search window and the source band of one grating on one
stack, made once (no MEEP import here). Wavelengths nm, lengths um, Bloch k cycles / um.

unit_cell: one period cut from the ``dfb_grating`` layout cell, Bloch k at the Bragg point (2nd order k = 0, 1st
order 1 / (2 Lambda)), plus the same cell with the grating level duty-averaged (the Bragg centre of the bands);
finite: the whole grating with PML ends. The media freeze at the analytic (self-consistent) Bragg wavelength.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from perocav.fdtd.meep.geometry_2d import Geometry2D, Medium2D, dfb_cross_section_2d, dfb_unit_cell_2d
from perocav.fdtd.models.dfb.dfb_analytic import DfbAnalytic, analyze_dfb_on_stack
from perocav.fdtd.models.dfb.dfb_couplings import bragg_k_per_um
from perocav.fdtd.models.dfb.dfb_dispersion import frozen_group_index
from perocav.fdtd.models.dfb.grating import DfbGrating
from perocav.fdtd.models.dispersion.dispersion import region_stack
from perocav.fdtd.settings import FdtdSettings
from perocav.layout.dfb_grating import dfb_grating
from perocav.pdk import activate
from perocav.pdk.errors import InputError
from perocav.pdk.materials import resolve_material
from perocav.pdk.stack import Stack

MODES = ("unit_cell", "finite")
#: the search window: +-WINDOW_FRACTION of the Bragg wavelength, widened to 3 coupled-mode stop bands
WINDOW_FRACTION = 0.05
#: source band: the window widened by this factor (in frequency) about the Bragg point
BAND_FACTOR = 1.6
#: first ring-down (um / c) of a unit cell; a finite grating takes 4 x its length + 100
UNIT_CELL_RING_DOWN_UM = 80.0
#: parity runs hold one mode each: a source band twice as wide (a shorter pulse) finds it as well
PARITY_BAND_FACTOR = 3.2


@dataclass(frozen=True)
class DfbCell:
    """What every run of one DFB FDTD shares: the geometry (and the duty-averaged one for a 2nd-order unit cell),
    Bloch k (None: finite), source/probe point, search window and source band (nm), the Bragg wavelength the media
    freeze at, the waveguide-only group index there, the first ring-down and the analytic answer."""

    stack: Stack
    grating: DfbGrating
    mode: str
    geometry: Geometry2D
    averaged: Geometry2D | None
    k_x_per_um: float | None
    source_xy_um: tuple[float, float]
    window_nm: tuple[float, float]
    band_nm: tuple[float, float]
    bragg_nm: float
    group_index_frozen: float
    ring_down_um: float
    analytic: DfbAnalytic
    #: 2nd-order unit cell (k = 0): lossless media, one run per x parity (one band edge each) and the absorption
    #: added by perturbation theory from each edge's field (``dfb_runs.parity_mode``)
    parity: bool = False

    @property
    def parity_band_nm(self) -> tuple[float, float]:
        """The parity runs' source band (``PARITY_BAND_FACTOR`` x the window about the Bragg point)."""
        return source_band_nm(bragg_nm=self.bragg_nm, window=self.window_nm, factor=PARITY_BAND_FACTOR)


def window_nm(ana: DfbAnalytic, *, window_fraction: float = WINDOW_FRACTION) -> tuple[float, float]:
    """Search window around the analytic Bragg wavelength: +-window_fraction, widened to 3 CMT stop bands."""
    lam = ana.bragg_wavelength_nm
    half = max(window_fraction * lam, 1.5 * abs(ana.cmt.stopband_long_nm - ana.cmt.stopband_short_nm))
    return lam - half, lam + half


def source_band_nm(*, bragg_nm: float, window: tuple[float, float],
                   factor: float = BAND_FACTOR) -> tuple[float, float]:
    """The Gaussian source's band: the window widened by ``factor`` in frequency, centred on the Bragg point."""
    f_b, f_w = 1.0 / bragg_nm, 1.0 / window[0] - 1.0 / bragg_nm
    return 1.0 / (f_b + factor * f_w), 1.0 / (f_b - factor * f_w)


def lossless_geometry(geom: Geometry2D) -> Geometry2D:
    """``geom`` with every medium's Im(n) dropped (MEEP smooths lossless dielectrics only)."""
    def dry(m: Medium2D) -> Medium2D:
        return replace(m, lossless=True)

    return replace(geom, background=dry(geom.background), shapes=tuple(replace(s, medium=dry(s.medium))
                                                                        for s in geom.shapes))


def level_eps(*, stack: Stack, wavelength_nm: float) -> tuple[dict[str, tuple[complex, complex]], complex, complex]:
    """(level -> (eps in a tooth, eps between teeth), eps of the substrate, eps of the cover) at ``wavelength_nm``;
    uniform levels have equal pairs; a gain layer the stack treats as lossless has eps'' = 0."""
    tooth = region_stack(stack=stack, region="tooth").index_profile(wavelength_nm=wavelength_nm)
    gap = region_stack(stack=stack, region="gap").index_profile(wavelength_nm=wavelength_nm)
    names = [layer.name for layer in stack.optical_layers()]
    eps = {n: (complex(a) ** 2, complex(b) ** 2) for n, a, b in zip(names, tooth.n_layers, gap.n_layers)}
    return eps, complex(tooth.n_substrate) ** 2, complex(tooth.n_cover) ** 2


def gain_y_um(geom: Geometry2D, stack: Stack) -> float:
    """Height (um) of the gain layer's centre (or the thickest layer's) in ``geom``."""
    name = stack.gain_layer or max(stack.optical_layers(), key=lambda l: l.thickness_nm).name
    return 0.5 * sum(geom.levels_um[name])


#: padding (um) of the lossy-media paths (unit cell without parity runs, finite grating): substrate, cover, PML
LEGACY_PADDING_UM = (0.8, 0.8, 1.0)
#: parity path: cladding of this many evanescent decay lengths of the guided mode (at least MIN_CLADDING_UM) and a
#: thinner PML (the radiation leaves at normal incidence); 0.5 / 0.5 / 0.5 um on the transparent stacks gave edges
#: and Qs within 0.001 nm and 0.1 % of 0.8 / 0.8 / 1.0 um at half the cost
DECAY_LENGTHS, MIN_CLADDING_UM, PARITY_PML_UM = 5.0, 0.5, 0.5


def padding_um(*, stack: Stack, settings: FdtdSettings, parity: bool, n_eff: float,
               wavelength_nm: float) -> dict[str, float]:
    """substrate_um / cover_um / pml_um of the cell: the settings' where given, else the path's default."""
    if parity:
        def cladding(material) -> float:
            n = complex(resolve_material(material).nk(wavelength_nm=wavelength_nm)).real
            decay_um = wavelength_nm / 1000.0 / (2 * math.pi * math.sqrt(max(n_eff**2 - n**2, 1e-6)))
            return max(MIN_CLADDING_UM, DECAY_LENGTHS * decay_um)

        default = (cladding(stack.substrate), cladding(stack.cover), PARITY_PML_UM)
    else:
        default = LEGACY_PADDING_UM
    given = (settings.substrate_um, settings.cover_um, settings.pml_um)
    return dict(zip(("substrate_um", "cover_um", "pml_um"), (g if g is not None else d for g, d in zip(given, default))))


def _geometries(*, stack: Stack, grating: DfbGrating, mode: str, settings: FdtdSettings, parity: bool, n_eff: float,
                wavelength_nm: float) -> tuple[Geometry2D, Geometry2D | None]:
    activate()
    pad = padding_um(stack=stack, settings=settings, parity=parity, n_eff=n_eff, wavelength_nm=wavelength_nm)
    g = grating
    if mode == "unit_cell":
        comp = dfb_grating(period_nm=g.period_nm, duty_cycle=g.duty_cycle, n_periods=4, order=g.order)
        averaged = dfb_unit_cell_2d(component=comp, stack=stack, averaged=True, **pad) if g.order == 2 else None
        return dfb_unit_cell_2d(component=comp, stack=stack, **pad), averaged
    comp = dfb_grating(period_nm=g.period_nm, duty_cycle=g.duty_cycle, n_periods=g.n_periods, order=g.order,
                       quarter_wave_shift=g.quarter_wave_shift)
    return dfb_cross_section_2d(component=comp, stack=stack, end_pad_um=settings.end_pad_um, **pad), None


def build_dfb_cell(*, stack: Stack, grating: DfbGrating, mode: str, settings: FdtdSettings,
                   analytic: DfbAnalytic | None = None) -> DfbCell:
    """The cells, window and band of ``grating`` under ``stack`` (``mode``: "unit_cell" or "finite"). ``analytic``:
    the coupled-mode answer of the same design, the starting point (Bragg point the media freeze at, window, source
    band, cladding); None: computed here. It is an input, not a result: no record stores it."""
    if mode not in MODES:
        raise InputError(f"{mode!r} is not a mode", field="mode", allowed=", ".join(MODES))
    g = grating
    ana = analytic if analytic is not None else analyze_dfb_on_stack(
        stack=stack, period_nm=g.period_nm, duty_cycle=g.duty_cycle, order=g.order, length_um=g.length_um,
        phase_shift_rad=g.phase_shift_rad)
    window = window_nm(ana)
    unit = mode == "unit_cell"
    parity = unit and g.order == 2 and settings.parity_runs
    geom, averaged = _geometries(stack=stack, grating=g, mode=mode, settings=settings, parity=parity,
                                 n_eff=ana.n_avg, wavelength_nm=ana.bragg_wavelength_nm)
    if parity:
        geom, averaged = lossless_geometry(geom), lossless_geometry(averaged)
    x_src = 0.13 * (geom.size_x_um if unit else g.period_nm / 1000.0)  # off every mirror plane: both edges ring
    ring = settings.ring_down_um or (UNIT_CELL_RING_DOWN_UM if unit else 4 * g.length_um + 100.0)
    lam_b = ana.bragg_wavelength_nm
    return DfbCell(stack=stack, grating=g, mode=mode, geometry=geom, averaged=averaged,
                   k_x_per_um=bragg_k_per_um(period_nm=g.period_nm, order=g.order) if unit else None,
                   source_xy_um=(x_src, gain_y_um(geom, stack)), window_nm=window,
                   band_nm=source_band_nm(bragg_nm=lam_b, window=window), bragg_nm=lam_b,
                   group_index_frozen=frozen_group_index(stack=stack, duty_cycle=g.duty_cycle, wavelength_nm=lam_b),
                   ring_down_um=ring, analytic=ana, parity=parity)
