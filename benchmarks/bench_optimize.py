"""Optimiser vs fine grid on a 4-variable device problem, side by side in one run: the default device
(designs/default.yaml: 2nd-order DFB, 50 um opening, transparent MAPbI3) with period, duty cycle, number of periods
and LED opening free, J_th minimised (device CMT, analytic cells) in the default's 770-800 nm window. The grid
evaluates every point of an N^4 lattice; ``perocav optimize``'s search (continuous period, duty and opening; optuna's
TPE for ``--trials`` trials, then its local stage, ``optimize.local_search``: line scans and a compass search, for at
most ``--local-trials`` more) gets a tenth of that budget or less, once per seed (``--seeds``), each in its own fresh
cache so every model evaluation counts. Prints the optima, the distances in grid steps, whether each seed's optimum
is within one grid step of the grid's on every axis and whether its J_th is within the grid's resolution (at most
the worst J_th one grid step from the grid optimum), the evaluation counts, times and the machine load, and writes
them as JSON (``-o``).

Run: OMP_NUM_THREADS=1 .venv/bin/python benchmarks/bench_optimize.py [--per-axis 6] [--trials 48]
[--local-trials 72] [--seeds 0,1,2,3,4] [-o FILE]"""

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


def problem(trials: int, seed: int, local_trials: int = 0) -> DesignSpec:
    """The default design with the 4-variable optimize section (continuous except n_periods); ``local_trials``:
    the local stage's budget (0: none)."""
    doc = load_design(DEFAULT).model_dump(mode="json", exclude_none=True)
    doc.pop("sweep", None), doc.pop("mask", None)
    doc["fidelity"] = "analytic"
    doc["optimize"] = {"variables": {k: {"low": lo, "high": hi} for k, (lo, hi) in BOX.items()}, "n_trials": trials,
                       "batch_size": 8, "startup_trials": 16, "seed": seed, "refine": {"rcwa_top_n": 0}}
    if local_trials:
        doc["optimize"]["local_search"] = {"n_trials": local_trials}
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


def run_seed(args, seed: int, tmp: Path, grid: dict) -> dict:
    """One optimiser run (fresh cache: ``computed`` is every model evaluation) against the grid's optimum."""
    spec = problem(args.trials, seed, args.local_trials)
    stage = Stage(cache=ResultCache(tmp / f"opt{seed}"), spec=spec, workers=1, scheduler=None, progress=False)
    t0 = time.perf_counter()
    trials = run_search(spec, out=tmp / f"opt{seed}", stage=stage, progress=False)
    wall = time.perf_counter() - t0
    o = best_feasible(trials, 1)[0]
    dist = {k: abs(o.values[k] - grid["best"][k]) / grid["steps"][k] for k in BOX}
    return {"seed": seed, "trials": len(trials), "evaluations": stage.computed, "best": o.values,
            "best_jth_a_per_cm2": o.score.objective, "wall_s": wall, "distance_in_grid_steps": dist,
            "within_one_step": all(d <= 1.0 + 1e-9 for d in dist.values()),
            "not_worse_than_grid": o.score.objective <= grid["jth"] * (1 + 1e-9),
            "within_grid_resolution": o.score.objective <= max(grid["neighbours"], default=grid["jth"]),
            "evaluation_ratio": grid["evaluations"] / max(1, stage.computed)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--per-axis", type=int, default=6)
    ap.add_argument("--trials", type=int, default=48, help="TPE trials (16 of them random start-up)")
    ap.add_argument("--local-trials", type=int, default=72, help="the local stage's budget (0: TPE alone)")
    ap.add_argument("--seeds", default="0,1,2,3,4")
    ap.add_argument("-o", "--out", type=Path, default=None)
    args = ap.parse_args()
    spec, axes = problem(args.trials, 0, args.local_trials), grid_values(args.per_axis)
    steps = {k: (hi - lo) / (args.per_axis - 1) for k, (lo, hi) in BOX.items()}
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    with tempfile.TemporaryDirectory() as tmp:
        grid_stage = Stage(cache=ResultCache(Path(tmp) / "grid"), spec=spec, workers=1, scheduler=None, progress=False)
        t0 = time.perf_counter()
        g_best, g_jth, g_n, g_table = run_grid(spec, axes, grid_stage)
        grid = {"best": g_best, "jth": g_jth, "evaluations": g_n, "wall_s": time.perf_counter() - t0,
                "steps": steps, "neighbours": neighbour_jth(axes, g_best, g_table), "load_1_5_15": os.getloadavg()}
        print(json.dumps({"grid": grid}, default=float), flush=True)
        seeds = []
        for seed in (int(x) for x in args.seeds.split(",")):
            seeds.append(run_seed(args, seed, Path(tmp), grid))
            print(json.dumps(seeds[-1], default=float), flush=True)
    out = {"started": started, "finished": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
           "load_1_5_15": os.getloadavg(), "model": "device CMT, analytic cells (J_th A/cm^2)",
           "grid_per_axis": args.per_axis, "tpe_trials": args.trials, "local_trials": args.local_trials,
           "grid": grid, "seeds": seeds,
           "all_within_one_step": all(r["within_one_step"] for r in seeds),
           "max_evaluations": max(r["evaluations"] for r in seeds)}
    print(json.dumps(out, indent=2, default=float))
    if args.out:
        args.out.write_text(json.dumps(out, indent=2, default=float) + "\n")


if __name__ == "__main__":
    main()
