"""Resolution (and ring-down) convergence loop, independent of the solver: the caller passes ``run_step``.

A step is converged when every reported wavelength moved less than ``wavelength_tol_nm`` and every finite Q that
both runs resolve moved at most ``q_relative_tol`` of the finer step's Q from the previous, coarser step
(``steps_agree``; the parity ladder adds its extrapolation test on top).
A step whose status is not "ok" ends the loop and is reported as such.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class ConvergenceStep:
    """One run: its resolution and ring-down, the tracked wavelengths / Qs (same order every step),
    whether each Q is resolved by the ring-down (else a lower bound), status and wall time."""

    resolution_px_per_um: float
    ring_down_um: float
    status: str
    wavelengths_nm: tuple[float, ...] = ()
    qs: tuple[float, ...] = ()
    q_resolved: tuple[bool, ...] = ()
    wall_time_s: float = 0.0


@dataclass(frozen=True)
class ConvergenceReport:
    steps: tuple[ConvergenceStep, ...]
    converged: bool
    reason: str

    @property
    def last(self) -> ConvergenceStep:
        return self.steps[-1]


def resolution_ladder(*, start_px_per_um: float, max_px_per_um: float, factor: float = 1.5,
                      snap: Callable[[float], float] = lambda r: r) -> list[float]:
    """start, start*factor, ... (each snapped, e.g. to whole pixels per period) up to max_px_per_um."""
    if factor <= 1:
        raise ValueError(f"factor={factor} must be > 1")
    out, r = [], start_px_per_um
    while True:
        s = snap(r)
        if s > max_px_per_um + 1e-9:
            break
        if not out or s > out[-1] + 1e-9:
            out.append(s)
        r *= factor
    return out


def mode_converged(*, coarse_wavelength_nm: float, coarse_q: float, fine_wavelength_nm: float, fine_q: float,
                   wavelength_tol_nm: float, q_relative_tol: float, q_compared: bool = True) -> bool:
    """The one agreement rule, for one tracked mode between two runs: its wavelength moved < wavelength_tol_nm
    (a mode the finer run did not find, NaN, has not converged) and, where both Qs are finite and ``q_compared``
    (both runs resolve them), its Q moved <= q_relative_tol x the fine run's Q."""
    if not abs(fine_wavelength_nm - coarse_wavelength_nm) < wavelength_tol_nm:
        return False
    if not (q_compared and math.isfinite(coarse_q) and math.isfinite(fine_q)):
        return True
    return abs(fine_q - coarse_q) <= q_relative_tol * abs(fine_q)


def steps_agree(*, coarse: ConvergenceStep, fine: ConvergenceStep, wavelength_tol_nm: float,
                q_relative_tol: float) -> bool:
    """Two steps agree: both "ok", the same modes (at least one), every one ``mode_converged`` (Qs compared where
    both steps resolve them). The 2D, parity and cylindrical ladders all use this rule."""
    if coarse.status != "ok" or fine.status != "ok" or len(coarse.wavelengths_nm) != len(fine.wavelengths_nm):
        return False
    return bool(fine.wavelengths_nm) and all(
        mode_converged(coarse_wavelength_nm=wa, coarse_q=qa, fine_wavelength_nm=wb, fine_q=qb, q_compared=ra and rb,
                       wavelength_tol_nm=wavelength_tol_nm, q_relative_tol=q_relative_tol)
        for wa, qa, ra, wb, qb, rb in zip(coarse.wavelengths_nm, coarse.qs, coarse.q_resolved or _all(coarse),
                                          fine.wavelengths_nm, fine.qs, fine.q_resolved or _all(fine)))


def _all(step: ConvergenceStep) -> tuple[bool, ...]:
    return tuple(True for _ in step.wavelengths_nm)



def converge(*, run_step: Callable[[float, float], ConvergenceStep], resolutions_px_per_um: list[float],
             ring_down_um: float, ring_down_factor: float = 1.25, wavelength_tol_nm: float,
             q_relative_tol: float, progress: Callable[[str], None] | None = None,
             agree: Callable[[ConvergenceStep, ConvergenceStep], bool | str] | None = None) -> ConvergenceReport:
    """Run ``run_step(resolution, ring_down_um)`` up the ladder (ring-down x ring_down_factor per step) until two
    successive steps agree: ``agree(coarse, fine)`` (a non-empty string is also the report's reason), by default
    ``steps_agree`` with the two tolerances. One resolution only: reported, not converged. The one loop of the 2D
    lossy, 2D parity and cylindrical ladders."""
    if not resolutions_px_per_um:
        raise ValueError("empty resolution ladder")
    steps: list[ConvergenceStep] = []
    t = ring_down_um
    for i, res in enumerate(resolutions_px_per_um):
        step = run_step(res, t)
        steps.append(step)
        if progress:
            wl = ", ".join(f"{w:.2f}" for w in step.wavelengths_nm)
            qs = ", ".join(f"{q:.3g}" for q in step.qs)
            progress(f"rung {i + 1} (intermediate): resolution {res:g} px/um, ring-down {step.ring_down_um:g} um/c: "
                     f"{step.status}; band edges [{wl}] nm, band-edge Qs [{qs}] ({step.wall_time_s:.1f} s)")
        if step.status != "ok":
            return ConvergenceReport(tuple(steps), False, f"run at {res:g} px/um: {step.status}")
        verdict = i and _agree(agree, steps[-2], step, wavelength_tol_nm, q_relative_tol)
        if verdict:
            reason = verdict if isinstance(verdict, str) else (
                f"converged between {steps[-2].resolution_px_per_um:g} and {res:g} px/um")
            return ConvergenceReport(tuple(steps), True, reason)
        t *= ring_down_factor
    reason = ("single resolution: convergence not checked" if len(steps) == 1
              else f"not converged up to {steps[-1].resolution_px_per_um:g} px/um")
    return ConvergenceReport(tuple(steps), False, reason)



def _agree(agree, coarse: ConvergenceStep, fine: ConvergenceStep, wavelength_tol_nm: float,
           q_relative_tol: float) -> bool | str:
    if agree is not None:
        return agree(coarse, fine)
    return steps_agree(coarse=coarse, fine=fine, wavelength_tol_nm=wavelength_tol_nm, q_relative_tol=q_relative_tol)


def finite_or_none(x: float) -> float | None:
    return float(x) if x is not None and math.isfinite(x) else None
