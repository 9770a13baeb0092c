"""The fast converged path of a 2nd-order DFB unit cell (Bloch k = 0): lossless media, one MEEP run per x parity
(one band edge each, half the cell, a short ring-down), absorption added by perturbation theory from each edge's
field, Richardson extrapolation of the edges and the Bragg centre over the last two rungs, and the dispersive media
made self-consistent on the coarse rung (the correction carried to the extrapolated edges).

Why (measured against RCWA on the transparent stack, ``docs/benchmarks.md``): MEEP smooths lossless dielectrics
only, so a lossy 20 nm ITO staircases and the absorption Q converged to first order (dark edge 11 % off at 100
px/um, 5 % at 200); with lossless media the radiation Q is within 1 % from 100 px/um and the edges converge to
second order. Wavelengths nm, resolutions px/um, ring-downs um / c.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from perocav.fdtd.extract.convergence import ConvergenceReport, ConvergenceStep, converge, steps_agree
from perocav.fdtd.extract.freeze import FrozenFix, self_consistent_mode
from perocav.fdtd.meep import dfb_runs as R
from perocav.fdtd.meep.dfb_cell import DfbCell
from perocav.fdtd.models.dfb.dfb_dispersion import predict_wavelength_nm, same_media
from perocav.fdtd.settings import FdtdSettings

Progress = Callable[[str], None] | None
#: default first rung (px/um) and the ratio between rungs: Richardson over a factor 2 (80 -> 160 px/um) keeps the
#: grid-alignment scatter of the two rungs (~+-0.1 nm at 100-150 px/um) from being amplified as a factor 1.5 does
#: (0.8 x their difference added instead of 0.33 x)
FIRST_RUNG_PX_PER_UM = 80.0
RUNG_FACTOR = 2.0
#: the pixel rule of the parity path: lossless media are subpixel-smoothed, so 1.5 px across the thinnest level
#: (a 20 nm ITO at 80 px/um: 1.6 px) still converges at second order (measured: docs/benchmarks.md)
MIN_PX_PER_LAYER = 1.5


@dataclass(frozen=True)
class ParityRung:
    """One rung: the short and long band edges (their parity runs) and the duty-averaged cell's centre (nm)."""

    short: R.ParityMode
    long: R.ParityMode
    centre_nm: float | None

    @property
    def dark(self) -> R.ParityMode:
        """The longer-lived edge (its snapshot goes into the record)."""
        return max((self.short, self.long), key=lambda m: m.q_rad)


def run_parity_ladder(*, cell: DfbCell, ladder: list[float], settings: FdtdSettings,
                      progress: Progress) -> tuple[ConvergenceReport, dict[float, ParityRung | R.ParityMode]]:
    """The resolution ladder with parity runs; every rung's ``ParityRung`` (or its one surviving edge) by resolution."""
    rungs: dict[float, ParityRung | R.ParityMode] = {}

    def run_step(res: float, ring: float) -> ConvergenceStep:
        ring_p = R.PARITY_RING_DOWN_UM * ring / cell.ring_down_um  # the settings' ring-down scales it
        modes = [R.parity_mode(cell, odd=odd, resolution_px_per_um=res, ring_down_um=ring_p) for odd in (False, True)]
        found = sorted((m for m in modes if m is not None), key=lambda m: m.wavelength_nm)
        wall = sum(m.run.wall_time_s for m in found)
        if len(found) < 2:
            if found:
                rungs[res] = found[0]
            status = "one_edge" if found else "no_resonance"
            return ConvergenceStep(res, ring_p, status, tuple(m.wavelength_nm for m in found),
                                   tuple(m.q for m in found), tuple(m.resolved for m in found), wall)
        centre = R.bragg_centre_nm(cell, resolution_px_per_um=res)
        rungs[res] = ParityRung(short=found[0], long=found[1], centre_nm=centre)
        return ConvergenceStep(res, ring_p, "ok", (found[0].wavelength_nm, found[1].wavelength_nm),
                               (found[0].q, found[1].q), (found[0].resolved, found[1].resolved), wall)

    agree = _extrapolation_agrees(rungs=rungs, settings=settings)
    report = converge(run_step=run_step, resolutions_px_per_um=ladder, ring_down_um=cell.ring_down_um,
                      ring_down_factor=1.0, wavelength_tol_nm=settings.wavelength_tol_nm,
                      q_relative_tol=settings.q_relative_tol, progress=progress, agree=agree)
    return report, rungs


def _extrapolation_agrees(*, rungs: dict[float, ParityRung | R.ParityMode],
                          settings: FdtdSettings) -> Callable[[ConvergenceStep, ConvergenceStep], str]:
    """``agree`` of the parity ladder: the edges extrapolated from the two rungs sit within ``wavelength_tol_nm`` of
    the fine rung's, and the resolved Qs agree by the shared rule (``steps_agree``). The ring-down stays the same on
    every rung: each run holds one mode, whose decay does not depend on the grid."""

    def agree(coarse: ConvergenceStep, fine: ConvergenceStep) -> str:
        moved = extrapolate(ConvergenceReport((coarse, fine), False, ""), rungs).moved_nm
        if moved < settings.wavelength_tol_nm and steps_agree(coarse=coarse, fine=fine, wavelength_tol_nm=math.inf,
                                                              q_relative_tol=settings.q_relative_tol):
            return (f"extrapolated from {coarse.resolution_px_per_um:g} and {fine.resolution_px_per_um:g} px/um: "
                    f"the edges moved {moved:.2g} nm")
        return ""

    return agree


