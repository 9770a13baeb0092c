"""Tutorial 4: designing for a single-lobe surface emitter (docs/tutorial-4-single-lobe-emitter.md).

A 2nd-order DFB on the transparent MAPbI3 stack, pumped through a 50 um LED opening, four ways (analytic unit cells,
coupled-mode device model "device CMT"):
  1. a uniform grating: its lowest mode is the antisymmetric band edge, a double lobe with a null at normal;
  2. a central quarter-wave shift (phi step pi/2): a lower threshold, its lowest mode one central lobe;
  3. a central half-wave shift (phi step pi, Witjaksono & Botez 2001): the same threshold, one central lobe;
  4. mixed order: 1st-order feedback sections around a 2nd-order outcoupler with the same central half-wave step:
     a lower threshold, still one central lobe.
Each is a design file with the same objective: keep single-lobe beams under a J_th cap, rank by eta_up. Writes the
four runs and ``comparison.md`` (one column per device, its best-ranked or first design) into the output folder.

    .venv/bin/python examples/tutorial_4_single_lobe_emitter.py -o out/tutorial_4            # 3 periods each, report
    .venv/bin/python examples/tutorial_4_single_lobe_emitter.py -o /tmp/t4 --quick           # 1 period each, no report
"""

from __future__ import annotations

import argparse
import math
import time
from pathlib import Path

import pandas as pd

from perocav.designs.pipeline import RunOptions, run_design
from perocav.designs.spec import load_design

DESIGN_YAML = """\
name: {name}
stack: {{name: transparent_MAPbI3}}
cavity:
  type: dfb
  order: 2
  period_nm: 370
  duty_cycle: 0.7
  n_periods: {n_periods}
  pump: {{opening_um: 50}}
{grating}
sweep:
  grid:
    period_nm: {periods}
fidelity: analytic
objective:
  single_central_lobe: true        # one central lobe with >= half the radiated power
  max_threshold_a_per_cm2: {cap}     # a J_th cap ...
  rank_by: eta_up                  # ... and the most light upward under it
"""
#: the gratings: uniform, a quarter-wave step (phase_shift), a half-wave step at the centre, and mixed order with it
GRATINGS = {
    "uniform": "",
    "quarter_wave": "  phase_shift: quarter_wave",
    "half_wave": "  sections:\n    - {order: 2, n_periods: 125}\n    - {order: 2, n_periods: 125, phase_step: half_wave}",
    "mixed_half_wave": "  sections:\n    - {order: 1, n_periods: 150}\n    - {order: 2, n_periods: 20}\n"
                       "    - {order: 2, n_periods: 20, phase_step: half_wave}\n    - {order: 1, n_periods: 150}",
}
#: the grating's total periods (the sections' sum)
N_PERIODS = {"mixed_half_wave": 340}
#: the J_th cap [A/cm^2] of the objective
CAP_A_PER_CM2 = 600
ROWS = {"threshold_current_density_a_per_cm2": "{:.1f}", "wavelength_nm": "{:.2f}", "eta_up": "{:.4f}",
        "central_lobe_fraction": "{:.3f}", "lobe_angle_deg": "{:.3f}", "slope_efficiency_w_per_a": "{:.4f}",
        "differential_quantum_efficiency": "{:.4f}", "single_lobe": "{}", "rank": "{}"}


def run_one(work: Path, name: str, periods: list[float], *, report: bool) -> pd.DataFrame:
    """Write one design file, run it, return its results table (rank order) with each design's differential
    quantum efficiency from the long table."""
    path = work / f"{name}.yaml"
    path.write_text(DESIGN_YAML.format(name=name, grating=GRATINGS[name], periods=periods, cap=CAP_A_PER_CM2,
                                       n_periods=N_PERIODS.get(name, 250)))
    summary = run_design(load_design(path), out_dir=work / name,
                         options=RunOptions(workers=1, progress=False, report=report, mask=False))
    print(f"{name}: {summary.total} designs, {summary.failed} failed, {summary.wall_time_s:.1f} s")
    table = pd.read_csv(work / name / "results.csv")
    long = pd.read_csv(work / name / "results_long.csv")  # every number of every stage, one per row
    eta_d = long[long["quantity"] == "differential_quantum_efficiency"].set_index("key")["value"]
    return table.assign(differential_quantum_efficiency=table["key"].map(eta_d))


def column(table: pd.DataFrame) -> dict[str, str]:
    """The comparison cells of a run's best-ranked design (its first design when none meets the objective)."""
    row = table.iloc[0]
    single = bool(row["central_lobe_fraction"] >= 0.5)
    values = {**row.to_dict(), "single_lobe": "yes" if single else "no",
              "rank": "-" if math.isnan(row["rank"]) else int(row["rank"])}
    return {k: fmt.format(values[k]) for k, fmt in ROWS.items()}


def markdown(columns: dict[str, dict[str, str]]) -> str:
    head = "| quantity (device CMT) | " + " | ".join(columns) + " |\n|---|" + "---|" * len(columns) + "\n"
    return head + "".join(f"| {k} | " + " | ".join(c[k] for c in columns.values()) + " |\n" for k in ROWS)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-o", "--out", type=Path, default=Path("out/tutorial_4"))
    ap.add_argument("--quick", action="store_true", help="one period per device, no HTML report")
    args = ap.parse_args()
    work = args.out
    work.mkdir(parents=True, exist_ok=True)
    periods = [370] if args.quick else [365, 370, 375]
    t0 = time.perf_counter()
    tables = {name: run_one(work, name, periods, report=not args.quick) for name in GRATINGS}
    text = markdown({name: column(t) for name, t in tables.items()})
    (work / "comparison.md").write_text(text)
    print(text)
    chosen = {name: t[t["rank"].notna()] for name, t in tables.items()}
    for name, t in chosen.items():
        if t.empty:
            print(f"{name}: no design meets the objective (single central lobe, J_th <= {CAP_A_PER_CM2} A/cm^2)")
        else:
            best = t.iloc[0]
            print(f"{name}: chosen period {best['period_nm']:g} nm: eta_up {best['eta_up']:.4f}, central lobe "
                  f"{best['central_lobe_fraction']:.3f}, J_th {best['threshold_current_density_a_per_cm2']:.0f} A/cm^2")
    picks = {name: t.iloc[0] for name, t in chosen.items() if not t.empty}
    if picks:  # the objective across the runs: the most light upward among the single-lobe designs under the cap
        name = max(picks, key=lambda n: picks[n]["eta_up"])
        print(f"across the devices: {name} (eta_up {picks[name]['eta_up']:.4f})")
    print(f"total {time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()
