"""Tutorial 1: cavity design iteration on a new stack file (docs/tutorial-1-design-iteration.md).

Writes a stack YAML (TiO2 grating, PEDOT:PSS hole transport layer), a design YAML sweeping grating period and
duty cycle of a 2nd-order DFB, runs it (analytic model), prints the ranked table, then iterates once: the same
sweep with the hole transport layer's thickness as a third axis, to see what it costs.

    .venv/bin/python examples/tutorial_1_design_iteration.py -o out/tutorial_1            # full (a few minutes)
    .venv/bin/python examples/tutorial_1_design_iteration.py -o /tmp/t1 --quick           # small sweep, no report
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from perocav.designs.pipeline import RunOptions, run_design
from perocav.designs.spec import load_design

STACK_YAML = """\
# SiO2 / 40 nm TiO2 grating in SiO2 / ITO 20 / PEDOT:PSS 30 / MAPbI3 150 / ITO 20 / air
name: tio2_pedot_MAPbI3
substrate: SiO2
cover: air
layers:                      # bottom to top
  - {name: grating, material: TiO2, fill_material: SiO2, fill_fraction: 0.5, thickness_nm: 40, role: grating, layer: GRATING}
  - {name: ito_bottom, material: ITO, thickness_nm: 20, role: contact, layer: ITO_BOTTOM}
  - {name: htl, material: PEDOT:PSS, thickness_nm: 30, role: transport}
  - {name: perovskite, material: MAPbI3, thickness_nm: 150, role: gain, layer: PEROVSKITE}
  - {name: ito_top, material: ITO, thickness_nm: 20, role: contact, layer: ITO_TOP}
"""

DESIGN_YAML = """\
name: {name}
stack: {{name: stack.yaml}}          # relative to this design file
cavity: {{type: dfb, order: 2, period_nm: 390, duty_cycle: 0.3, n_periods: 250}}
sweep:
  grid:
    period_nm: {periods}
    duty_cycle: {duties}
{extra_axis}objective: {{wavelength_window_nm: [770, 800], rank_by: threshold_current_density_a_per_cm2}}
"""

COLUMNS = {  # results-table column -> short header
    "rank": "rank", "period_nm": "period_nm", "duty_cycle": "duty", "wavelength_nm": "lambda_nm",
    "kappa_per_cm": "kappa_per_cm", "modal_loss_per_cm": "loss_per_cm", "q_estimate": "Q",
    "threshold_current_density_a_per_cm2": "J_th_A_per_cm2", "feasible": "feasible",
}


def ranked(results_csv: Path, extra: tuple[str, ...] = ()) -> pd.DataFrame:
    """The run's table, ranked designs first, the columns a designer reads."""
    df = pd.read_csv(results_csv)
    cols = {**{c: c for c in extra}, **COLUMNS}
    return df.sort_values("rank", na_position="last")[list(cols)].rename(columns=cols)


def iterate(work: Path, *, name: str, periods: list, duties: list, extra_axis: str, report: bool) -> Path:
    """Write the design file beside the stack file, run it, return its output folder."""
    design = work / f"{name}.yaml"
    design.write_text(DESIGN_YAML.format(name=name, periods=periods, duties=duties, extra_axis=extra_axis))
    summary = run_design(load_design(design), out_dir=work / name,
                         options=RunOptions(workers=1, progress=False, report=report, mask=False))
    print(f"{name}: {summary.total} designs, {summary.failed} failed, {summary.wall_time_s:.1f} s")
    return Path(summary.out_dir)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-o", "--out", type=Path, default=Path("out/tutorial_1"))
    ap.add_argument("--quick", action="store_true", help="2 x 1 designs per iteration, no HTML report")
    args = ap.parse_args()
    work = args.out
    work.mkdir(parents=True, exist_ok=True)
    (work / "stack.yaml").write_text(STACK_YAML)
    periods, duties = ([380, 390], [0.25]) if args.quick else ([375, 380, 385, 390, 395, 400], [0.25, 0.3, 0.35, 0.7])

    # iteration 1: period x duty on the new stack
    out1 = iterate(work, name="iteration_1", periods=periods, duties=duties, extra_axis="", report=not args.quick)
    print(ranked(out1 / "results.csv").to_string(index=False))

    # iteration 2: is the 30 nm PEDOT:PSS worth its absorption? add its thickness as an axis (0 removes it)
    axis = "    thickness_nm.htl: [0, 30]\n"
    out2 = iterate(work, name="iteration_2", periods=periods, duties=duties, extra_axis=axis, report=not args.quick)
    table = ranked(out2 / "results.csv", extra=("thickness_nm.htl",))
    print(table.to_string(index=False))
    best = table.iloc[0]
    print(f"best: period {best.period_nm:g} nm, duty {best.duty:g}, HTL {best['thickness_nm.htl']:g} nm -> "
          f"{best.lambda_nm:.2f} nm, J_th {best.J_th_A_per_cm2:.0f} A/cm^2")


if __name__ == "__main__":
    main()