def richardson(*, coarse: float, fine: float, r_coarse: float, r_fine: float) -> float:
    """Second-order Richardson extrapolation of a value computed at two resolutions (error ~ 1 / r^2)."""
    w = r_coarse**2 / (r_fine**2 - r_coarse**2)
    return fine + w * (fine - coarse)


@dataclass(frozen=True)
class Extrapolated:
    """The last rung's edges and centre extrapolated to infinite resolution (or the last rung's if only one rung
    has both edges), and the largest edge move (nm; NaN when not extrapolated)."""

    step: ConvergenceStep
    centre_nm: float | None
    moved_nm: float


def extrapolate(report: ConvergenceReport, rungs: dict[float, ParityRung | R.ParityMode]) -> Extrapolated:
    """Richardson over the last two rungs that found both edges (and the centre)."""
    ok = [s for s in report.steps if s.status == "ok" and isinstance(rungs.get(s.resolution_px_per_um), ParityRung)]
    last = report.last
    if not ok or ok[-1] is not last:
        return Extrapolated(step=last, centre_nm=None, moved_nm=math.nan)
    lr = rungs[last.resolution_px_per_um]
    if len(ok) < 2:
        return Extrapolated(step=last, centre_nm=lr.centre_nm, moved_nm=math.nan)
    a, b = ok[-2], ok[-1]
    ra, rb = a.resolution_px_per_um, b.resolution_px_per_um
    lams = tuple(richardson(coarse=x, fine=y, r_coarse=ra, r_fine=rb) for x, y in zip(a.wavelengths_nm, b.wavelengths_nm))
    ca = rungs[ra].centre_nm
    centre = (richardson(coarse=ca, fine=lr.centre_nm, r_coarse=ra, r_fine=rb)
              if ca is not None and lr.centre_nm is not None else lr.centre_nm)
    moved = max(abs(x - y) for x, y in zip(lams, b.wavelengths_nm))
    step = ConvergenceStep(rb, b.ring_down_um, b.status, lams, b.qs, b.q_resolved, b.wall_time_s)
    return Extrapolated(step=step, centre_nm=centre, moved_nm=moved)


def parity_fixes(*, cell: DfbCell, report: ConvergenceReport, rungs: dict, final: ConvergenceStep,
                 group_indices: tuple[Callable[[float], float], Callable[[float], float]],
                 settings: FdtdSettings, progress: Progress) -> tuple[FrozenFix | None, FrozenFix | None]:
    """Each edge made self-consistent with the dispersive media on the *first* rung (parity re-runs there, cheap).
    ``final``'s edge moves by the first-order law (``predict_wavelength_nm``) plus what the secant found beyond it
    on the coarse rung; its Q by the coarse rung's ratio. None where a re-run lost the edge."""
    first = report.steps[0]
    coarse = rungs.get(first.resolution_px_per_um)
    if not isinstance(coarse, ParityRung):
        coarse = rungs[final.resolution_px_per_um]
    ng_frozen, ng_true = group_indices
    out = []
    for edge, lam_final, q_final in zip((coarse.short, coarse.long), final.wavelengths_nm, final.qs):
        if same_media(stack=cell.stack, a_nm=cell.bragg_nm, b_nm=edge.wavelength_nm):
            out.append(FrozenFix(wavelength_nm=lam_final, q=q_final, q_frozen=q_final, freeze_wavelength_nm=cell.bragg_nm,
                                 residual_nm=0.0, passes=0))
            continue

        def rerun(freeze_nm: float, odd: bool = edge.odd) -> tuple[float, float] | None:
            m = R.parity_mode(cell, odd=odd, resolution_px_per_um=first.resolution_px_per_um,
                              ring_down_um=first.ring_down_um, freeze_nm=freeze_nm)
            if progress:
                progress(f"media frozen at {freeze_nm:.2f} nm ({first.resolution_px_per_um:g} px/um): "
                         + ("lost the edge" if m is None else f"{m.wavelength_nm:.3f} nm"))
            return None if m is None else (m.wavelength_nm, m.q)

        fx = self_consistent_mode(run_mode=rerun, wavelength_nm=edge.wavelength_nm, q=edge.q, freeze_nm=cell.bragg_nm,
                                  group_index_frozen=ng_frozen, group_index=ng_true, tol_nm=settings.freeze_tol_nm,
                                  max_passes=settings.max_freeze_passes)
        if fx is None:
            out.append(None)
            continue
        # the dispersion shift is proportional to the offset from the freezing point, which the coarse rung's
        # discretization error changes: take the first-order law on the final edge plus the coarse rung's remainder
        def first_order(lam: float) -> float:
            return predict_wavelength_nm(wavelength_nm=lam, freeze_nm=cell.bragg_nm,
                                         group_index_frozen=ng_frozen(cell.bragg_nm), group_index=ng_true(lam))

        remainder = fx.wavelength_nm - first_order(edge.wavelength_nm)
        out.append(FrozenFix(wavelength_nm=first_order(lam_final) + remainder,
                             q=q_final * _ratio(fx.q, edge.q), q_frozen=q_final * _ratio(fx.q_frozen, edge.q),
                             freeze_wavelength_nm=fx.freeze_wavelength_nm, residual_nm=fx.residual_nm,
                             passes=fx.passes))
    return out[0], out[1]


def _ratio(a: float, b: float) -> float:
    """a / b, 1 when either is infinite (a lossless edge stays lossless)."""
    return a / b if math.isfinite(a) and math.isfinite(b) and b != 0 else 1.0
