"""``perocav optimize``'s work in a run folder: the search (resumable: the study's journal and the cache live in
the folder, outside its committed set), the fidelity ladder, the tolerance analysis and the die; the folder's
set (design.yaml, trials.csv, optimize.json, mask/) is staged and committed like a run's (``run_folder``)."""

from __future__ import annotations

import json
import math
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from perocav.designs.cache import ResultCache
from perocav.designs.io import atomic_path, write_text_atomic
from perocav.designs.optimize.die import optimum_to_die
from perocav.designs.optimize.ladder import Ladder, climb
from perocav.designs.optimize.objective import CONSTRAINT_NAMES
from perocav.designs.optimize.search import TrialRecord, best_feasible, run_search, study_name
from perocav.designs.optimize.tolerance import ToleranceReport, tolerance
from perocav.designs.run_folder import check_folder_kind, check_same_design, staged_run
from perocav.designs.stage import Stage


@dataclass(frozen=True)
class OptimizeOptions:
    """Executor (``workers`` / Dask ``scheduler``), progress bar, the die, and overrides of the design file's
    ``refine.fdtd`` and ``tolerance`` (None: as the file says)."""

    workers: int | None = None
    scheduler: str | None = None
    progress: bool = True
    mask: bool = True
    fdtd: bool | None = None
    tolerance: bool | None = None
    overwrite: bool = False


@dataclass(frozen=True)
class OptimizeSummary:
    """What the optimisation found: counts, the best trial, the ladder, the tolerance analysis, the files."""

    design: str
    out_dir: str
    study: str
    n_trials: int
    feasible: int
    computed: int
    from_cache: int
    wall_time_s: float
    best: TrialRecord | None
    ladder: Ladder | None
    tolerance: ToleranceReport | None
    files: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        """JSON-ready: every number with the model that produced it."""
        out = {k: getattr(self, k) for k in ("design", "out_dir", "study", "n_trials", "feasible", "computed",
                                              "from_cache", "wall_time_s")}
        out["best_trial"] = None if self.best is None else {
            "trial": self.best.number, "values": self.best.values, "objective": _num(self.best.score.objective),
            "model": "device CMT, analytic cells"}
        out["ladder"] = None if self.ladder is None else {
            "candidates": [_clean(asdict(c)) for c in self.ladder.candidates], "moved": self.ladder.moved,
            "optimum": {"trial_values": dict(self.ladder.optimum.point.params),
                        "model": self.ladder.optimum.device.model if self.ladder.optimum.device else "",
                        "threshold_current_density_a_per_cm2":
                            _num(self.ladder.optimum.metrics.threshold_current_density_a_per_cm2),
                        "wavelength_nm": _num(self.ladder.optimum.metrics.wavelength_nm)},
            "fdtd": None if self.ladder.fdtd is None else _clean(asdict(self.ladder.fdtd))}
        out["tolerance"] = None if self.tolerance is None else _clean(asdict(self.tolerance))
        out["files"] = dict(self.files)
        return out


def _num(v):
    return v if isinstance(v, (int, float)) and math.isfinite(v) else None


def _clean(obj):
    if isinstance(obj, dict):
        return {k: _clean(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_clean(v) for v in obj]
    return _num(obj) if isinstance(obj, float) else obj


def run_optimize(spec, *, out_dir: Path, options: OptimizeOptions = OptimizeOptions(), source="") -> OptimizeSummary:
    """Optimise ``spec`` (a design with an ``optimize:`` section) into ``out_dir``."""
    out = Path(out_dir)
    check_same_design(out, spec, overwrite=options.overwrite)
    check_folder_kind(out, kind="optimize", overwrite=options.overwrite)
    t0 = time.perf_counter()
    with staged_run(out, spec) as staged:
        write_text_atomic(staged.dir / "design.yaml", f"# the design as optimised by perocav (from {source})\n"
                          + yaml.safe_dump(spec.model_dump(mode="json", exclude_none=True), sort_keys=False))
        stage = Stage(cache=ResultCache(out / "cache"), spec=spec, workers=options.workers,
                      scheduler=options.scheduler, progress=False)
        trials = run_search(spec, out=out, stage=stage, progress=options.progress)
        files = {"trials": str(_write_trials(staged.dir, trials))}
        ladder, tol = _after_search(spec, trials, stage=stage, out=out, options=options)
        if ladder is not None and options.mask and spec.mask is not None:
            files.update(optimum_to_die(spec, ladder.optimum, out_dir=staged.dir))
        summary = OptimizeSummary(
            design=spec.name, out_dir=str(out), study=study_name(spec), n_trials=len(trials),
            feasible=sum(t.score.feasible for t in trials), computed=stage.computed, from_cache=stage.cached,
            wall_time_s=time.perf_counter() - t0, best=(best_feasible(trials, 1) or [None])[0], ladder=ladder,
            tolerance=tol, files={k: staged.final(v) for k, v in files.items()})
        text = json.dumps(summary.to_dict(), indent=2, default=str) + "\n"
        write_text_atomic(staged.dir / "optimize.json", text)
        staged.commit()
    return summary


def _after_search(spec, trials, *, stage, out, options) -> tuple[Ladder | None, ToleranceReport | None]:
    """The ladder of the best feasible trials and the optimum's tolerance (None, None: no feasible trial)."""
    refine = spec.optimize.refine
    top = best_feasible(trials, max(1, refine.rcwa_top_n))
    if not top:
        return None, None
    fdtd = refine.fdtd if options.fdtd is None else options.fdtd
    ladder = climb(spec, top, stage=stage, out=out, fdtd=fdtd)
    want_tol = spec.optimize.tolerance is not None if options.tolerance is None else options.tolerance
    tol = tolerance(spec, dict(ladder.optimum.point.params), stage=stage) if want_tol else None
    return ladder, tol


def _write_trials(folder: Path, trials: list[TrialRecord]) -> Path:
    """``trials.csv``: every complete trial's stage (tpe / local), values, objective, feasibility and constraint violations."""
    rows = [{"trial": t.number, "stage": t.stage, **t.values, "objective": t.score.objective, "feasible": t.score.feasible,
             **{f"violation_{n}": c for n, c in zip(CONSTRAINT_NAMES, t.score.constraints)},
             "infeasible": t.infeasible, "key": t.key[:16]} for t in trials]
    path = folder / "trials.csv"
    with atomic_path(path) as tmp:
        pd.DataFrame(rows).to_csv(tmp, index=False, float_format="%.6g")
    return path
