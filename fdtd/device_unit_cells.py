"""The coupled-mode side of the finite-device FDTD at the device run's own grid: each section type's kappa (and,
2nd order, Kazarinov-Henry h, h_i) from MEEP unit-cell band edges at the same resolution, with the media frozen at
the same wavelength, and its Bragg centre; the modal backgrounds from the slab solver (``models.slab.zone_modal``).
1st order: ``meep.dfb_runs`` ring-down at the zone-edge Bloch k, kappa = pi n_g d_lambda / lambda0^2 (n_g: the
frozen guide's); 2nd order: ``fdtd.dfb.simulate_dfb`` unit cell (parity runs, one rung). With ``cell_padding_um``
(the device cell's substrate, cover, PML) the unit cells get the device cell's vertical grid alignment
(``meep.device_geometry_2d.aligned_cladding``: the same cell height and the perovskite's bottom half a pixel off the
grid): on CsPbBr3 at 60-80 px/um a quarter-pixel shift of the stack moves the cell's kappa by 18 % and h by 8 %.
Wavelengths nm, 1/cm, lengths um.
"""

from __future__ import annotations

import math

from perocav.fdtd.device_cmt import SectionCouplings
from perocav.fdtd.dfb import simulate_dfb
from perocav.fdtd.meep import dfb_runs as R
from perocav.fdtd.meep.device_geometry_2d import aligned_cladding
from perocav.fdtd.meep.dfb_cell import build_dfb_cell
from perocav.fdtd.models.dfb.dfb_couplings import kappa_from_edges_per_cm
from perocav.fdtd.models.dfb.grating import DfbGrating
from perocav.fdtd.models.slab.zone_modal import zone_modal
from perocav.fdtd.settings import FdtdSettings
from perocav.layout.device_geometry import DeviceGeometry
from perocav.pdk.stack import Stack

#: ring-down of a 1st-order unit cell (um / c): both edges are lossless-ish bound modes
FIRST_ORDER_RING_DOWN_UM = 80.0


def cell_padding(*, stack: Stack, resolution_px_per_um: float,
                 cell_padding_um: tuple[float, float, float] | None) -> dict[str, float]:
    """``FdtdSettings`` padding of a unit cell aligned like the device cell of ``cell_padding_um`` (substrate, cover,
    PML [um]); {} (the unit cell's own padding) for None."""
    if cell_padding_um is None:
        return {}
    substrate_um, cover_um, pml_um = cell_padding_um
    sub, cover = aligned_cladding(stack=stack, substrate_um=substrate_um, cover_um=cover_um, pml_um=pml_um,
                                  resolution_px_per_um=resolution_px_per_um)
    return dict(substrate_um=sub, cover_um=cover, pml_um=pml_um)


def first_order_couplings(*, stack: Stack, period_nm: float, duty_cycle: float, resolution_px_per_um: float,
                          freeze_nm: float, group_index: float, padding: dict[str, float] | None = None
                          ) -> tuple[float, float]:
    """(|kappa| [1/cm], Bragg centre [nm]) of a 1st-order grating from its MEEP unit cell (``padding``: from
    ``cell_padding``)."""
    settings = FdtdSettings(resolution_px_per_um=resolution_px_per_um, converge=False, force=True, **(padding or {}))
    cell = build_dfb_cell(stack=stack, grating=DfbGrating(period_nm=period_nm, duty_cycle=duty_cycle, order=1,
                                                          n_periods=10), mode="unit_cell", settings=settings)
    run = R.ring_down(cell, resolution_px_per_um=resolution_px_per_um, ring_down_um=FIRST_ORDER_RING_DOWN_UM,
                      freeze_nm=freeze_nm)
    edges = R.tracked_modes(cell, run)
    if len(edges) != 2:
        raise RuntimeError(f"1st-order unit cell at {resolution_px_per_um:g} px/um: {len(edges)} band edges found")
    short, long = edges[0].wavelength_nm, edges[1].wavelength_nm
    return kappa_from_edges_per_cm(short_nm=short, long_nm=long, group_index=group_index), 0.5 * (short + long)


def second_order_couplings(*, stack: Stack, period_nm: float, duty_cycle: float, resolution_px_per_um: float,
                           padding: dict[str, float] | None = None) -> tuple[float, float, float, float]:
    """(|kappa|, h, h_i [1/cm], Bragg centre [nm]) of a 2nd-order grating from its MEEP unit cell (one rung;
    ``padding``: from ``cell_padding``)."""
    settings = FdtdSettings(resolution_px_per_um=resolution_px_per_um, converge=False, force=True,
                            max_freeze_passes=0, **(padding or {}))
    r = simulate_dfb(stack=stack, grating=DfbGrating(period_nm=period_nm, duty_cycle=duty_cycle, order=2,
                                                     n_periods=10), mode="unit_cell", settings=settings)
    h_i = r.radiation_reactive_per_cm if math.isfinite(r.radiation_reactive_per_cm) else 0.0
    return abs(r.kappa_per_cm), r.radiation_per_cm, h_i, r.bragg_wavelength_nm


def meep_section_couplings(*, stack: Stack, geometry: DeviceGeometry, alpha_unpumped_per_cm: float,
                           resolution_px_per_um: float, freeze_nm: float, group_index: float,
                           cell_padding_um: tuple[float, float, float] | None = None
                           ) -> dict[tuple[int, float], SectionCouplings]:
    """{(order, duty): SectionCouplings} of every section type of ``geometry`` (see the module docstring)."""
    out = {}
    pad = cell_padding(stack=stack, resolution_px_per_um=resolution_px_per_um, cell_padding_um=cell_padding_um)
    for s in geometry.sections:
        key = (s.order, s.duty_cycle)
        if key in out:
            continue
        z = zone_modal(stack=stack, duty_cycle=s.duty_cycle if s.order else None, wavelength_nm=freeze_nm,
                       pump=geometry.pump, alpha_unpumped_per_cm=alpha_unpumped_per_cm)
        kw = dict(pumped_background_per_cm=z.pumped_background_per_cm,
                  unpumped_background_per_cm=z.unpumped_background_per_cm)
        if s.order == 1:
            kappa, centre = first_order_couplings(stack=stack, period_nm=s.period_nm, duty_cycle=s.duty_cycle,
                                                  resolution_px_per_um=resolution_px_per_um, freeze_nm=freeze_nm,
                                                  group_index=group_index, padding=pad)
            out[key] = SectionCouplings(kappa_abs_per_cm=kappa, centre_nm=centre, **kw)
        elif s.order == 2:
            kappa, h, h_i, centre = second_order_couplings(stack=stack, period_nm=s.period_nm,
                                                           duty_cycle=s.duty_cycle,
                                                           resolution_px_per_um=resolution_px_per_um, padding=pad)
            out[key] = SectionCouplings(kappa_abs_per_cm=kappa, radiation_per_cm=h, radiation_reactive_per_cm=h_i,
                                        centre_nm=centre, **kw)
        else:
            out[key] = SectionCouplings(kappa_abs_per_cm=0.0, **kw)
    return out
