"""The fidelity ladder of a search's best trials: the coupled-mode device model on analytic unit cells (the
search's), again on RCWA unit cells of every section geometry (the pipeline's ``rcwa`` stage, cached), then the
finite-device FDTD of the best of those (``fidelity_fdtd``). Says how the optimum moved between fidelities."""

from __future__ import annotations

import math
from dataclasses import dataclass

from perocav.designs.optimize.fdtd_check import FdtdCheck, fdtd_check
from perocav.designs.optimize.points import trial_point
from perocav.designs.optimize.search import TrialRecord
from perocav.designs.records import DesignResult
from perocav.designs.stage import Stage


@dataclass(frozen=True)
class Candidate:
    """One of the best trials at each rung: J_th [A/cm^2] and lasing wavelength [nm] by the device model on
    analytic cells (``analytic``) and on RCWA cells (``rcwa``; NaN when not run or failed), the device model text
    of each, and the rank (1 = best) at each rung."""

    trial: int
    values: dict
    jth_analytic_a_per_cm2: float
    wavelength_analytic_nm: float
    jth_rcwa_a_per_cm2: float
    wavelength_rcwa_nm: float
    rank_analytic: int
    rank_rcwa: int | None
    model_rcwa: str = ""


@dataclass(frozen=True)
class Ladder:
    """The candidates (analytic rank order), the optimum's result at its highest rung, the FDTD check of it
    (None when not asked) and one line on how the optimum moved between fidelities."""

    candidates: tuple[Candidate, ...]
    optimum: DesignResult
    fdtd: FdtdCheck | None
    moved: str


def climb(spec, top: list[TrialRecord], *, stage: Stage, out, fdtd: bool) -> Ladder:
    """Re-evaluate ``top`` (best first, feasible) with RCWA cells, then the best of those in the FDTD."""
    points = [trial_point(spec, t.values).point for t in top]
    analytic = stage.run(points, "analytic")  # cache hits
    rcwa = stage.run(points, "rcwa", earlier=analytic) if spec.optimize.refine.rcwa_top_n else [None] * len(points)
    ranks = _ranks([_jth(r) for r in rcwa]) if rcwa[0] is not None else [None] * len(points)
    cands = tuple(Candidate(trial=t.number, values=t.values, jth_analytic_a_per_cm2=_jth(a),
                            wavelength_analytic_nm=a.metrics.wavelength_nm, jth_rcwa_a_per_cm2=_jth(r),
                            wavelength_rcwa_nm=r.metrics.wavelength_nm if _ok(r) else math.nan,
                            rank_analytic=i + 1, rank_rcwa=rk,
                            model_rcwa=r.device.model if _ok(r) and r.device is not None else "")
                  for i, (t, a, r, rk) in enumerate(zip(top, analytic, rcwa, ranks)))
    best = min(range(len(cands)), key=lambda i: (cands[i].rank_rcwa or 10**9, i))
    optimum = rcwa[best] if _ok(rcwa[best]) else analytic[best]
    check = fdtd_check(optimum, out=out) if fdtd else None
    return Ladder(candidates=cands, optimum=optimum, fdtd=check, moved=_moved(cands, best, check))


def _ok(r) -> bool:
    return r is not None and r.ok and r.metrics is not None


def _jth(r) -> float:
    return r.metrics.threshold_current_density_a_per_cm2 if _ok(r) else math.nan


def _ranks(values: list[float]) -> list[int | None]:
    order = sorted((v, i) for i, v in enumerate(values) if math.isfinite(v))
    out: list[int | None] = [None] * len(values)
    for rank, (_, i) in enumerate(order, start=1):
        out[i] = rank
    return out


def _moved(cands: tuple[Candidate, ...], best: int, check: FdtdCheck | None) -> str:
    """One line: did the RCWA cells reorder the candidates, by how much J_th moved, and the FDTD's number."""
    c = cands[best]
    if c.rank_rcwa is None:
        return f"trial {c.trial}: J_th {c.jth_analytic_a_per_cm2:.4g} A/cm^2 (device CMT, analytic cells); no RCWA rung"
    shift = c.jth_rcwa_a_per_cm2 / c.jth_analytic_a_per_cm2 - 1
    where = ("the analytic optimum stays best with RCWA cells" if best == 0 else
             f"RCWA cells reorder the candidates: analytic rank {c.rank_analytic} (trial {c.trial}) is best")
    line = (f"{where}; its J_th {c.jth_analytic_a_per_cm2:.4g} -> {c.jth_rcwa_a_per_cm2:.4g} A/cm^2 ({shift:+.1%}), "
            f"lasing line {c.wavelength_analytic_nm:.2f} -> {c.wavelength_rcwa_nm:.2f} nm")
    if check is not None:
        line += (f"; finite-device FDTD: J_th {check.jth_a_per_cm2:.4g} A/cm^2 at {check.wavelength_nm:.2f} nm "
                 f"({check.jth_a_per_cm2 / c.jth_rcwa_a_per_cm2 - 1:+.1%} from RCWA cells)")
    return line
