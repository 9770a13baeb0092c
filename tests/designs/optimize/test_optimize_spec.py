"""The optimize: section: variables as cavity paths, strict checks with one line naming the file, the field and the
allowed range (exit 2), trial points judged by the cavity's and the die's rules, and the trial score."""

import json
import math

import pytest
import yaml

from perocav.designs.optimize.objective import NO_LASING_SCORE, _window
from perocav.designs.optimize.points import trial_point
from perocav.designs.optimize.search import distributions
from perocav.designs.optimize.variables import with_values
from perocav.designs.spec import load_design
from perocav.pdk.errors import InputError
from tests.inproc import assert_clean_refusal, run_inproc
from tests.paths import REPO_ROOT

DEFAULT_OPT = REPO_ROOT / "designs" / "default_optimize.yaml"


def _design(tmp_path, variables: dict, **cavity) -> str:
    doc = yaml.safe_load(DEFAULT_OPT.read_text())
    doc["optimize"]["variables"] = variables
    doc["cavity"].update(cavity)
    path = tmp_path / "d.yaml"
    path.write_text(yaml.safe_dump(doc))
    return str(path)


@pytest.mark.slow  # loads the default design (its checks build the grating cell)
def test_default_optimize_design_loads_with_six_variables():
    spec = load_design(DEFAULT_OPT)
    assert len(spec.optimize.variables) >= 6
    d = distributions(spec)
    assert type(d["n_periods"]).__name__ == "IntDistribution" and d["period_nm"].step == 1


@pytest.mark.slow  # loads the design file (its checks build the grating cell)
@pytest.mark.parametrize("variables, field, allowed", [
    ({"perod_nm": {"low": 350, "high": 400}}, "optimize.variables.perod_nm", "pump.opening_um"),
    ({"duty_cycle": {"low": 0.3, "high": 1.2}}, "optimize.variables.duty_cycle.high", ""),
    ({"period_nm": {"low": 400, "high": 350}}, "optimize.variables.period_nm", "low < high"),
    ({"thickness_nm.perovskit": {"low": 100, "high": 200}}, "optimize.variables.thickness_nm.perovskit",
     "thickness_nm.perovskite"),
    ({"apodization.min_duty": {"low": 0.2, "high": 0.4}}, "optimize.variables.apodization.min_duty", ""),
])
def test_bad_variable_is_one_line_naming_file_field_and_allowed(tmp_path, variables, field, allowed):
    path = _design(tmp_path, variables)
    with pytest.raises(InputError) as err:
        load_design(path)
    line = str(err.value)
    assert path in line and field in line and allowed in line and "\n" not in line
    res = run_inproc("optimize", path, "-o", tmp_path / "out")
    assert_clean_refusal(res, field)


@pytest.mark.slow  # loads the design file (its checks build the grating cell)
@pytest.mark.parametrize("local, field, allowed", [
    ({"n_trial": 5}, "optimize.local_search.n_trial", "documented keys"),
    ({"n_trials": -1}, "optimize.local_search.n_trials", ">= 0"),
    ({"scan_points": 1}, "optimize.local_search", "0 for no scan, or at least 2"),
    ({"initial_step": 0.01, "min_step": 0.05}, "optimize.local_search", "at most initial_step, 0.01"),
    ({"basin_rise": -0.1}, "optimize.local_search.basin_rise", ">= 0"),
])
def test_bad_local_search_is_one_line_naming_file_field_and_allowed(tmp_path, local, field, allowed):
    doc = yaml.safe_load(DEFAULT_OPT.read_text())
    doc["optimize"]["local_search"] = local
    path = tmp_path / "d.yaml"
    path.write_text(yaml.safe_dump(doc))
    with pytest.raises(InputError) as err:
        load_design(path)
    line = str(err.value)
    assert str(path) in line and field in line and allowed in line and "\n" not in line
    if local == {"scan_points": 1}:
        assert_clean_refusal(run_inproc("optimize", path, "-o", tmp_path / "out"), field)


@pytest.mark.slow  # loads the default design (its checks build the grating cell)
def test_a_design_without_optimize_section_is_refused(tmp_path):
    res = run_inproc("optimize", REPO_ROOT / "designs" / "default.yaml", "-o", tmp_path / "out")
    assert_clean_refusal(res, "optimize", "variables")


@pytest.mark.slow  # loads the default design (its checks build the grating cell)
def test_with_values_sets_nested_paths_and_section_totals():
    spec = load_design(DEFAULT_OPT)
    cav = with_values(spec.cavity, {"pump.opening_um": 42.5, "period_nm": 371.0})
    assert cav.pump.opening_um == 42.5 and cav.period_nm == 371.0 and cav.duty_cycle == spec.cavity.duty_cycle
    sectioned = spec.cavity.model_copy(update={"sections": None})
    doc = sectioned.model_dump(mode="json")
    doc.update(sections=[{"order": 2, "n_periods": 100}, {"order": 2, "n_periods": 100, "phase_step": "half_wave"}],
               n_periods=200)
    cav = with_values(type(sectioned).model_validate(doc), {"sections.1.n_periods": 150, "sections.1.phase_step": 1.0})
    assert cav.n_periods == 250 and cav.sections[1].phase_step == 1.0


@pytest.mark.slow  # loads the default design (its checks build the grating cell)
def test_trial_below_the_grating_rules_is_infeasible_not_an_error():
    """A 350 nm period at duty 0.05 has a 17.5 nm tooth: below the GRATING layer's minimum width (the die's rule)."""
    spec = load_design(DEFAULT_OPT)
    bad = trial_point(spec, {"period_nm": 350.0, "duty_cycle": 0.05})
    assert bad.point is None and "minimum width" in bad.infeasible
    ok = trial_point(spec, {"period_nm": 380.0, "thickness_nm.perovskite": 140.0})
    assert ok.point is not None and ok.point.stack.thickness_nm["perovskite"] == 140.0


def test_window_violation_is_distance_outside_over_10_nm():
    assert _window(785.0, (770.0, 800.0)) < 0 and math.isclose(_window(805.0, (770.0, 800.0)), 0.5)
    assert _window(765.0, (770.0, 800.0)) == pytest.approx(0.5) and _window(math.nan, (770.0, 800.0)) > 0
    assert NO_LASING_SCORE > math.log10(1e6)


def test_optimize_help_lists_its_options():
    text = run_inproc("optimize", "--help").stdout
    assert all(o in text for o in ("--json", "--workers", "--scheduler", "--no-progress", "--fdtd", "--tolerance",
                                   "--no-mask", "--overwrite"))


@pytest.mark.slow  # loads the default design
def test_optimize_json_error_is_one_object(tmp_path):
    res = run_inproc("optimize", REPO_ROOT / "designs" / "default.yaml", "-o", tmp_path / "out", "--json")
    assert res.returncode == 2 and len(res.error_lines()) == 1
    assert json.loads(res.stdout)["field"] == "optimize"
