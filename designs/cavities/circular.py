"""The circular families: concentric-grating (``circular_dfb``), ring and disk cavities in the grating level. Their
specs, their analytic evaluation (self-consistent resonances of the built cell's radii on the stack's slab modes)
and their record. Code moved unchanged from ``designs/spec.py`` and ``designs/evaluate.py``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import Field

from perocav.designs.cavities.cell import CellGeometry, cell_geometry
from perocav.designs.cavities.family import CavityFamily
from perocav.designs.cavities.metrics import design_metrics, gain_perovskite, gain_thickness_nm, photon_lifetime_ps
from perocav.designs.records import CircularAnalyticRecord, CircularLine, DesignMetrics
from perocav.designs.threshold import threshold_from_modal_gain
from perocav.fdtd.models.circular.circular_analytic import analyze_circular_on_stack
from perocav.fdtd.models.gain import threshold_modal_gain_per_cm
from perocav.pdk.bounds import StrictModel

if TYPE_CHECKING:
    from perocav.designs.spec import DesignPoint


class CircularDfbCavity(StrictModel):
    """Concentric (bullseye) grating in the grating level (the ``circular_grating`` cell)."""

    type: Literal["circular_dfb"] = "circular_dfb"
    period_nm: float = Field(250.0, gt=0, le=100_000)
    duty_cycle: float = Field(0.3, gt=0, lt=1)
    n_rings: int = Field(100, ge=1, le=2000)
    center_radius_nm: float = Field(500.0, ge=0, le=1_000_000)
    disk_radius_nm: float = Field(0.0, ge=0, le=1_000_000)

    def layout_cell(self) -> tuple[str, dict]:
        return "circular_grating", {"period_nm": self.period_nm, "duty_cycle": self.duty_cycle, "n_rings": self.n_rings,
                                    "center_radius_nm": self.center_radius_nm, "disk_radius_nm": self.disk_radius_nm}


class RingCavity(StrictModel):
    """Whispering-gallery ring in the grating level (the ``ring_resonator`` cell)."""

    type: Literal["ring"] = "ring"
    outer_radius_um: float = Field(10.0, gt=0, le=1000)
    width_nm: float = Field(800.0, gt=0, le=1_000_000)

    def layout_cell(self) -> tuple[str, dict]:
        return "ring_resonator", {"outer_radius_um": self.outer_radius_um, "width_nm": self.width_nm}


class DiskCavity(StrictModel):
    """Whispering-gallery disk in the grating level (the ``disk_resonator`` cell)."""

    type: Literal["disk"] = "disk"
    radius_um: float = Field(10.0, gt=0, le=1000)

    def layout_cell(self) -> tuple[str, dict]:
        return "disk_resonator", {"radius_um": self.radius_um}


def solve(point: DesignPoint, fidelity: str, *, settings=None, cell: CellGeometry | None = None, earlier=None):
    """(metrics, record, None) of a circular point at fidelity "analytic" (``cell``: its built cell's geometry)."""
    if fidelity != "analytic":
        raise ValueError(f"fidelity {fidelity!r} is not an evaluator of circular cavities")
    return (*_circular_analytic(point, cell), None)


def _circular_analytic(point: DesignPoint, cell: CellGeometry | None) -> tuple[DesignMetrics, CircularAnalyticRecord]:
    stack = point.stack.resolve()
    cell = cell_geometry(point.cavity) if cell is None else cell
    r = analyze_circular_on_stack(stack=stack, component=cell, window_rel=0.03)
    if r.best is None:
        raise ValueError("no resonance within 3% of the emission wavelength (no confined mode)")
    b = r.best
    g_modal = threshold_modal_gain_per_cm(q=b.q, wavelength_nm=b.wavelength_nm, group_index=r.group_index)
    gain_nm = gain_thickness_nm(stack)
    thr = threshold_from_modal_gain(material=point.gain_material, threshold_modal_gain_per_cm=g_modal,
                                    confinement=r.confinement_power, thickness_nm=gain_nm,
                                    wavelength_nm=b.wavelength_nm, perovskite=gain_perovskite(stack))
    record = CircularAnalyticRecord(
        m=b.m, q_radiation=b.q_radiation, q_absorption=b.q_absorption, n_modes_found=len(r.modes),
        resonance_residual_nm=r.residual_nm, resonance_passes=r.passes, neff_high=r.neff_high, neff_low=r.neff_low,
        group_index=r.group_index, confinement=r.confinement, confinement_power=r.confinement_power,
        modal_loss_per_cm=r.modal_loss_per_cm, photon_lifetime_ps=photon_lifetime_ps(q=b.q, wavelength_nm=b.wavelength_nm),
        modes=tuple(CircularLine(m=md.m, wavelength_nm=md.wavelength_nm, q=md.q) for md in r.modes))
    return design_metrics(thr, wavelength_nm=b.wavelength_nm, q=b.q, modal_gain_per_cm=g_modal,
                          thickness_nm=gain_nm), record


def _family(spec: type, size_um) -> CavityFamily:
    return CavityFamily(spec=spec, solve=solve, fidelities=("analytic",), size_um=size_um,
                        records={"circular_analytic": CircularAnalyticRecord}, cell_geometry=True,
                        reader_columns=("m", "q_radiation", "q_absorption"))


#: outer diameters [um]: the concentric grating's last ring, the ring's and the disk's edge
FAMILIES = (
    _family(CircularDfbCavity, lambda c: 2e-3 * (c.center_radius_nm + c.n_rings * c.period_nm)),
    _family(RingCavity, lambda c: 2.0 * c.outer_radius_um),
    _family(DiskCavity, lambda c: 2.0 * c.radius_um),
)
