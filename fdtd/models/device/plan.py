"""A pumped device laid out for the coupled-mode engine (physics.md section 8): its pieces between section and
opening boundaries with each piece's unit cell, pumped flag and grating phase, the reference cell (its Bragg point is
the detuning reference) and the engine's sections at a given unexcited absorption alpha0. Shared by the scalar
device solve (``pumped.solve_device``) and the vectorised one (``pumped_batch.solve_devices``). Lengths um,
wavelengths nm, gains 1/cm (modal intensity)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from perocav.fdtd.models.device.batch import FIELDS
from perocav.fdtd.models.device.sections import DeviceSection
from perocav.fdtd.models.device.unit_cell import SectionCell, cell_key
from perocav.fdtd.models.dfb.cmt_kappa import delta_from_wavelength_per_cm, wavelength_from_delta_nm
from perocav.layout.device_geometry import DeviceGeometry

#: the name of a cell's modal loss alpha_other when its layers are not known
OTHER_LAYERS = "other layers"


@dataclass(frozen=True)
class DevicePlan:
    """The pieces (cell, length um, pumped, phase rad), the reference cell, the section boundaries [um], the pumped
    stretch [um], the zone's share of the gain layer's mode (1: uniform) and the gain layer's name in the stack."""

    pieces: tuple[tuple[SectionCell, float, bool, float], ...]
    ref: SectionCell
    bounds_um: tuple[float, ...]
    pumped_um: tuple[float, float]
    zone_share: float
    gain_layer: str = "gain layer"

    @property
    def pumped_fraction(self) -> float:
        return (self.pumped_um[1] - self.pumped_um[0]) / self.bounds_um[-1]

    def sections(self, alpha0_per_cm: float) -> tuple[DeviceSection, ...]:
        """The engine's sections at the absorption ``alpha0_per_cm``: under the opening the zone's share of the
        film has gain, the rest absorbs, -Gamma (1 - share) alpha0 - alpha_other; elsewhere -Gamma alpha0 -
        alpha_other."""
        out = []
        for c, length, pumped, phase in self.pieces:
            gamma = c.confinement_power
            gain = (-(gamma * (1.0 - self.zone_share)) if pumped else -gamma) * alpha0_per_cm - c.modal_loss_per_cm
            out.append(DeviceSection(length_um=length, kappa_per_cm=c.kappa_per_cm,
                                     radiation_per_cm=c.radiation_per_cm,
                                     radiation_reactive_per_cm=c.radiation_reactive_per_cm, phase_rad=phase,
                                     pumped=pumped, gain_per_cm=gain,
                                     detuning_offset_per_cm=_offset_per_cm(c, self.ref)))
        return tuple(out)

    def columns(self, alpha0_per_cm: float) -> dict[str, np.ndarray]:
        """``sections`` as the batch engine's columns (1, S)."""
        secs = self.sections(alpha0_per_cm)
        return {k: np.array([[float(getattr(s, k)) for s in secs]]) for k in FIELDS}

    def wavelength_nm(self, delta_per_cm: float) -> float:
        """The one detuning -> wavelength relation (``cmt_kappa.wavelength_from_delta_nm``) at the reference cell."""
        return wavelength_from_delta_nm(delta_per_cm=delta_per_cm, bragg_wavelength_nm=self.ref.bragg_wavelength_nm,
                                        group_index=self.ref.group_index)

    def film_loss_per_cm(self, alpha0_per_cm: float) -> list[float]:
        """Each piece's gain-layer absorption [1/cm]: Gamma alpha0 outside the opening, (Gamma - Gamma_z) alpha0
        under it (the unexcited rest of the film)."""
        return [c.confinement_power * ((1.0 - self.zone_share) if pumped else 1.0) * alpha0_per_cm
                for c, _, pumped, _ in self.pieces]

    def layer_loss_per_cm(self, alpha0_per_cm: float) -> list[tuple[tuple[str, float], ...]]:
        """Each piece's loss by stack layer [1/cm], summing to its -gain_per_cm: the gain layer's
        ``film_loss_per_cm``, then alpha_other by the cell's ``layer_loss_shares`` (unsplit: ``OTHER_LAYERS``)."""
        out = []
        for (c, _, _, _), film in zip(self.pieces, self.film_loss_per_cm(alpha0_per_cm)):
            other = tuple((name, share * c.modal_loss_per_cm) for name, share in c.layer_loss_shares)
            out.append(((self.gain_layer, film), *(other or ((OTHER_LAYERS, c.modal_loss_per_cm),))))
        return out

    @property
    def unpumped_loss_coefficients(self) -> tuple[float, float]:
        """(Gamma, alpha_other [1/cm]) of the reference cell: its unpumped modal loss is Gamma alpha0 + alpha_other."""
        return self.ref.confinement_power, self.ref.modal_loss_per_cm


