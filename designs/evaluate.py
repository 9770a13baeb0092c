"""Evaluate one design point (runs in a worker process): solver -> ``DesignResult``."""

from __future__ import annotations

import time
import traceback
from dataclasses import dataclass, replace

from perocav.designs.cavities import family
from perocav.designs.cavities.cell import CellGeometry
from perocav.designs.records import DesignResult
from perocav.designs.solvers import SolverSettings
from perocav.designs.spec import DesignPoint

#: bump when an evaluator's physics changes: it is part of every cache key
EVALUATOR_VERSIONS = {"analytic": "analytic/11", "fdtd": "dfb-fdtd/14", "rcwa": "dfb-rcwa/7"}  # analytic 11, fdtd 14, rcwa 7: a device's budget splits the absorption by stack layer (PowerBudget.absorbed_by_layer, the cells' layer_loss_shares, the results' absorbed_by_layer column); analytic 10, fdtd 13, rcwa 6: the device engine takes minus the geometry's grating phase (a 2nd-order quarter-wave step's far field changes; docs/validation.md "Far field and eta_up"); fdtd 12: both merges below (10/11 of the band diagram and both edges, 10 of the device lasing mode); analytic 9, fdtd 10, rcwa 5: a device lases in the mode of lowest J_th among its 3 lowest (spectral gain at each mode's wavelength), the gain margin is the others' shortfall at its N_th; fdtd 11: the parity path keeps the other band edge's cross-section too (both edges' profiles in the report); fdtd 10: the record keeps the Bloch band points of the band diagram (3 unit-cell runs off the Bragg point at the first rung); fdtd 9: the record keeps its per-rung convergence history (the report's ladder table); analytic 8, fdtd 8, rcwa 4: the gain window is a result of the perovskite spectrum (where g(lambda, N <= ceiling) exceeds the loss floor), not the PDK's hard window; of several Bragg roots the spectrum's favourite, the record keeps the window; analytic 7, fdtd 7, rcwa 3: threshold density from the spectral gain g(lambda, N, T) at the lasing wavelength by default (gain_material.gain_model), metrics carry gain_model and the detuning from the gain peak; analytic 6: the DFB record keeps n_avg (the report's spectrum is built from the record); fdtd 6, rcwa 2: one DFB solver record, material gain over the power-weighted confinement; fdtd 5: 2nd-order unit cells by x-parity runs on lossless media, absorption by perturbation theory, Richardson edges; analytic 5: circular/WGM modes self-consistent with the dispersion, in the gain window; fdtd 4: mode profile and frozen-media Qs in the record; analytic 4: kappa/h overlaps over the grating's own samples (were +0.9 %/+1.8 %); 3: dispersion-consistent Bragg point, n_g and FDTD media; 2: kappa from the Bragg centre


@dataclass(frozen=True)
class EvalTask:
    """One evaluation: the point, its cache key, the fidelity ("analytic", "rcwa", "fdtd"), the DFB solver
    settings (``solvers.SolverSettings``, FDTD), the built cell's geometry (circular cavities) and the result
    this evaluation refines (``earlier``: a screen's lower stage, e.g. the RCWA record MEEP is compared with)."""

    key: str
    point: DesignPoint
    fidelity: str
    settings: SolverSettings | None = None
    cell: CellGeometry | None = None
    earlier: DesignResult | None = None


def evaluate_point(task: EvalTask) -> DesignResult:
    """The ``DesignResult`` of ``task``; never raises: a failure is a result with status "failed"."""
    t0 = time.perf_counter()
    try:
        metrics, solver, extra, *device = _solve(task)
        result = DesignResult(key=task.key, point=task.point, fidelity=task.fidelity, status="ok", metrics=metrics,
                              solver=solver, cross_check=extra, device=device[0] if device else None)
    except Exception as err:  # a failed design is recorded and the sweep goes on
        result = DesignResult(key=task.key, point=task.point, fidelity=task.fidelity, status="failed",
                              error=f"{type(err).__name__}: {err}".splitlines()[0],
                              traceback=traceback.format_exc(limit=4))
    return replace(result, wall_time_s=time.perf_counter() - t0)


def _solve(task: EvalTask):
    """(metrics, solver record, cross-check) from the point's cavity family at the task's fidelity."""
    fam = family(task.point.cavity)
    if task.fidelity not in fam.fidelities:
        raise ValueError(f"fidelity {task.fidelity!r} is not an evaluator of cavity type {fam.name}")
    return fam.solve(task.point, task.fidelity, settings=task.settings, cell=task.cell, earlier=task.earlier)
