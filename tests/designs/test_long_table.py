"""The long table keeps every number of the old wide table; the reader's table has one column per quantity."""

import math

import pandas as pd
import pytest

from perocav.designs.pipeline import RunOptions, run_design
from perocav.designs.spec import expand_points, load_design
from perocav.designs.table import long_rows, rank_table, result_row, unit_of
from tests.oracles.wide_table import where_in_long, wide_row
from tests.paths import REPO_ROOT


def assert_no_number_lost(points, results) -> int:
    """Every non-empty cell of the old wide rows is in the long rows under (stage, quantity) with the same value;
    returns how many cells were checked."""
    checked = 0
    for point, result in zip(points, results):
        long = {(r["stage"], r["quantity"]): r for r in long_rows(point, result)}
        old = wide_row(point, result)
        for column, v in old.items():
            if column in ("key", "fidelity") or v is None or v == "" or (isinstance(v, float) and math.isnan(v)):
                continue
            hit = long.get(where_in_long(column, old))
            assert hit is not None, f"{column} of {old['key']} lost"
            if isinstance(v, bool):
                assert hit["text"] == ("true" if v else "false"), column
            elif isinstance(v, (int, float)):
                assert hit["value"] == pytest.approx(v, rel=1e-12, nan_ok=True), column
            else:
                assert hit["text"] == str(v), column
            checked += 1
    return checked


@pytest.mark.slow
def test_default_analytic_run_loses_no_number(tmp_path):
    """The default design's analytic stage (28 designs): every cell of the old 56-column table is in the long
    table, and the reader's table is in rank order with <= 49 columns."""
    text = (REPO_ROOT / "designs" / "default.yaml").read_text().replace("fidelity: screen", "fidelity: analytic")
    path = tmp_path / "d.yaml"
    path.write_text(text)
    spec = load_design(path)
    summary = run_design(spec, out_dir=tmp_path / "o", options=RunOptions(workers=1, progress=False, report=False,
                                                                           mask=False))
    points = expand_points(spec)
    from perocav.designs.cache import ResultCache
    from perocav.designs.stage import cache_key

    cache = ResultCache(tmp_path / "o" / "cache")
    results = [cache.get(cache_key(p, "analytic", spec=spec)) for p in points]
    assert all(r is not None for r in results)
    assert assert_no_number_lost(points, results) >= 28 * 30
    table = pd.read_parquet(tmp_path / "o" / "results.parquet")
    assert list(pd.read_csv(tmp_path / "o" / "results.csv").columns) == list(table.columns)
    # <= 50: the 40 of the uniformly pumped cell, the pump's 4 design keys and the device's 6 quantities (the slope
    # efficiency the 5th, issue 25, its differential quantum efficiency in the long table only; the 6th the
    # absorption by layer, one text column)
    assert len(table.columns) <= 50 and summary.total == 36
    ranks = table["rank"].dropna().tolist()
    assert ranks == sorted(ranks) and ranks[0] == 1 and table["rank"].notna().iloc[: len(ranks)].all()
    assert (table.model == "analytic").all() and (table.confinement_model == "analytic").all()
    # the confinement each row used is the power-weighted one of its model
    gamma = table.threshold_modal_gain_per_cm / table.threshold_material_gain_per_cm
    assert (gamma - table.confinement).abs().max() < 1e-12
    # the spectral gain (default): every ranked row has its detuning from the gain peak; a mode no density below
    # the ceiling reaches has no J_th and says why in its warnings
    ranked = table[table["rank"].notna()]
    assert ranked.gain_peak_detuning_nm.notna().all() and abs(ranked.gain_peak_detuning_nm.iloc[0]) < 5
    dark = table[table.threshold_current_density_a_per_cm2.isna()]
    assert len(dark) and dark.warnings.str.contains("no lasing: g(", regex=False).all()


def test_unit_of_reads_the_name():
    assert [unit_of(n) for n in ("wavelength_nm", "kappa_per_cm", "threshold_density_per_cm3",
                                 "threshold_current_density_a_per_cm2", "resolution_px_per_um", "q_short",
                                 "wall_time_s", "photon_lifetime_ps")] == [
        "nm", "1/cm", "cm^-3", "A/cm^2", "px/um", "", "s", "ps"]


