"""Per device mode (coupled-mode model): the power budget, the upward slope efficiency and the far field up (in air)
and down (in the substrate), sampled coarsely enough to keep in a design record. The far fields are shares of the
generated power per unit angle: the radiated far field (``farfield.far_field``) times radiated_up (air) or
radiated_down (substrate). Every section's absorption is split by layer of the stack (``budget.absorbed_by_layer``
from ``layer_loss_per_cm``: the gain layer's Gamma alpha0, ITO, transport layers, ...)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from perocav.fdtd.models.device.budget import PowerBudget, power_budget
from perocav.fdtd.models.device.engine import DeviceMode
from perocav.fdtd.models.device.farfield import far_field
from perocav.fdtd.models.device.lobes import lobes
from perocav.fdtd.models.device.sections import DeviceSection
from perocav.fdtd.models.device.slope import SlopeEfficiency, slope_efficiency

#: far-field samples kept per direction (odd: normal incidence is one of them; ~7 per lobe width), over
#: |sin theta| <= SPAN lambda / (n L), L the radiating (2nd-order) length: the main lobes of a surface emitter lie
#: within ~2 lambda / (n L); the lobe figures come from LOBE_ANGLES samples of the same window
STORED_ANGLES = 121
LOBE_ANGLES = 1201
SPAN = 8.0


@dataclass(frozen=True)
class ModeEmission:
    """One mode at ``wavelength_nm`` with threshold modal gain g_p [1/cm]: its ``budget``, ``slope``, the far field up
    (angles in air [deg], power per rad as a share of the generated power) and down (angles in the substrate of
    index ``n_substrate``), the up beam's central-lobe share of the radiated power (0 with a null at normal) and its
    largest main-lobe angle [deg] (NaN for a 1st-order device: no beam, empty far fields); ``gain_layer``: the gain
    layer's name in ``budget.absorbed_by_layer`` (the unpumped sections' absorption split into its part and the
    other layers', fractions of the generated power)."""

    wavelength_nm: float
    threshold_modal_gain_per_cm: float
    budget: PowerBudget
    slope: SlopeEfficiency
    theta_up_deg: tuple[float, ...]
    power_up_per_rad: tuple[float, ...]
    theta_down_deg: tuple[float, ...]
    power_down_per_rad: tuple[float, ...]
    n_substrate: float
    central_lobe_fraction: float
    lobe_angle_deg: float
    gain_layer: str

    @property
    def absorbed_unpumped_film(self) -> float:
        """The gain layer's absorption in the unpumped sections (fraction of the generated power)."""
        return float(sum(a.fraction for a in self.budget.absorbed_by_layer
                         if a.layer == self.gain_layer and not a.pumped))

    @property
    def absorbed_unpumped_other(self) -> float:
        """The other layers' absorption in the unpumped sections (fraction of the generated power)."""
        return self.budget.absorbed_unpumped - self.absorbed_unpumped_film


def _beam(sections, mode, *, wavelength_nm: float, n_out: float, share: float, n_angles: int = STORED_ANGLES):
    """(angles, power per rad x share, FarField) in a medium of index ``n_out``, ``n_angles`` samples."""
    radiating_um = sum(s.length_um for s in sections if s.radiation_per_cm > 0)  # the beam's aperture
    sin_max = min(1.0, SPAN * wavelength_nm * 1e-3 / (n_out * radiating_um))
    ff = far_field(sections=sections, mode=mode, wavelength_nm=wavelength_nm, n_out=n_out, sin_max=sin_max,
                   n_angles=n_angles)
    return tuple(float(t) for t in ff.theta_deg), tuple(float(p) * share for p in ff.power_per_rad), ff


def mode_emission(*, sections: Sequence[DeviceSection], mode: DeviceMode, wavelength_nm: float, up_fraction: float,
                  n_substrate: float, layer_loss_per_cm: Sequence[Sequence[tuple[str, float]]] | None = None,
                  gain_layer: str = "") -> ModeEmission:
    """The budget, slope and far fields of ``mode`` on ``sections`` (ValueError when it generates no power);
    ``layer_loss_per_cm``: each section's (layer, absorption [1/cm]) parts (``plan.DevicePlan.layer_loss_per_cm``;
    None: unsplit), ``gain_layer`` the gain layer's name among them."""
    b = power_budget(sections=sections, mode=mode, up_fraction=up_fraction, layer_loss_per_cm=layer_loss_per_cm)
    up, down, lobe = ((), (), ()), ((), ()), None
    if any(s.radiation_per_cm > 0 for s in sections):
        up = _beam(sections, mode, wavelength_nm=wavelength_nm, n_out=1.0, share=b.radiated_up)
        down = _beam(sections, mode, wavelength_nm=wavelength_nm, n_out=n_substrate, share=b.radiated_down)[:2]
        lobe = lobes(_beam(sections, mode, wavelength_nm=wavelength_nm, n_out=1.0, share=1.0, n_angles=LOBE_ANGLES)[2])
    return ModeEmission(wavelength_nm=float(wavelength_nm),
                        threshold_modal_gain_per_cm=mode.threshold_modal_gain_per_cm,
                        budget=b, slope=slope_efficiency(budget=b, wavelength_nm=wavelength_nm), theta_up_deg=up[0],
                        power_up_per_rad=up[1], theta_down_deg=down[0], power_down_per_rad=down[1],
                        n_substrate=float(n_substrate),
                        central_lobe_fraction=lobe.central_lobe_fraction if lobe else math.nan,
                        lobe_angle_deg=(max((abs(a) for a in lobe.lobe_angles_deg), default=math.nan)
                                        if lobe else math.nan),
                        gain_layer=gain_layer)


def mode_emissions(*, sections: Sequence[DeviceSection], modes: Sequence[DeviceMode],
                   wavelengths_nm: Sequence[float], up_fraction: float, n_substrate: float,
                   layer_loss_per_cm: Sequence[Sequence[tuple[str, float]]] | None = None,
                   gain_layer: str = "") -> tuple[ModeEmission, ...]:
    """``mode_emission`` of each mode in turn, stopping at the first that generates no power."""
    out = []
    for m, lam in zip(modes, wavelengths_nm):
        try:
            out.append(mode_emission(sections=sections, mode=m, wavelength_nm=lam, up_fraction=up_fraction,
                                     n_substrate=n_substrate, layer_loss_per_cm=layer_loss_per_cm,
                                     gain_layer=gain_layer))
        except ValueError:
            break
    return tuple(out)
