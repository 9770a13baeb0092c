"""The finite device (``layout.device_geometry.DeviceGeometry``) as a 2D MEEP cross-section, plain data (no meep
import): x = along the grating (the device's z), y = vertical, lengths um, the cell centred on the device centre.

Teeth: tooth k of a section starting at z0 (``DeviceGeometry.bounds_um``) is centred on the lattice point
z0 + (k + 1/2) period, width duty x period, so a section's teeth fill its bounds symmetrically and a symmetric
section list gives a mirror-symmetric cell. The coupling harmonic of a section then has the phase
theta = 2 beta_B (c - c_ref) (``harmonic_phases_rad``), c its first tooth centre, 2 beta_B = 2 pi order / period:
a quarter-wave shift gap gives theta = pi; a 2nd-order section after a 1st-order one of half its period sits half
a 1st-order period off the 1st-order lattice, theta = pi as well (that is what these teeth are; the CMT side takes
the phase from here).
Perovskite: split along x into the pumped stretch (``DeviceGeometry.pumped_interval_um``) and the rest, and through
its thickness into the recombination zone (hole side = the bottom interface, toward the grating; electron side =
the top) and the rest; the zone of the pumped stretch has the material gain, every other part absorbs at alpha0.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from perocav.fdtd.meep.geometry_2d import Geometry2D, Medium2D, Rect, _stack_shapes, _vertical
from perocav.fdtd.models.gain_medium import gain_index
from perocav.fdtd.models.slab.zone_modal import zone_rows_nm
from perocav.layout.device_geometry import DeviceGeometry
from perocav.pdk.stack import Stack


@dataclass(frozen=True)
class GainLayerMedia:
    """Frozen media of the perovskite: real index, material intensity gain of the pumped recombination zone and
    absorption alpha0 of every other part [1/cm], at ``wavelength_nm``."""

    n_real: float
    zone_gain_per_cm: float
    alpha_unpumped_per_cm: float
    wavelength_nm: float

    def zone(self) -> Medium2D:
        return Medium2D(index=gain_index(n_real=self.n_real, gain_per_cm=self.zone_gain_per_cm,
                                         wavelength_nm=self.wavelength_nm))

    def absorbing(self) -> Medium2D:
        return Medium2D(index=gain_index(n_real=self.n_real, gain_per_cm=-self.alpha_unpumped_per_cm,
                                         wavelength_nm=self.wavelength_nm))


def tooth_intervals_um(geometry: DeviceGeometry) -> tuple[tuple[float, float], ...]:
    """(start, end) [um, device z from 0] of every tooth, left to right; unpatterned sections (order 0) have none."""
    out = []
    for (z0, _), s in zip(geometry.bounds_um(), geometry.sections, strict=True):
        if s.order == 0:
            continue
        p_um = s.period_nm / 1000.0
        half = 0.5 * s.duty_cycle * p_um
        out += [(z0 + (k + 0.5) * p_um - half, z0 + (k + 0.5) * p_um + half) for k in range(s.n_periods)]
    return tuple(out)


def harmonic_phases_rad(geometry: DeviceGeometry) -> tuple[float, ...]:
    """Phase theta_j in [0, 2 pi) of each section's coupling harmonic relative to the first patterned section's:
    2 beta_B (c_j - c_ref) with c the first tooth centre and 2 beta_B = 2 pi order / period (common to all sections
    of a device on one Bragg lattice); 0 for unpatterned sections."""
    ref = None
    out = []
    for (z0, _), s in zip(geometry.bounds_um(), geometry.sections, strict=True):
        if s.order == 0:
            out.append(0.0)
            continue
        p_um = s.period_nm / 1000.0
        two_beta = 2.0 * math.pi * s.order / p_um
        c = z0 + 0.5 * p_um
        ref = c if ref is None else ref
        out.append(float((two_beta * (c - ref)) % (2.0 * math.pi)))
    return tuple(out)


def is_mirror_symmetric(geometry: DeviceGeometry, *, tol_um: float = 1e-6) -> bool:
    """Whether the teeth and the pumped stretch are symmetric about the device centre."""
    length = geometry.length_um
    teeth = tooth_intervals_um(geometry)
    mirrored = sorted((length - b, length - a) for a, b in teeth)
    lo, hi = geometry.pumped_interval_um()
    same_teeth = all(abs(a - c) < tol_um and abs(b - d) < tol_um for (a, b), (c, d) in zip(teeth, mirrored))
    return same_teeth and abs(lo - (length - hi)) < tol_um


#: MEEP samples a conductivity at the grid points (no subpixel averaging: a 1D gain slab's growth rate stepped by up
#: to 6 % as its 0.3 um width moved by a fifth of a 25 nm pixel), so the perovskite's bottom is put on a grid line of
#: pitch ALIGN_UM (0.05 um: a whole number of pixels at 40, 60, 80, 100 ... px/um) by thickening the substrate, and
#: the cell height is a multiple of 2 ALIGN_UM (MEEP's grid starts at the cell edge)
ALIGN_UM = 0.05


def _aligned_cladding(*, stack: Stack, substrate_um: float, cover_um: float, pml_um: float,
                      align_um: float) -> tuple[float, float]:
    """(substrate_um, cover_um) grown so the gain layer's bottom and the cell height fall on the alignment grid."""
    below = 0.0
    for layer in stack.optical_layers():
        if layer.name == stack.gain_layer:
            break
        below += layer.thickness_nm / 1000.0
    total = sum(layer.thickness_nm for layer in stack.optical_layers()) / 1000.0
    sub = math.ceil((pml_um + substrate_um + below) / align_um - 1e-9) * align_um - below - pml_um
    height = 2 * pml_um + sub + total + cover_um
    cover = math.ceil(height / (2 * align_um) - 1e-9) * 2 * align_um - (2 * pml_um + sub + total)
    return sub, cover


