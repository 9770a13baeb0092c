"""Every allowed rank metric ranks designs (they are record field names, with units), in its own direction, and
the shipped default design's winners lie inside its wavelength window by the dispersion-consistent numbers."""

from __future__ import annotations

import pathlib
import typing

import pandas as pd
import pytest

from perocav.designs.pipeline import RunOptions, run_design
from perocav.designs.spec import RANK_DIRECTION, RankMetric, load_design
from perocav.fdtd.models.dfb.bragg import direct_region_neff
from perocav.pdk.stacks import get_stack

DESIGN = """\
name: rank
stack: {{name: transparent_MAPbI3}}
cavity: {{type: dfb, order: 2, period_nm: 380, duty_cycle: 0.4, n_periods: 120{pump}}}
sweep:
  grid:
    period_nm: [370, 380]
    duty_cycle: [0.3, 0.7]
fidelity: analytic
objective: {{wavelength_window_nm: [770, 820], rank_by: {metric}}}
drive: {{pulse_ns: 1000, rep_rate_khz: 10, n_pulses: 1, opening_diameter_um: 50}}
gain_material: {{gain_model: seed}}  # every design lases (with the spectral gain 380 nm / 0.7 at ~801 nm does not)
"""


def test_metric_names_are_the_allowed_literals():
    assert set(typing.get_args(RankMetric)) == set(RANK_DIRECTION)


def test_metric_names_are_record_fields():
    """Every rank metric is a field of the metrics every evaluator fills, the thermal column derived from it, or a
    device record's column (a device design's emission)."""
    from dataclasses import fields

    from perocav.designs.records import DesignMetrics
    from perocav.designs.thermal_rank import RISE

    device = {"eta_up", "central_lobe_fraction", "lobe_angle_deg"}
    assert set(RANK_DIRECTION) <= {f.name for f in fields(DesignMetrics)} | {RISE} | device


@pytest.mark.slow
@pytest.mark.parametrize("metric", sorted(RANK_DIRECTION))
def test_every_metric_ranks(tmp_path, metric):
    path = tmp_path / "d.yaml"
    # a device's emission needs a device: the pump opening (the other metrics rank the uniformly pumped cell)
    path.write_text(DESIGN.format(metric=metric, pump=", pump: {opening_um: 30}" if metric == "eta_up" else ""))
    run_design(load_design(path), out_dir=tmp_path / "out",
               options=RunOptions(workers=1, progress=False, report=False, mask=False))
    table = pd.read_parquet(tmp_path / "out" / "results.parquet")
    assert metric in table.columns
    ranked = table.dropna(subset=["rank"]).sort_values("rank")
    assert len(ranked) == len(table) == 4  # every design is feasible here and gets a rank
    values = list(ranked[metric])
    assert values == sorted(values, reverse=RANK_DIRECTION[metric] == "max")


@pytest.mark.slow
def test_default_design_bragg_points_and_winners(tmp_path):
    """The shipped default design: every reported Bragg wavelength solves the Bragg condition to 0.01 nm (re-checked
    with direct slab solves on a sample), and every ranked design lies in the objective's window."""
    text = pathlib.Path("designs/default.yaml").read_text()
    assert "fidelity: screen" in text
    path = tmp_path / "default_analytic.yaml"  # its analytic stage (the FDTD stage is the main job's)
    path.write_text(text.replace("fidelity: screen", "fidelity: analytic"))
    spec = load_design(path)
    run_design(load_design(path), out_dir=tmp_path / "main",
               options=RunOptions(workers=2, progress=False, report=False, mask=False))
    table = pd.read_parquet(tmp_path / "main" / "results.parquet")
    assert (table.status == "ok").all()
    long = pd.read_parquet(tmp_path / "main" / "results_long.parquet")
    residual = long[(long.stage == "analytic") & (long.quantity == "bragg_residual_nm")]
    assert len(residual) == len(table) and (residual.value.abs() < 0.01).all()
    stack = get_stack("transparent_MAPbI3", thickness_nm={"perovskite": 150})
    for _, row in table.iloc[::9].iterrows():
        lam, p, d = row.bragg_wavelength_nm, row["period_nm"], row["duty_cycle"]
        n = d * direct_region_neff(stack=stack, region="tooth", wavelength_nm=lam) + (1 - d) * direct_region_neff(
            stack=stack, region="gap", wavelength_nm=lam)
        assert abs(lam - p * n) < 0.01  # 2nd order: lambda = n_avg Lambda
    lo, hi = spec.objective.wavelength_window_nm
    ranked = table.dropna(subset=["rank"])
    assert len(ranked) > 0 and ranked.wavelength_nm.between(lo, hi).all()
