"""The optimised default device against the best grid-swept design, at the same constraints (the default's
770-800 nm window) and at every rung: device CMT on analytic cells, device CMT on RCWA cells, finite-device FDTD.
The grid winner comes from a finished ``perocav main`` run (its ``results.csv``, rank 1), the optimum from a finished
``perocav optimize designs/default_optimize.yaml`` run (its ``optimize.json``); both are evaluated here through the
optimize run's cache and FDTD store (the optimum's FDTD is not repeated). Prints a Markdown table and the load.

Run: OMP_NUM_THREADS=1 .venv/bin/python benchmarks/optimize_vs_grid.py --grid-run out/main --opt-run out/opt"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

import pandas as pd

from perocav.designs.cache import ResultCache
from perocav.designs.optimize.fdtd_check import FdtdCheck, fdtd_check
from perocav.designs.optimize.points import trial_point
from perocav.designs.spec import load_design
from perocav.designs.stage import Stage

DESIGN = Path(__file__).resolve().parents[1] / "designs" / "default_optimize.yaml"


def rungs(spec, values: dict, *, stage: Stage, out: Path, fdtd: bool = True) -> dict:
    """J_th [A/cm^2] and lasing line [nm] of the design at ``values`` at the three rungs (``fdtd``: False leaves
    the finite-device FDTD out: NaN)."""
    point = trial_point(spec, values).point
    ana = stage.run([point], "analytic")[0]
    rcwa = stage.run([point], "rcwa", earlier=[ana])[0]
    if not rcwa.ok:
        raise SystemExit(f"RCWA rung failed for {values}: {rcwa.error}")
    nan = float("nan")
    fd = fdtd_check(rcwa, out=out) if fdtd else FdtdCheck(nan, nan, nan, nan, nan, nan, model="not run")
    return {"values": values, "jth_analytic": ana.metrics.threshold_current_density_a_per_cm2,
            "wl_analytic": ana.metrics.wavelength_nm, "jth_rcwa": rcwa.metrics.threshold_current_density_a_per_cm2,
            "wl_rcwa": rcwa.metrics.wavelength_nm, "rcwa_model": rcwa.device.model, "jth_fdtd": fd.jth_a_per_cm2,
            "wl_fdtd": fd.wavelength_nm, "g_mat_fdtd": fd.threshold_material_gain_per_cm,
            "fdtd_cpu_s": fd.cpu_time_s}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--grid-run", type=Path, required=True)
    ap.add_argument("--opt-run", type=Path, required=True)
    ap.add_argument("--no-grid-fdtd", action="store_true", help="leave out the grid winner's finite-device FDTD")
    args = ap.parse_args()
    spec = load_design(DESIGN)
    table = pd.read_csv(args.grid_run / "results.csv")
    best = table[table["rank"] == 1].iloc[0]
    grid_values = {"period_nm": float(best.period_nm), "duty_cycle": float(best.duty_cycle)}
    opt = json.loads((args.opt_run / "optimize.json").read_text())
    opt_values = opt["ladder"]["optimum"]["trial_values"]
    stage = Stage(cache=ResultCache(args.opt_run / "cache"), spec=spec, workers=1, scheduler=None, progress=False)
    rows = {"grid best (main)": rungs(spec, grid_values, stage=stage, out=args.opt_run, fdtd=not args.no_grid_fdtd),
            "optimised": rungs(spec, opt_values, stage=stage, out=args.opt_run)}
    print(f"date {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, load {os.getloadavg()}")
    print(f"grid run's own best: J_th {best.threshold_current_density_a_per_cm2:.4g} A/cm^2 (model {best.model})")
    print("| design | J_th device CMT, analytic cells | J_th device CMT, RCWA cells | J_th finite-device FDTD | "
          "line FDTD [nm] |")
    print("|---|---|---|---|---|")
    for name, r in rows.items():
        print(f"| {name} | {r['jth_analytic']:.4g} | {r['jth_rcwa']:.4g} | {r['jth_fdtd']:.4g} | {r['wl_fdtd']:.2f} |")
    print(json.dumps(rows, indent=2, default=float))


if __name__ == "__main__":
    main()
