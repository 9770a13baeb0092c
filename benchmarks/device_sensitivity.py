"""Sensitivity of the default design's analytic ranking to the device (issue 24): the pumped opening along the grating
(none = the whole grating, 90 / 70 / 50 / 30 um) and the recombination zone (uniform; 80 % / 50 % of the film at the
hole- or electron-side interface); the top 3 of the default sweep each time (the analytic device model main.sh ranks
first), and the same for the CsPbBr3 sweep (designs/cspbbr3_dfb_sweep.yaml) with and without the opening.

Run: OMP_NUM_THREADS=1 .venv/bin/python benchmarks/device_sensitivity.py"""

from __future__ import annotations

import math
import time
from pathlib import Path

from perocav.designs.evaluate_batch import evaluate_dfb_batch
from perocav.designs.spec import DfbCavity, expand_points, load_design

ROOT = Path(__file__).resolve().parents[1]


def top3(design: str, pump: dict | None) -> str:
    spec = load_design(ROOT / "designs" / design)
    pts = [p.model_copy(update={"cavity": DfbCavity.model_validate(p.cavity.model_dump() | {"pump": pump})})
           for p in expand_points(spec)]
    rows = []
    for i, r in evaluate_dfb_batch(pts):
        m = r.metrics
        if r.ok and math.isfinite(m.threshold_current_density_a_per_cm2):
            margin = r.device.solution.gain_margin_per_cm if r.device is not None else math.nan
            rows.append((m.threshold_current_density_a_per_cm2, pts[i].cavity, m, margin))
    rows.sort(key=lambda x: x[0])
    return "; ".join(f"{c.period_nm:g}/{c.duty_cycle:g} {m.wavelength_nm:.1f} nm J {j:.0f} g_p "
                     f"{m.threshold_modal_gain_per_cm:.0f}" + (f" margin {g:.0f}" if math.isfinite(g) else "")
                     for j, c, m, g in rows[:3]) + f"  [{len(rows)} of {len(pts)} lase]"


CASES = [("whole grating pumped", None), *[(f"opening {d} um, uniform", {"opening_um": d}) for d in (90, 70, 50, 30)],
         *[(f"opening 50 um, {side} {f:.0%}", {"opening_um": 50, "recombination_zone": {"side": side, "fraction": f}})
           for side in ("hole", "electron") for f in (0.8, 0.5)],
         ("opening 50 um, offset 15 um", {"opening_um": 50, "offset_um": 15})]


def main() -> None:
    t0 = time.perf_counter()
    for design in ("default.yaml", "cspbbr3_dfb_sweep.yaml"):
        print(f"== {design}")
        for label, pump in (CASES if design == "default.yaml" else CASES[:1] + CASES[3:4]):
            print(f"{label:30s}: {top3(design, pump)}")
    print(f"({time.perf_counter() - t0:.0f} s)")


if __name__ == "__main__":
    main()
