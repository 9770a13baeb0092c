"""The device record of a design: the device model's solution (``fdtd.models.device.pumped.DeviceSolution``), the
unit-cell numbers of every section geometry it used and which solver gave them, and the recombination zone's
thickness [nm] (the current density's thickness)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from perocav.fdtd.models.device.pumped import DeviceSolution
from perocav.fdtd.models.device.unit_cell import SectionCell


@dataclass(frozen=True)
class DeviceRecord:
    """``model``: the couplings' solvers, e.g. "analytic" or "fdtd (380 nm/0.70), analytic (190 nm/0.70)"."""

    model: str
    solution: DeviceSolution
    cells: tuple[SectionCell, ...]
    zone_thickness_nm: float

    @property
    def lowest(self):
        return self.solution.lines[0]

    def columns(self) -> dict:
        """The device's numbers for the results tables (the profiles and cells stay in the record)."""
        sol, lines = self.solution, self.solution.lines
        second = lines[1] if len(lines) > 1 else None
        return {"device_model": self.model, "gain_margin_per_cm": sol.gain_margin_per_cm,
                "pumped_fraction": sol.pumped_fraction, "unpumped_loss_per_cm": sol.unpumped_loss_per_cm,
                "absorption_unpumped_per_cm": sol.absorption_per_cm, "zone_confinement": sol.zone_confinement,
                "zone_thickness_nm": self.zone_thickness_nm,
                "second_mode_wavelength_nm": second.wavelength_nm if second else math.nan,
                "second_mode_threshold_modal_gain_per_cm": second.threshold_modal_gain_per_cm if second else math.nan,
                **_emission(sol.emission), **_slope(sol.mode_emissions),
                "absorbed_by_layer": absorbed_by_layer_text(sol.mode_emissions)}


def absorbed_by_layer_text(modes) -> str:
    """The lowest mode's absorption by stack layer as one text: "layer where share" by falling share, shares of the
    zone's stimulated emission (device CMT budget, ``PowerBudget.destinations``); empty without a budget."""
    if not modes:
        return ""
    b, gain_layer = modes[0].budget, modes[0].gain_layer
    rows = sorted(((a.label_for(gain_layer=gain_layer), a.fraction / b.stimulated) for a in b.absorbed_by_layer
                   if a.fraction != 0.0), key=lambda r: -abs(r[1]))
    return ", ".join(f"{name} {v:.1%}" for name, v in rows)


def _emission(e) -> dict:
    """The lowest mode's power budget and far field (coupled-mode model), NaN when it has none."""
    names = ("eta_up", "radiated_fraction", "central_lobe_fraction", "lobe_angle_deg", "divergence_fwhm_deg")
    if e is None:
        return {n: math.nan for n in names}
    return {n: getattr(e, n) for n in names}


def _slope(modes) -> dict:
    """The lowest mode's upward slope efficiency [W/A] and external differential quantum efficiency (coupled-mode
    budget, ``fdtd.models.device.slope``), NaN when it has none."""
    if not modes:
        return {"slope_efficiency_w_per_a": math.nan, "differential_quantum_efficiency": math.nan}
    s = modes[0].slope
    return {"slope_efficiency_w_per_a": s.slope_w_per_a,
            "differential_quantum_efficiency": s.differential_quantum_efficiency}