def pumped_interval_um(*, geometry: DeviceGeometry, length_um: float) -> tuple[float, float]:
    """The opening along the coupled-mode z (the grating's periods end to end, no phase-step gaps), clipped."""
    pump = geometry.pump
    if pump.opening_um is None:
        return 0.0, length_um
    centre = 0.5 * length_um + pump.offset_um
    return max(0.0, centre - 0.5 * pump.opening_um), min(length_um, centre + 0.5 * pump.opening_um)


def device_plan(*, geometry: DeviceGeometry, cells: dict, zone_share: float,
                gain_layer: str = "gain layer") -> DevicePlan:
    """The plan of ``geometry`` with ``cells`` (``SectionCell`` by ``cell_key``); ``gain_layer``: its name in the
    stack (the budget's label); ValueError when the opening misses the grating."""
    bounds = _bounds(geometry)
    pumped = pumped_interval_um(geometry=geometry, length_um=bounds[-1])
    if pumped[1] <= pumped[0]:
        raise ValueError(f"the opening {pumped} um misses the grating (0 .. {bounds[-1]:g} um)")
    pieces = tuple((cells[cell_key(order=s.order, period_nm=s.period_nm, duty_cycle=s.duty_cycle)], l, p, ph)
                   for s, l, p, ph in _pieces(geometry, pumped))
    return DevicePlan(pieces=pieces, ref=_reference(pieces, pumped), bounds_um=tuple(bounds), pumped_um=pumped,
                      zone_share=float(zone_share), gain_layer=gain_layer)


def _bounds(geometry: DeviceGeometry) -> list[float]:
    z = [0.0]
    for s in geometry.sections:
        z.append(z[-1] + s.length_um)
    return z


def _pieces(geometry: DeviceGeometry, pumped: tuple[float, float]):
    """(geometry section, length um, pumped?, phase rad) of every piece between section and pump boundaries; the
    phases from the drawn teeth, negated (``DeviceGeometry.section_phases_rad`` gives beta_B (c_j - c_0); the
    engine's R ~ exp(-i beta z) takes the coupling exp(-2 i phi) from eps_{-2} ~ exp(+2 i beta_B (c_j - c_0)), so
    phi = -beta_B (c_j - c_0): the sign is what a 2nd-order quarter-wave step's radiation phase, hence its far field,
    depends on; docs/validation.md, far field vs FDTD)."""
    z, out = _bounds(geometry), []
    for k, (s, phase) in enumerate(zip(geometry.sections, [-p for p in geometry.section_phases_rad()])):
        cuts = sorted({z[k], z[k + 1], *[p for p in pumped if z[k] < p < z[k + 1]]})
        for a, b in zip(cuts[:-1], cuts[1:]):
            mid = 0.5 * (a + b)
            out.append((s, b - a, pumped[0] <= mid <= pumped[1] and pumped[1] > pumped[0], phase))
    return out


def _reference(pieces, pumped: tuple[float, float]) -> SectionCell:
    """The section geometry under the opening's centre: its Bragg point is the device's detuning reference."""
    centre, z = 0.5 * (pumped[0] + pumped[1]), 0.0
    for s, length, _, _ in pieces:
        if z <= centre <= z + length:
            return s
        z += length
    return pieces[-1][0]


def _offset_per_cm(cell: SectionCell, ref: SectionCell) -> float:
    """This section's detuning minus the reference's, at the reference's Bragg point (the inverse of the one
    detuning -> wavelength relation, at this section's Bragg point and group index)."""
    return delta_from_wavelength_per_cm(wavelength_nm=ref.bragg_wavelength_nm,
                                        bragg_wavelength_nm=cell.bragg_wavelength_nm, group_index=cell.group_index)
