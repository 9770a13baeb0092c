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
from perocav.pdk.materials import resolve_material
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
    2 beta_B (c_j - c_ref) = 2 phi_j with phi_j the geometry's grating phase (``DeviceGeometry.section_phases_rad``,
    from the same tooth centres); 0 for unpatterned sections."""
    return tuple(float((2.0 * phi) % (2.0 * math.pi)) for phi in geometry.section_phases_rad())


def is_mirror_symmetric(geometry: DeviceGeometry, *, tol_um: float = 1e-6) -> bool:
    """Whether the teeth and the pumped stretch are symmetric about the device centre."""
    length = geometry.length_um
    teeth = tooth_intervals_um(geometry)
    mirrored = sorted((length - b, length - a) for a, b in teeth)
    lo, hi = geometry.pumped_interval_um()
    same_teeth = all(abs(a - c) < tol_um and abs(b - d) < tol_um for (a, b), (c, d) in zip(teeth, mirrored))
    return same_teeth and abs(lo - (length - hi)) < tol_um


#: MEEP samples a conductivity at its grid points (no subpixel averaging; a point on a block's edge counts as
#: inside): a 50 nm gain layer whose edges sat on grid points at 40 px/um grew 1.5x too fast (3 points), one whose
#: edges sat between points grew right (2 points). The cell therefore (1) has a whole, even number of pixels in x and
#: y (grid points at k / resolution from the centre), (2) puts the perovskite's bottom half a pixel off the grid, and
#: (3) scales every lossy / gaining block's Im(eps) by its true size over its sampled size (the grid points inside it
#: along y, and along x for blocks that end inside the cell), so each block's integrated loss or gain is the drawn one
#: (the 20 nm ITO layers hold one grid point at 40 px/um: 25 nm of conductivity, scaled by 0.8).


def sampled_length_um(*, a_um: float, b_um: float, resolution_px_per_um: float) -> float:
    """Length MEEP's conductivity sampling gives [a, b]: the grid points k / resolution inside it (inclusive), times
    the pixel size."""
    r = resolution_px_per_um
    n = math.floor(b_um * r + 1e-9) - math.ceil(a_um * r - 1e-9) + 1
    return max(n, 0) / r


def aligned_cladding(*, stack: Stack, substrate_um: float, cover_um: float, pml_um: float,
                      resolution_px_per_um: float) -> tuple[float, float]:
    """(substrate_um, cover_um) grown so the gain layer's bottom sits half a pixel off the grid and the cell height is
    a whole, even number of pixels."""
    px = 1.0 / resolution_px_per_um
    below = 0.0
    for layer in stack.optical_layers():
        if layer.name == stack.gain_layer:
            break
        below += layer.thickness_nm / 1000.0
    total = sum(layer.thickness_nm for layer in stack.optical_layers()) / 1000.0
    half_height = pml_um + substrate_um + below  # from the cell's bottom edge (a grid point) to the gain layer
    sub = (math.ceil(half_height / px - 0.5 - 1e-9) + 0.5) * px - below - pml_um
    height = 2 * pml_um + sub + total + cover_um
    cover = math.ceil(height / (2 * px) - 1e-9) * 2 * px - (2 * pml_um + sub + total)
    return sub, cover


def on_grid(*, value_um: float, resolution_px_per_um: float, tol_px: float = 1e-6) -> bool:
    """Whether a length is a whole number of pixels at ``resolution_px_per_um``."""
    px = value_um * resolution_px_per_um
    return abs(px - round(px)) < tol_px


def _lossy_index(medium: Medium2D, wavelength_nm: float) -> complex | None:
    """The complex index of a medium at ``wavelength_nm`` when it is lossy or gaining (None: lossless)."""
    if medium.index is not None:
        n = complex(medium.index)
    elif medium.blend_fraction or medium.lossless:
        return None
    else:
        n = complex(resolve_material(medium.material).nk(wavelength_nm=wavelength_nm))
    return n if n.imag != 0 else None


def _sampling_corrected(rect: Rect, *, half_x_um: float, wavelength_nm: float, resolution_px_per_um: float) -> Rect:
    """``rect`` with Im(eps) scaled by drawn / sampled area (see the note above ``sampled_length_um``)."""
    n = _lossy_index(rect.medium, wavelength_nm)
    if n is None:
        return rect
    r = resolution_px_per_um
    scale = (rect.y1_um - rect.y0_um) / max(sampled_length_um(a_um=rect.y0_um, b_um=rect.y1_um,
                                                              resolution_px_per_um=r), 1e-12)
    if -half_x_um < rect.x0_um or rect.x1_um < half_x_um:
        a, b = max(rect.x0_um, -half_x_um), min(rect.x1_um, half_x_um)
        scale *= (b - a) / max(sampled_length_um(a_um=a, b_um=b, resolution_px_per_um=r), 1e-12)
    eps = n * n
    n_scaled = complex((eps.real + 1j * eps.imag * scale) ** 0.5)
    return replace(rect, medium=Medium2D(index=n_scaled))


def device_cross_section_2d(*, stack: Stack, geometry: DeviceGeometry, media: GainLayerMedia,
                            resolution_px_per_um: float, substrate_um: float = 0.6, cover_um: float = 0.6,
                            pml_um: float = 0.6, end_pad_um: float = 1.0) -> Geometry2D:
    """The cell at ``resolution_px_per_um``: substrate / stack levels / cover, the grating level's teeth from
    ``tooth_intervals_um``, the perovskite split as the module docstring says (unpumped, and in the pumped stretch
    rest-below / zone / rest-above, none overlapping); PML on all sides, ``end_pad_um`` of unpatterned, unpumped stack
    between the device ends and the x PML; aligned and sampling-corrected for the grid (see the note above
    ``sampled_length_um``)."""
    if stack.gain_layer is None:
        raise ValueError(f"stack {stack.name!r} has no gain layer")
    r = resolution_px_per_um
    substrate_um, cover_um = aligned_cladding(stack=stack, substrate_um=substrate_um, cover_um=cover_um,
                                               pml_um=pml_um, resolution_px_per_um=r)
    length = geometry.length_um
    x_off = -0.5 * length
    teeth = [(a + x_off, b + x_off) for a, b in tooth_intervals_um(geometry)]
    size_x = math.ceil((length + 2.0 * (end_pad_um + pml_um)) * r / 2 - 1e-9) * 2 / r
    size_y, y_offset, y_bottom = _vertical(stack, substrate_um=substrate_um, cover_um=cover_um, pml_y_um=pml_um)
    shapes, levels = _stack_shapes(stack=stack, x0_um=-size_x, x1_um=size_x, y_offset_um=y_offset,
                                   y_bottom_um=y_bottom, y_top_um=-y_bottom, teeth_um=teeth)
    shapes = [s for s in shapes if s.name != stack.gain_layer] + _perovskite(geometry, media, levels[stack.gain_layer],
                                                                             x_off=x_off, size_x=size_x)
    shapes = [_sampling_corrected(s, half_x_um=0.5 * size_x, wavelength_nm=media.wavelength_nm,
                                  resolution_px_per_um=r) for s in shapes]
    return Geometry2D(size_x_um=size_x, size_y_um=size_y, pml_x_um=pml_um, pml_y_um=pml_um,
                      background=Medium2D(material=stack.cover), shapes=tuple(shapes), levels_um=levels)


def _perovskite(geometry: DeviceGeometry, media: GainLayerMedia, rows: tuple[float, float], *, x_off: float,
                size_x: float) -> list[Rect]:
    """Non-overlapping perovskite blocks: unpumped left / right (whole thickness), and in the pumped stretch the
    rest below the zone, the zone (``pumped_zone``), the rest above it."""
    ya, yb = rows
    za, zb = zone_rows_nm(thickness_nm=(yb - ya) * 1000.0, pump=geometry.pump)
    lo, hi = geometry.pumped_interval_um()
    lo, hi = lo + x_off, hi + x_off
    out = [Rect(-size_x, lo, ya, yb, media.absorbing(), "perovskite"),
           Rect(hi, size_x, ya, yb, media.absorbing(), "perovskite")]
    if hi <= lo:
        return [Rect(-size_x, size_x, ya, yb, media.absorbing(), "perovskite")]
    y_zone = (ya + za / 1000.0, ya + zb / 1000.0)
    parts = [(ya, y_zone[0], media.absorbing(), "perovskite"), (*y_zone, media.zone(), "pumped_zone"),
             (y_zone[1], yb, media.absorbing(), "perovskite")]
    return out + [Rect(lo, hi, a, b, m, name) for a, b, m, name in parts if b - a > 1e-9]