def test_reader_row_has_one_name_per_quantity():
    """A reader row names the period once (no p./cavity. copies) and shows the highest stage only."""
    spec = load_design(REPO_ROOT / "designs" / "default.yaml")
    point = expand_points(spec)[0]
    from perocav.designs.evaluate import EvalTask, evaluate_point

    result = evaluate_point(EvalTask(key="k" * 64, point=point, fidelity="analytic"))
    row = result_row(point, result)
    assert [c for c in row if c.endswith("period_nm")] == ["period_nm"] and row["model"] == "analytic"
    assert not any(c.startswith(("p.", "cavity.", "analytic.")) for c in row)
    assert row["confinement"] == pytest.approx(result.solver.confinement_power, rel=1e-12)
    table = rank_table(spec, [point], [result])
    assert list(table.columns[:5]) == ["rank", "key", "model", "status", "feasible"]


@pytest.mark.slow
@pytest.mark.parametrize("stack, period, duty, phase", [("transparent_MAPbI3", 380.0, 0.7, "none"),
                                                       ("transparent_CsPbBr3", 265.0, 0.5, "quarter_wave")])
def test_best_design_detail_comes_from_its_record(stack, period, duty, phase):
    """The report's spectrum of the best design is built from its analytic record (the slab modes are not solved
    again) and equals the full coupled-mode solve of the same design with 8 modes (the independent path)."""
    import math

    from perocav.designs.cavities.dfb import DfbCavity
    from perocav.designs.detail import dfb_detail
    from perocav.designs.evaluate import EvalTask, evaluate_point
    from perocav.designs.spec import DesignPoint, StackRef
    from perocav.designs.threshold import GainMaterial
    from perocav.fdtd.models.dfb.dfb_analytic import analyze_dfb_on_stack

    cav = DfbCavity(order=2, period_nm=period, duty_cycle=duty, n_periods=250, phase_shift=phase)
    point = DesignPoint(stack=StackRef(name=stack), cavity=cav, gain_material=GainMaterial())
    result = evaluate_point(EvalTask(key="k", point=point, fidelity="analytic"))
    assert result.ok, result.error
    detail = dfb_detail(result)
    full = analyze_dfb_on_stack(stack=point.stack.resolve(), period_nm=period, duty_cycle=duty, order=2,
                                length_um=cav.length_um, n_modes=8,
                                phase_shift_rad=math.pi if phase == "quarter_wave" else 0.0)
    assert len(detail.modes) == len(full.cmt.modes) == 8
    for mine, ref in zip(detail.modes, full.cmt.modes):
        assert mine.wavelength_nm == pytest.approx(ref.wavelength_nm, abs=1e-9)
        assert mine.power_gain_per_cm == pytest.approx(ref.power_gain_per_cm, rel=1e-9)
    assert detail.wavelength_nm == pytest.approx(full.wavelength_nm, abs=1e-9)


@pytest.mark.slow
@pytest.mark.parametrize("stack, period, duty", [("transparent_MAPbI3", 375.0, 0.3), ("transparent_CsPbBr3", 265.0, 0.5)])
def test_meep_starts_from_the_screens_analytic_answer(stack, period, duty):
    """MEEP's starting point (Bragg point the media freeze at, window, source band) is rebuilt from the vectorised
    screen's analytic record instead of solving the design's slab modes again, and equals the per-design solve
    (the independent path) in every number the MEEP cell reads."""
    from perocav.designs.cavities.dfb import DfbCavity
    from perocav.designs.detail import analytic_start
    from perocav.designs.evaluate_batch import evaluate_dfb_batch
    from perocav.designs.spec import DesignPoint, StackRef
    from perocav.designs.threshold import GainMaterial
    from perocav.fdtd.models.dfb.dfb_analytic import analyze_dfb_on_stack

    cav = DfbCavity(order=2, period_nm=period, duty_cycle=duty, n_periods=250)
    point = DesignPoint(stack=StackRef(name=stack), cavity=cav, gain_material=GainMaterial())
    [(_, result)] = list(evaluate_dfb_batch([point], ["k"]))
    assert result.ok, result.error
    start = analytic_start(result)
    full = analyze_dfb_on_stack(stack=point.stack.resolve(), period_nm=period, duty_cycle=duty, order=2,
                                length_um=cav.length_um)
    assert start.bragg_wavelength_nm == pytest.approx(full.bragg_wavelength_nm, abs=1e-6)
    assert start.n_avg == pytest.approx(full.n_avg, rel=1e-9)
    assert start.kappa_per_cm == pytest.approx(full.kappa_per_cm, rel=1e-6)
    assert start.cmt.stopband_short_nm == pytest.approx(full.cmt.stopband_short_nm, abs=1e-6)
    assert start.cmt.stopband_long_nm == pytest.approx(full.cmt.stopband_long_nm, abs=1e-6)
