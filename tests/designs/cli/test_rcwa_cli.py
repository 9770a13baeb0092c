"""``perocav simulate dfb --solver rcwa`` and ``fidelity: rcwa``: the RCWA unit cell through the CLI and the
design-file evaluator, on the dispersive PDK stacks of both perovskites (no MEEP, no pixel rule)."""

import json
import math

import pytest

from perocav.designs.evaluate import EVALUATOR_VERSIONS, EvalTask, evaluate_point
from perocav.designs.spec import expand_points, load_design
from tests.conftest import assert_one_line_error

pytestmark = pytest.mark.slow


def test_simulate_dfb_rcwa_json_on_the_default_stack(cli):
    """transparent_MAPbI3, 385 nm, duty 0.3, 2nd order (the default design point of issue 10), at 20 nm ITO where MEEP
    needs 200 px/um: both edges, the radiating one long, its Fano fit equal to the pole search, kappa and h; the
    edges bracket the Bragg centre (the duty-averaged guide, dispersive)."""
    proc = cli("simulate", "dfb", "--solver", "rcwa", "--stack", "transparent_MAPbI3", "--period-nm", "385",
               "--duty", "0.3", "--order", "2", "--json")
    assert proc.returncode == 0, proc.stderr
    d = json.loads(proc.stdout)
    assert d["model"] == "rcwa" and d["status"] == "ok" and d["converged"], d["warnings"]
    assert d["confinement_model"] == "analytic" and 0 < d["confinement_power"] < 1
    assert 780 < d["edge_short_nm"] < d["bragg_wavelength_nm"] < d["edge_long_nm"] < 815
    assert d["radiating_edge"] == "long" and d["q_long"] < d["q_short"]
    # real-axis fit (exact n,k per wavelength) vs complex pole (first-order continuation of eps): measured 7.4e-4 nm
    assert abs(d["fano_wavelength_nm"] - d["pole_search_radiating_nm"]) < 2e-3
    assert 100 < d["kappa_per_cm"] < 1000 and d["radiation_per_cm"] > 0
    assert d["resolution_px_per_um"] is None and d["n_harmonics"] >= 10
    assert "N = " in proc.stderr  # progress


def test_simulate_dfb_rcwa_refuses_finite_mode_and_unknown_solver(cli):
    assert_one_line_error(cli("simulate", "dfb", "--solver", "rcwa", "--mode", "finite"), "mode", "unit_cell (rcwa)")
    assert_one_line_error(cli("simulate", "dfb", "--solver", "fdfd"), "solver", "meep, rcwa")


def test_fidelity_rcwa_evaluates_a_cspbbr3_design_point():
    """fidelity: rcwa on the CsPbBr3 sweep file's first point (2nd order, 265 nm: the duty-averaged guide's Bragg point
    lies inside the 528-550 nm gain window, where CsPbBr3's index falls steeply: n_g > 4): a record with both edges
    around it, Q, kappa and the threshold chain."""
    spec = load_design("designs/cspbbr3_dfb_sweep.yaml")
    point = expand_points(spec)[0]
    assert point.cavity.period_nm == 265 and point.cavity.order == 2
    res = evaluate_point(EvalTask(key="", point=point, fidelity="rcwa"))
    assert res.status == "ok", res.error
    rec, m = res.solver, res.metrics
    assert res.fidelity == "rcwa" and EVALUATOR_VERSIONS["rcwa"] == "dfb-rcwa/7"
    assert rec.edge_short_nm < rec.bragg_wavelength_nm < rec.edge_long_nm
    assert 528 < rec.bragg_wavelength_nm < 550  # the stack's gain window
    assert rec.group_index > 4 and rec.kappa_per_cm > 0 and math.isfinite(m.q_estimate)
    assert m.threshold_current_density_a_per_cm2 > 0