def on_grid(*, value_um: float, resolution_px_per_um: float, tol_px: float = 1e-6) -> bool:
    """Whether a length is a whole number of pixels at ``resolution_px_per_um``."""
    px = value_um * resolution_px_per_um
    return abs(px - round(px)) < tol_px


def device_cross_section_2d(*, stack: Stack, geometry: DeviceGeometry, media: GainLayerMedia,
                            substrate_um: float = 0.6, cover_um: float = 0.6, pml_um: float = 0.6,
                            end_pad_um: float = 1.0, align_um: float = ALIGN_UM) -> Geometry2D:
    """The cell: substrate / stack levels / cover, the grating level's teeth from ``tooth_intervals_um`` and the
    perovskite split as the module docstring says; PML on all sides, ``end_pad_um`` of unpatterned, unpumped stack
    between the device ends and the x PML; the perovskite's bottom on the ``align_um`` grid (``ALIGN_UM``;
    ``pml_um`` must be a multiple of it)."""
    if stack.gain_layer is None:
        raise ValueError(f"stack {stack.name!r} has no gain layer")
    if not on_grid(value_um=pml_um, resolution_px_per_um=1.0 / align_um):
        raise ValueError(f"pml_um={pml_um} is not a multiple of align_um={align_um}")
    substrate_um, cover_um = _aligned_cladding(stack=stack, substrate_um=substrate_um, cover_um=cover_um,
                                               pml_um=pml_um, align_um=align_um)
    length = geometry.length_um
    x_off = -0.5 * length
    teeth = [(a + x_off, b + x_off) for a, b in tooth_intervals_um(geometry)]
    size_x = math.ceil((length + 2.0 * (end_pad_um + pml_um)) / (2 * align_um) - 1e-9) * 2 * align_um
    size_y, y_offset, y_bottom = _vertical(stack, substrate_um=substrate_um, cover_um=cover_um, pml_y_um=pml_um)
    shapes, levels = _stack_shapes(stack=stack, x0_um=-size_x, x1_um=size_x, y_offset_um=y_offset,
                                   y_bottom_um=y_bottom, y_top_um=-y_bottom, teeth_um=teeth)
    ya, yb = levels[stack.gain_layer]
    shapes = [replace(s, medium=media.absorbing()) if s.name == stack.gain_layer else s for s in shapes]
    za, zb = zone_rows_nm(thickness_nm=(yb - ya) * 1000.0, pump=geometry.pump)
    lo, hi = geometry.pumped_interval_um()
    if hi > lo:
        shapes.append(Rect(lo + x_off, hi + x_off, ya + za / 1000.0, ya + zb / 1000.0, media.zone(), "pumped_zone"))
    return Geometry2D(size_x_um=size_x, size_y_um=size_y, pml_x_um=pml_um, pml_y_um=pml_um,
                      background=Medium2D(material=stack.cover), shapes=tuple(shapes), levels_um=levels)
