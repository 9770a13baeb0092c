"""Regenerate the README's two pictures from a run of the default design: the J_th map of the report and the die.

    .venv/bin/python examples/readme_pictures.py -o out/readme    # runs `perocav main` there (minutes: MEEP)
    .venv/bin/python examples/readme_pictures.py --from-run DIR   # the pictures and facts of a finished main run

Writes docs/img/report_map.png, docs/img/mask.png and docs/img/readme_pictures.json: the caption facts (date, the
model tiers of the table, window, designs, devices, die size) the README's caption quotes, and the die's smallest
feature / gap per level that tutorial 2 quotes; prints the phrases the caption must hold
(tests/test_readme_pictures.py checks the README and tutorial 2 against the JSON)."""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import yaml

ROOT = Path(__file__).resolve().parents[1]
IMG = ROOT / "docs" / "img"
PEROCAV = str(Path(sys.executable).with_name("perocav"))
#: README picture (docs/img/NAME) -> the run's file it is a copy of (a glob under the run folder)
PICTURES = {"report_map.png": "figures/map_threshold_current_density_a_per_cm2.png", "mask.png": "mask/*_mask.png"}
#: how the caption names a tier of the results table's ``model`` column
TIER_WORDS = {"fdtd": "FDTD (MEEP)", "rcwa": "RCWA", "analytic": "analytic model"}


def caption_facts(run_dir: Path) -> dict:
    """The facts of a finished run the README caption quotes: date (UTC day of the run record), the model tiers
    of its table, the objective's window, the designs on the die, its devices and size; and the die's smallest
    drawn feature and gap per level [nm] (the manifest's lithography note)."""
    summary = json.loads((run_dir / "summary.json").read_text())
    design = yaml.safe_load((run_dir / "design.yaml").read_text())
    manifest = json.loads(next((run_dir / "mask").glob("*_manifest.json")).read_text())
    width_um, height_um = manifest["die_size_um"]
    devices = manifest["devices"]
    lo, hi = design["objective"]["wavelength_window_nm"]
    litho = {level: [v["min_feature_nm"], v["min_gap_nm"]] for level, v in manifest["lithography"].items()}
    return {"date": summary["record"]["date_utc"][:10], "commit": summary["record"].get("git_commit", ""),
            "lithography_nm": litho,
            "models": sorted(set(pd.read_csv(run_dir / "results.csv")["model"].dropna())),
            "window_nm": f"{lo:g}-{hi:g}", "designs": sum(d["role"] == "design" for d in devices),
            "devices": len(devices), "die_mm": f"{width_um / 1000:g} x {height_um / 1000:g} mm"}


def caption_phrases(facts: dict) -> list[str]:
    """The phrases the README caption must hold for ``facts`` (whitespace-insensitive)."""
    return [f"outside the {facts['window_nm']} nm window", f"the {facts['designs']} best designs",
            f"on {facts['die_mm']}, {facts['devices']} devices", f"`perocav main` on {facts['date']}",
            *(TIER_WORDS[m] for m in facts["models"])]


def readme_caption_misses(facts: dict, readme_text: str) -> list[str]:
    """The phrases of ``facts`` the README text lacks (empty: the caption says what the run gave)."""
    flat = " ".join(readme_text.split())
    return [p for p in caption_phrases(facts) if " ".join(p.split()) not in flat]


def shown_pictures(readme_text: str) -> set[str]:
    """The docs/img files the README shows."""
    return set(re.findall(r'src="docs/img/([^"]+)"', readme_text))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-o", "--out", type=Path, default=Path("out/readme"))
    ap.add_argument("--from-run", type=Path, default=None, help="a finished `perocav main` folder (no new run)")
    args = ap.parse_args()
    run_dir = args.from_run or args.out
    if args.from_run is None:
        subprocess.run([PEROCAV, "main", "-o", str(args.out), "--no-progress", "--overwrite"], check=True,
                       stdout=subprocess.DEVNULL)
    for name, pattern in PICTURES.items():
        shutil.copyfile(next(run_dir.glob(pattern)), IMG / name)
    facts = caption_facts(run_dir)
    (IMG / "readme_pictures.json").write_text(json.dumps(facts, indent=1) + "\n")
    print("the README caption must say:", *caption_phrases(facts), sep="\n  ")
    misses = readme_caption_misses(facts, (ROOT / "README.md").read_text())
    print("README caption up to date" if not misses else f"README caption lacks: {misses}")


if __name__ == "__main__":
    main()
