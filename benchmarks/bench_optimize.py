"""Optimiser vs fine grid on a 4-variable device problem, side by side in one run: the default device
(designs/default.yaml: 2nd-order DFB, 50 um opening, transparent MAPbI3) with period, duty cycle, number of periods
and LED opening free, J_th minimised (device CMT, analytic cells) in the default's 770-800 nm window. The grid
evaluates every point of an N^4 lattice; optuna's TPE (``perocav optimize``'s search, continuous period, duty and
opening) gets a tenth of that budget or less. Prints both optima, the distance in grid steps, whether the optimiser's
J_th is within the grid's resolution (at most the worst J_th one grid step from the grid optimum), the evaluation
counts, times and the machine load, and writes them as JSON (``-o``).

Run: OMP_NUM_THREADS=1 .venv/bin/python benchmarks/bench_optimize.py [--per-axis 6] [--trials 120] [-o FILE]"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import tempfile
import time
from pathlib import Path

import numpy as np

from perocav.designs.cache import ResultCache
from perocav.designs.optimize.objective import score
from perocav.designs.optimize.points import trial_point
from perocav.designs.optimize.search import best_feasible, run_search
from perocav.designs.spec import DesignSpec, load_design
from perocav.designs.stage import Stage

DEFAULT = Path(__file__).resolve().parents[1] / "designs" / "default.yaml"
#: the box: (low, high) per variable
BOX = {"period_nm": (360.0, 385.0), "duty_cycle": (0.3, 0.7), "n_periods": (150, 400), "pump.opening_um": (25.0, 50.0)}


def problem(trials: int, seed: int) -> DesignSpec:
    """The default design with the 4-variable optimize section (continuous except n_periods)."""
    doc = load_design(DEFAULT).model_dump(mode="json", exclude_none=True)
    doc.pop("sweep", None), doc.pop("mask", None)
    doc["fidelity"] = "analytic"
    doc["optimize"] = {"variables": {k: {"low": lo, "high": hi} for k, (lo, hi) in BOX.items()}, "n_trials": trials,
                       "batch_size": 8, "startup_trials": 20, "seed": seed, "refine": {"rcwa_top_n": 0}}
    return DesignSpec.model_validate(doc)


def grid_values(per_axis: int) -> dict[str, list]:
    out = {}
    for k, (lo, hi) in BOX.items():
        vals = np.linspace(lo, hi, per_axis)
        out[k] = [int(round(v)) for v in vals] if k == "n_periods" else [round(float(v), 6) for v in vals]
    return out


def run_grid(spec: DesignSpec, axes: dict, stage: Stage) -> tuple[dict, float, int, dict]:
    """(best values, best J_th, evaluations, {values as a tuple: J_th} of the feasible points) of the full grid."""
    combos = [dict(zip(axes, c)) for c in itertools.product(*axes.values())]
    built = [(v, trial_point(spec, v)) for v in combos]
    ok = [(v, b.point) for v, b in built if b.point is not None]
    results = stage.run([p for _, p in ok], "analytic")
    scored = [(score(r, spec=spec), v) for (v, _), r in zip(ok, results)]
    best = min(scored, key=lambda sv: (not sv[0].feasible, sv[0].value))
    table = {tuple(v.values()): s.objective for s, v in scored if s.feasible}
    return best[1], best[0].objective, len(combos), table


def neighbour_jth(axes: dict, best: dict, table: dict) -> list[float]:
    """J_th of the grid optimum's one-step neighbours (one axis at a time): the grid's resolution in J_th."""
    out = []
    for k, vals in axes.items():
        i = vals.index(best[k])
        for j in (i - 1, i + 1):
            key = tuple({**best, k: vals[j]}.values()) if 0 <= j < len(vals) else None
            if key in table:
                out.append(table[key])
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--per-axis", type=int, default=6)
    ap.add_argument("--trials", type=int, default=120)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("-o", "--out", type=Path, default=None)
    args = ap.parse_args()
    spec, axes = problem(args.trials, args.seed), grid_values(args.per_axis)
    steps = {k: (hi - lo) / (args.per_axis - 1) for k, (lo, hi) in BOX.items()}
    with tempfile.TemporaryDirectory() as tmp:
        grid_stage = Stage(cache=ResultCache(Path(tmp) / "grid"), spec=spec, workers=1, scheduler=None, progress=False)
        t0 = time.perf_counter()
        g_best, g_jth, g_n, g_table = run_grid(spec, axes, grid_stage)
        t_grid = time.perf_counter() - t0
        opt_stage = Stage(cache=ResultCache(Path(tmp) / "opt"), spec=spec, workers=1, scheduler=None, progress=False)
        t0 = time.perf_counter()
        trials = run_search(spec, out=Path(tmp) / "opt", stage=opt_stage, progress=False)
        t_opt = time.perf_counter() - t0
    o = best_feasible(trials, 1)[0]
    dist = {k: abs(o.values[k] - g_best[k]) / steps[k] for k in BOX}
    nb = neighbour_jth(axes, g_best, g_table)
    out = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "load_1_5_15": os.getloadavg(),
           "model": "device CMT, analytic cells (J_th A/cm^2)", "grid_per_axis": args.per_axis,
           "grid_evaluations": g_n, "grid_best": g_best, "grid_best_jth_a_per_cm2": g_jth, "grid_wall_s": t_grid,
           "optimizer_trials": len(trials), "optimizer_evaluations": opt_stage.computed,
           "optimizer_best": o.values, "optimizer_best_jth_a_per_cm2": o.score.objective, "optimizer_wall_s": t_opt,
           "distance_in_grid_steps": dist, "within_one_step": all(d <= 1.0 + 1e-9 for d in dist.values()),
           "optimizer_not_worse": o.score.objective <= g_jth * (1 + 1e-9),
           "grid_neighbours_jth_a_per_cm2": nb,
           "within_grid_resolution": o.score.objective <= max(nb, default=g_jth),
           "evaluation_ratio": g_n / max(1, opt_stage.computed)}
    print(json.dumps(out, indent=2, default=float))
    if args.out:
        args.out.write_text(json.dumps(out, indent=2, default=float) + "\n")


if __name__ == "__main__":
    main()
