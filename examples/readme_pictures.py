"""Regenerate the README's two pictures from a run of the default design: the J_th map of the report and the die.

    .venv/bin/python examples/readme_pictures.py -o out/readme    # runs `perocav main` there (about a minute)

Writes docs/img/report_map.png and docs/img/mask.png and prints the caption facts (date, model tiers, devices,
die size) the README's caption quotes."""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PEROCAV = str(Path(sys.executable).with_name("perocav"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-o", "--out", type=Path, default=Path("out/readme"))
    args = ap.parse_args()
    subprocess.run([PEROCAV, "main", "-o", str(args.out), "--no-progress", "--overwrite"], check=True,
                   stdout=subprocess.DEVNULL)
    img = ROOT / "docs" / "img"
    shutil.copyfile(args.out / "figures" / "map_threshold_current_density_a_per_cm2.png", img / "report_map.png")
    shutil.copyfile(next((args.out / "mask").glob("*_mask.png")), img / "mask.png")
    summary = json.loads((args.out / "summary.json").read_text())
    print(f"{datetime.now(timezone.utc):%Y-%m-%d}: {summary['files'].get('mask_die', '')}")


if __name__ == "__main__":
    main()
