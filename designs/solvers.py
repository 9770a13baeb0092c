"""The one place the design pipeline calls the DFB solvers (MEEP FDTD, RCWA): design-file settings -> the fdtd
package's frozen ``FdtdSettings``, the cavity -> its ``DfbGrating``, and the call itself."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from perocav.fdtd.models.dfb.grating import DfbGrating
from perocav.fdtd.rcwa import simulate_dfb_rcwa
from perocav.fdtd.rcwa.cross_check import RcwaCrossCheck, rcwa_cross_check
from perocav.fdtd.settings import FdtdSettings

if TYPE_CHECKING:  # hints only: the DFB family (below spec.py) calls these solvers
    from perocav.designs.cavities.dfb import DfbCavity
    from perocav.designs.spec import DesignSpec


@dataclass(frozen=True)
class SolverSettings:
    """How a design file asks the DFB solvers to run: MEEP mode ("unit_cell" | "finite") and settings."""

    mode: str
    fdtd: FdtdSettings


def solver_settings(spec: DesignSpec) -> SolverSettings:
    """The design file's ``fdtd`` and ``tolerances`` sections as the fdtd package's settings object."""
    fd, tol = spec.fdtd, spec.tolerances
    return SolverSettings(mode=fd.mode, fdtd=FdtdSettings(
        resolution_px_per_um=fd.resolution_px_per_um, max_resolution_px_per_um=fd.max_resolution_px_per_um,
        converge=fd.converge, force=fd.force, wavelength_tol_nm=tol.wavelength_nm, q_relative_tol=tol.q_relative))


def dfb_grating(cavity: DfbCavity) -> DfbGrating:
    return DfbGrating(period_nm=cavity.period_nm, duty_cycle=cavity.duty_cycle, order=cavity.order,
                      n_periods=cavity.n_periods, quarter_wave_shift=cavity.phase_shift == "quarter_wave")


def solve_dfb(*, solver: str, stack, grating: DfbGrating, settings: SolverSettings | None, analytic=None):
    """The one DFB solver record ``DfbSolverResult`` of MEEP (solver "fdtd", ``settings`` required) or RCWA
    (solver "rcwa"); ``analytic``: the design's analytic answer, MEEP's starting point (None: MEEP solves it)."""
    g = grating
    if solver == "rcwa":
        return simulate_dfb_rcwa(stack=stack, grating=g)
    from perocav.fdtd.dfb import simulate_dfb  # lazy: loads meep

    return simulate_dfb(stack=stack, grating=g, mode=settings.mode, settings=settings.fdtd, analytic=analytic)


def rcwa_beside_meep(*, stack, meep_result, rcwa_result=None) -> RcwaCrossCheck | None:
    """The RCWA cross-check of a MEEP unit-cell result (None for a finite grating); ``rcwa_result``: the design's
    RCWA record from an earlier stage, reused instead of solving RCWA again."""
    if meep_result.mode != "unit_cell":
        return None
    return rcwa_cross_check(stack=stack, meep=meep_result, rcwa=rcwa_result)
