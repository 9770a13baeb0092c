"""Tutorial 6: optimise a device instead of sweeping it (docs/tutorial-6-optimise-a-device.md).

The default device (designs/default_optimize.yaml: the 2nd-order DFB of designs/default.yaml with its 50 um LED
opening) with six free variables: period, duty cycle, number of periods, opening, opening offset and perovskite
thickness. ``perocav optimize`` searches them with optuna's TPE sampler on the coupled-mode device model
(analytic unit cells), re-evaluates the best trials with RCWA unit cells (and, in the full run, the finite-device
FDTD), analyses the optimum's tolerance and puts it on the die with its bracket. The second call shows the resume:
every trial comes from the study journal and the cache. Writes ``summary.md`` (the table the doc quotes).

    .venv/bin/python examples/tutorial_6_optimise_a_device.py -o out/tutorial_6            # 200 trials + FDTD (~20 min of one core)
    .venv/bin/python examples/tutorial_6_optimise_a_device.py -o /tmp/t6 --quick           # 12 trials, no FDTD (< 1 min)
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import yaml

DESIGN = Path(__file__).resolve().parents[1] / "designs" / "default_optimize.yaml"
QUICK = {"n_trials": 12, "batch_size": 6, "startup_trials": 6, "refine": {"rcwa_top_n": 2, "fdtd": False}}


def design_file(out: Path, quick: bool) -> Path:
    """The tutorial's design file: the shipped one, or its quick variant (fewer trials, no FDTD)."""
    doc = yaml.safe_load(DESIGN.read_text())
    if quick:
        doc["name"] = "tutorial_6_quick"
        doc["optimize"].update(QUICK)
    path = out / "design.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False))
    return path


def optimize(design: Path, out: Path) -> dict:
    """``perocav optimize DESIGN -o OUT --json --workers 1`` as a user would call it."""
    cmd = [sys.executable, "-m", "perocav.designs.cli", "optimize", str(design), "-o", str(out), "--json",
           "--workers", "1"]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return json.loads(proc.stdout)


def summary_table(s: dict) -> str:
    """The numbers the doc quotes, one row each, with the model that produced them."""
    best, lad, tol = s["best_trial"], s["ladder"], s["tolerance"]
    opt = lad["candidates"][[c["rank_rcwa"] for c in lad["candidates"]].index(1)]
    rows = [("jth_search_a_per_cm2", best["objective"], best["model"]),
            ("jth_optimum_analytic_a_per_cm2", opt["jth_analytic_a_per_cm2"], "device CMT, analytic cells"),
            ("jth_optimum_rcwa_a_per_cm2", opt["jth_rcwa_a_per_cm2"], "device CMT, RCWA cells"),
            ("wavelength_rcwa_nm", opt["wavelength_rcwa_nm"], "device CMT, RCWA cells"),
            ("jth_tolerance_min_a_per_cm2", tol["jth_min_a_per_cm2"], tol["model"]),
            ("jth_tolerance_max_a_per_cm2", tol["jth_max_a_per_cm2"], tol["model"])]
    if lad["fdtd"]:
        rows.append(("jth_fdtd_a_per_cm2", lad["fdtd"]["jth_a_per_cm2"], lad["fdtd"]["model"]))
    lines = ["| quantity | value | model |", "|---|---|---|"]
    lines += [f"| {name} | {value:.2f} | {model} |" if name.endswith("_nm") else f"| {name} | {value:.4g} | {model} |"
              for name, value, model in rows]
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-o", "--out", type=Path, required=True)
    ap.add_argument("--quick", action="store_true", help="12 trials, RCWA of the best 2, no FDTD (< 1 min)")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    design = design_file(args.out, args.quick)
    first = optimize(design, args.out / "run")
    again = optimize(design, args.out / "run")  # resumed: nothing left to compute
    table = summary_table(first)
    (args.out / "summary.md").write_text(table)
    print(f"first call: {first['n_trials']} trials, {first['computed']} evaluations computed")
    print(f"second call: {again['computed']} computed, {again['from_cache']} from cache (resumed from the journal)")
    print("best trial:", ", ".join(f"{k}={v:.5g}" for k, v in first["best_trial"]["values"].items()))
    print("ladder:", first["ladder"]["moved"])
    print(table)


if __name__ == "__main__":
    main()
