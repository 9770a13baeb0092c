"""Tutorial 3: an FDTD validation study of one design (docs/tutorial-3-fdtd-validation.md).

One 2nd-order DFB under the transparent MAPbI3 stack (period 385 nm, duty 0.25), four models side by side:
  1. coupled-mode theory from the two regions' effective indices (``perocav cmt``: Fourier-harmonic kappa),
  2. the analytic model of the pipeline (mode-overlap kappa, Kazarinov-Henry radiation, Kogelnik-Shank threshold),
  3. RCWA of the unit cell (rigorous, the materials' own n,k at every wavelength; ``perocav.fdtd.rcwa``),
  4. MEEP FDTD of the unit cell (Bloch-periodic, media frozen self-consistently at each band edge).
Writes ``comparison.json`` and ``comparison.md`` into the output folder.

    .venv/bin/python examples/tutorial_3_fdtd_validation.py -o out/tutorial_3           # pixel rule, converged (tens of minutes)
    .venv/bin/python examples/tutorial_3_fdtd_validation.py -o /tmp/t3 --quick          # 100 px/um, one run (~1 min)
"""

from __future__ import annotations

import argparse
import json
import math
import time
from pathlib import Path

from perocav.fdtd.models.dfb.cmt import analyze_dfb_from_indices
from perocav.fdtd.models.dfb.dfb_analytic import analyze_dfb_on_stack
from perocav.fdtd.dfb import simulate_dfb
from perocav.fdtd.models.dfb.grating import DfbGrating
from perocav.fdtd.settings import FdtdSettings
from perocav.fdtd.rcwa import simulate_dfb_rcwa
from perocav.pdk.stacks import get_stack

DESIGN = {"period_nm": 385.0, "duty_cycle": 0.25, "order": 2}
N_PERIODS = 250
ROWS = ("edge_short_nm", "edge_long_nm", "radiating_edge", "kappa_per_cm", "radiation_per_cm",
        "threshold_modal_gain_per_cm")


def coupled_mode(stack) -> dict:
    """Index-based CMT: kappa from the tooth / gap effective indices (the analytic model supplies them)."""
    grating = DfbGrating(**DESIGN, n_periods=N_PERIODS)
    ana = analyze_dfb_on_stack(stack=stack, **DESIGN, length_um=grating.length_um)
    cmt = analyze_dfb_from_indices(neff_high=ana.neff_high, neff_low=ana.neff_low, grating=grating,
                                   group_index=ana.group_index, radiation_per_cm=ana.radiation_per_cm)
    mirror = cmt.modes[0].power_gain_per_cm
    index_cmt = {"edge_short_nm": cmt.stopband_short_nm, "edge_long_nm": cmt.stopband_long_nm,
                 "radiating_edge": cmt.second_order.radiating_edge if cmt.second_order else None,
                 "kappa_per_cm": abs(cmt.kappa_per_cm), "radiation_per_cm": cmt.radiation_per_cm,
                 "threshold_modal_gain_per_cm": mirror + ana.modal_loss_per_cm}
    analytic = {"edge_short_nm": ana.cmt.stopband_short_nm, "edge_long_nm": ana.cmt.stopband_long_nm,
                "radiating_edge": ana.radiating_edge, "kappa_per_cm": abs(ana.kappa_per_cm),
                "radiation_per_cm": ana.radiation_per_cm,
                "threshold_modal_gain_per_cm": ana.threshold_modal_gain_per_cm}
    return {"cmt (region indices)": index_cmt, "analytic (overlap)": analytic}


def rigorous(stack, *, quick: bool) -> dict:
    """RCWA and MEEP unit cells of the same design."""
    t0 = time.perf_counter()
    rcwa = simulate_dfb_rcwa(stack=stack, grating=DfbGrating(**DESIGN, n_periods=N_PERIODS))
    t1 = time.perf_counter()
    if quick:  # one resolution, no convergence check (force: the 1st-order / lossy-media paths need 200 px/um)
        fdtd = simulate_dfb(stack=stack, grating=DfbGrating(**DESIGN, n_periods=N_PERIODS),
                            settings=FdtdSettings(resolution_px_per_um=100, converge=False, force=True))
    else:  # the pixel rule, then x1.5 rungs until the edges move < 0.2 nm
        fdtd = simulate_dfb(stack=stack, grating=DfbGrating(**DESIGN, n_periods=N_PERIODS),
                            settings=FdtdSettings(wavelength_tol_nm=0.2))
    t2 = time.perf_counter()
    out = {}
    for name, r, wall in (("rcwa", rcwa, t1 - t0), (f"meep fdtd ({fdtd.resolution_px_per_um:.0f} px/um)", fdtd, t2 - t1)):
        d = r.to_dict()
        out[name] = {k: d.get(k) for k in ROWS} | {"q_short": d.get("q_short"), "q_long": d.get("q_long"),
                                                    "wall_time_s": wall, "status": d.get("status"),
                                                    "warnings": d.get("warnings")}
    return out


def markdown(models: dict) -> str:
    names = list(models)
    lines = ["| quantity | " + " | ".join(names) + " |", "|---" * (len(names) + 1) + "|"]
    for row in (*ROWS, "q_short", "q_long", "wall_time_s"):
        cells = []
        for n in names:
            v = models[n].get(row)
            if v is None or (isinstance(v, float) and not math.isfinite(v)):
                cells.append("-")
            elif isinstance(v, float):
                cells.append(f"{v:.2f}" if row.endswith("_nm") else f"{v:.4g}")
            else:
                cells.append(str(v))
        lines.append(f"| {row} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-o", "--out", type=Path, default=Path("out/tutorial_3"))
    ap.add_argument("--quick", action="store_true", help="MEEP at 100 px/um, one resolution (no convergence check)")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    stack = get_stack("transparent_MAPbI3")
    models = {**coupled_mode(stack), **rigorous(stack, quick=args.quick)}
    (args.out / "comparison.json").write_text(json.dumps(models, indent=1) + "\n")
    table = markdown(models)
    (args.out / "comparison.md").write_text(table)
    print(f"transparent_MAPbI3, 2nd order, period {DESIGN['period_nm']:g} nm, duty {DESIGN['duty_cycle']:g}, "
          f"N = {N_PERIODS}\n{table}")


if __name__ == "__main__":
    main()
