"""Tutorial 2: mask tapeout from chosen designs (docs/tutorial-2-mask-tapeout.md).

Takes the best designs of a finished run (its results.csv; e.g. tutorial 1's) and writes a mask YAML with one
design block per chosen design: the design, a bracketing DOE around it (period +-2 steps, duty +-1 step),
repeats and control devices. Then builds the die with `perocav mask` (DRC-checked GDS, one GDS per level,
manifest, KLayout layer properties), re-checks the GDS with `perocav drc` and reads the manifest back.

    .venv/bin/python examples/tutorial_2_mask_tapeout.py --run out/tutorial_1/iteration_2 -o out/tutorial_2
    .venv/bin/python examples/tutorial_2_mask_tapeout.py --run /tmp/t1/iteration_2 -o /tmp/t2 --quick
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import yaml


def chosen_designs(results_csv: Path, *, top_n: int) -> pd.DataFrame:
    """The ``top_n`` best ranked designs (feasible ones only carry a rank) with distinct lateral geometry: a mask
    draws the cavity, so designs that differ only in layer thicknesses (the stack) share one block."""
    df = pd.read_csv(results_csv)
    ranked = df[df["rank"].notna()].sort_values("rank")
    cavity = [c for c in ("order", "period_nm", "duty_cycle", "n_periods") if c in ranked]
    return ranked.drop_duplicates(subset=cavity).head(top_n)


def mask_file(designs: pd.DataFrame, *, name: str, repeats: int, bracket: bool) -> dict:
    """A layout mask file (see designs/masks/example_mask.yaml) with one design block per chosen design."""
    blocks = []
    for _, row in designs.iterrows():
        cavity = {"order": int(row["order"]), "period_nm": float(row["period_nm"]),
                  "duty_cycle": float(row["duty_cycle"]), "n_periods": int(row["n_periods"]),
                  "stripe_width_um": 60}
        axes = {"cavity_params.period_nm": {"step": 5, "steps": 2},
                "cavity_params.duty_cycle": {"step": 0.05, "steps": 1}} if bracket else {}
        blocks.append({
            "name": f"rank{int(row['rank'])}",
            "params": {"cavity": "dfb_grating", "cavity_params": cavity,
                       "pixel_params": {"opening": "circle", "opening_diameter_um": 50}},
            "bracket": axes, "repeats": repeats, "controls": ["no_grating", "no_electrodes"],
        })
    return {"name": name, "die": {"width_um": 6000, "height_um": 6000, "pitch_x_um": 450, "pitch_y_um": 320},
            "designs": blocks}


def perocav(*args: str) -> subprocess.CompletedProcess:
    """The installed CLI (same interpreter)."""
    return subprocess.run([sys.executable, "-m", "perocav.designs.cli", *map(str, args)],
                          capture_output=True, text=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--run", type=Path, required=True, help="a finished run's folder (holds results.csv)")
    ap.add_argument("-o", "--out", type=Path, default=Path("out/tutorial_2"))
    ap.add_argument("--top-n", type=int, default=2)
    ap.add_argument("--quick", action="store_true", help="one design, no repeats, no bracket")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)

    designs = chosen_designs(args.run / "results.csv", top_n=1 if args.quick else args.top_n)
    spec = mask_file(designs, name="tutorial_die", repeats=0 if args.quick else 2, bracket=not args.quick)
    mask_yaml = args.out / "tutorial_die.yaml"
    mask_yaml.write_text(yaml.safe_dump(spec, sort_keys=False))
    print(f"mask file: {mask_yaml} ({len(designs)} chosen designs)")

    built = perocav("mask", mask_yaml, "-o", args.out / "die", "--json")
    if built.returncode != 0:
        sys.exit(f"perocav mask failed:\n{built.stderr}")
    print(json.dumps(json.loads(built.stdout), indent=1)[:800])

    gds = args.out / "die" / "tutorial_die.gds"
    drc = perocav("drc", gds, "--json")
    violations = json.loads(drc.stdout)["violations"]
    print(f"DRC of {gds.name}: {len(violations)} violations (exit {drc.returncode})")

    manifest = pd.read_csv(args.out / "die" / "tutorial_die_manifest.csv")
    cols = ["device_id", "group", "role", "control", "x_um", "y_um", "param.cavity_params.period_nm",
            "param.cavity_params.duty_cycle"]
    print(manifest[[c for c in cols if c in manifest]].to_string(index=False))
    if violations or drc.returncode:
        sys.exit(1)


if __name__ == "__main__":
    main()
