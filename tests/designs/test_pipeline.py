"""Sweeps lose nothing: kill and resume, cached re-run, failures recorded, same results on a local Dask cluster."""

import json
from pathlib import Path
import os
import signal
import subprocess
import sys
import time

import pandas as pd
import pytest

from perocav.designs.pipeline import RunOptions, run_design
from perocav.designs.spec import expand_points, load_design
from perocav.designs.table import stage_value
from perocav.fdtd.models.dfb.dfb_analytic import analyze_dfb_on_stack
from perocav.pdk.stacks import get_stack
from tests.paths import REPO_ROOT

DESIGN = """\
name: small
stack: {name: transparent_MAPbI3}
cavity: {type: dfb, order: 2, period_nm: 380, duty_cycle: 0.4, n_periods: 120}
sweep:
  grid:
    period_nm: {start: 370, stop: 390, step: 10}
    duty_cycle: [0.3, 0.4, 0.6, 0.7]
fidelity: analytic
objective: {wavelength_window_nm: [770, 820]}
"""


@pytest.fixture
def design(tmp_path):
    path = tmp_path / "small.yaml"
    path.write_text(DESIGN)
    return path


def _cache_files(out):
    return sorted((out / "cache").glob("*/*.json"))


@pytest.mark.slow
def test_run_kill_resume_cache(tmp_path):
    # three stacks (a thickness axis) of four designs: the analytic screen evaluates a stack's designs together and
    # writes their cache entries at once, so the run is killed between stacks, while it computes
    design = tmp_path / "stacks.yaml"
    design.write_text(DESIGN.replace("period_nm: {start: 370, stop: 390, step: 10}", "thickness_nm.perovskite: [140, 150, 160]"))
    out = tmp_path / "run"
    cmd = [sys.executable, "-W", "ignore", "-m", "perocav.designs.cli", "run", str(design), "-o", str(out),
           "--workers", "1", "--no-progress", "--no-report", "--no-mask"]
    proc = subprocess.Popen(cmd, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 240
    while len(_cache_files(out)) < 4 and time.time() < deadline and proc.poll() is None:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)  # the whole run, workers included, dies mid-sweep
    proc.wait()
    done = {p: p.stat().st_mtime_ns for p in _cache_files(out)}
    assert 4 <= len(done) < 12, len(done)
    assert not list(out.rglob("*.part"))  # atomic writes: no half-written file survives
    before = {p: json.loads(p.read_text()) for p in done}

    summary = run_design(load_design(design), out_dir=out,
                         options=RunOptions(workers=1, progress=False, report=False, mask=False))
    assert summary.total == 12 and summary.from_cache == len(done) and summary.computed == 12 - len(done)
    for p, mtime in done.items():  # finished points were neither recomputed nor rewritten
        assert p.stat().st_mtime_ns == mtime and json.loads(p.read_text()) == before[p]
    table = pd.read_parquet(out / "results.parquet")
    assert len(table) == 12 and (table.status == "ok").all()

    again = run_design(load_design(design), out_dir=out,
                       options=RunOptions(workers=1, progress=False, report=False, mask=False))
    assert again.computed == 0 and again.from_cache == 12  # a cached re-run runs no simulation
    assert pd.read_parquet(out / "results.parquet").equals(table)


@pytest.mark.slow
def test_results_match_direct_solver_and_ranking(tmp_path, design):
    s = run_design(load_design(design), out_dir=tmp_path / "r",
                   options=RunOptions(workers=2, progress=False, report=False, mask=False))
    table = pd.read_parquet(tmp_path / "r" / "results.parquet")
    assert len(pd.read_csv(tmp_path / "r" / "results.csv")) == 12
    row = table[(table["period_nm"] == 380) & (table["duty_cycle"] == 0.6)].iloc[0]
    direct = analyze_dfb_on_stack(stack=get_stack("transparent_MAPbI3"), period_nm=380, duty_cycle=0.6, order=2,
                                  length_um=120 * 0.38)
    assert row.wavelength_nm == pytest.approx(direct.wavelength_nm, abs=1e-6)
    assert row.kappa_per_cm == pytest.approx(abs(direct.kappa_per_cm), rel=1e-9)  # the reader shows |kappa|
    ranked = table.dropna(subset=["rank"]).sort_values("rank")
    assert list(ranked.threshold_current_density_a_per_cm2) == sorted(ranked.threshold_current_density_a_per_cm2)
    assert s.best.metrics.threshold_current_density_a_per_cm2 == pytest.approx(ranked.threshold_current_density_a_per_cm2.iloc[0])


@pytest.mark.slow
def test_failed_design_recorded_and_sweep_goes_on(tmp_path):
    # 2nd order at 470 nm period puts the Bragg wavelength far beyond MAPbI3's gain window (the spectrum's,
    # 667.4-826.9 nm): no Bragg root there, so that point has no lasing, with the window and the periods that would
    path = tmp_path / "d.yaml"
    path.write_text(DESIGN.replace("period_nm: {start: 370, stop: 390, step: 10}", "period_nm: [380, 470]"))
    s = run_design(load_design(path), out_dir=tmp_path / "o",
                   options=RunOptions(workers=1, progress=False, report=False, mask=False))
    table = pd.read_csv(tmp_path / "o" / "results.csv")
    assert s.failed == 4 and (table[table["period_nm"] == 470].status == "failed").all()
    assert table[table["period_nm"] == 470].error.str.contains("no lasing: no Bragg root").all()
    assert table[table["period_nm"] == 470].error.str.contains("in the gain window 667.4-826.9 nm").all()
    assert (table[table["period_nm"] == 380].status == "ok").all()
    again = run_design(load_design(path), out_dir=tmp_path / "o",
                       options=RunOptions(workers=1, progress=False, report=False, mask=False))
    assert again.computed == 4  # failures are retried, successes are not


def test_local_dask_cluster_gives_same_results(tmp_path, design):
    local = run_design(load_design(design), out_dir=tmp_path / "pool",
                       options=RunOptions(workers=2, progress=False, report=False, mask=False))
    dask = run_design(load_design(design), out_dir=tmp_path / "dask",
                      options=RunOptions(scheduler="local:2", progress=False, report=False, mask=False))
    assert local.computed == dask.computed == 12
    a = pd.read_parquet(tmp_path / "pool" / "results.parquet").drop(columns=["wall_time_s"])
    b = pd.read_parquet(tmp_path / "dask" / "results.parquet").drop(columns=["wall_time_s"])
    pd.testing.assert_frame_equal(a, b)


@pytest.mark.slow
def test_winners_become_a_drc_clean_mask(tmp_path, design, cli):
    """The best-ranked designs are taped out: DRC-clean GDS (checked again by `perocav drc`), every manifest row at
    its label, and each device id tied to its design's rank and grating parameters."""
    from perocav.layout.tapeout import gds_labels

    path = tmp_path / "m.yaml"
    path.write_text(DESIGN + "mask: {top_n: 3, opening_diameter_um: 40}\n")
    s = run_design(load_design(path), out_dir=tmp_path / "o",
                   options=RunOptions(workers=2, progress=False, report=True, mask=True))
    gds = s.files["mask_gds"]
    assert cli("drc", gds).returncode == 0
    manifest = pd.read_csv(s.files["manifest"])
    chosen = pd.read_csv(s.files["chosen_designs"])
    designs = manifest[manifest.role == "design"]
    assert list(chosen["rank"]) == [1, 2, 3] and list(chosen.device_id) == list(designs.device_id)
    labels = gds_labels(gds)
    assert set(labels) == set(manifest.device_id)
    for _, row in manifest.iterrows():
        assert labels[row.device_id] == pytest.approx((row.x_um, row.y_um), abs=1e-3)
    merged = chosen.merge(manifest, on="device_id")
    assert (merged["period_nm"] == merged["param.cavity_params.period_nm"]).all()
    assert (merged["duty_cycle"] == merged["param.cavity_params.duty_cycle"]).all()
    # the die around each winner: period +-2 sweep steps (10 nm) x duty +-1 step (0.1), 3 repeats, 2 controls;
    # neighbouring winners' brackets overlap: each distinct grating is placed once (the others listed as merged)
    gratings = manifest[manifest.role.isin(["design", "bracket"])]
    pairs = list(zip(gratings["param.cavity_params.period_nm"], gratings["param.cavity_params.duty_cycle"].round(9)))
    assert len(pairs) == len(set(pairs))
    for _, design in merged.iterrows():
        b = manifest[manifest.group == design.block]
        roles = dict(b.role.value_counts().items())
        assert roles["design"] == 1 and roles["repeat"] == 3 and roles["control"] == 2 and roles["bracket"] <= 14
        want = {(design["period_nm"] + 10 * k, round(design["duty_cycle"] + 0.1 * q, 9))
                for k in range(-2, 3) for q in (-1, 0, 1)}
        assert want <= set(pairs)  # every bracket point on the die, in this block or a neighbour's
        assert sorted(b[b.role == "control"].control) == ["no_electrodes", "no_grating"]
    doc = json.loads(Path(s.files["manifest_json"]).read_text())
    assert len(doc["merged"]) == 3 * 15 - len(pairs) and doc["lithography"]["GRATING"]["min_gap_nm"] < 500
    assert (tmp_path / "o" / "report.html").stat().st_size > 50_000  # figures embedded


@pytest.mark.slow
def test_report_rebuilt_from_stored_results_without_solving(tmp_path, design, monkeypatch):
    """`perocav report DIR`'s path: the table, the cached results and studies.json rebuild the same report.html, and
    nothing is solved on the way (the best design's spectrum and mode profile are stored with its result, the stack
    studies in studies.json)."""
    from perocav.designs.cache import ResultCache
    from perocav.designs.pipeline import stored_results
    from perocav.designs import threshold
    from perocav.designs.report.page import write_report
    from perocav.designs.studies import read_studies
    from perocav.fdtd.models.dfb import dfb_analytic
    from perocav.fdtd.models.slab import slab_modes
    from perocav.fdtd.models.slab import thickness_study

    spec = load_design(design)
    run_design(spec, out_dir=tmp_path / "o", options=RunOptions(workers=1, progress=False, report=True, mask=False))
    first = (tmp_path / "o" / "report.html").read_bytes()

    def no_solver(*args, **kwargs):
        raise AssertionError("the report solved")

    monkeypatch.setattr(dfb_analytic, "analyze_dfb_on_stack", no_solver)
    monkeypatch.setattr(slab_modes, "solve_slab_mode", no_solver)
    monkeypatch.setattr(thickness_study, "thickness_sweep", no_solver)  # the stack studies are stored too
    monkeypatch.setattr(threshold, "peak_density_for_pulse_per_cm3", no_solver)
    table = pd.read_parquet(tmp_path / "o" / "results.parquet")
    results = stored_results(spec, table, ResultCache(tmp_path / "o" / "cache"))
    assert len(results) == len(table)
    best = results[table.sort_values("rank").key.iloc[0]]
    assert best.detail is not None and len(best.detail.modes) == 8
    studies = read_studies(tmp_path / "o")
    assert studies is not None and studies.thickness is not None and studies.thickness.thinnest_net_gain_nm > 0
    record = json.loads((tmp_path / "o" / "summary.json").read_text())["record"]  # the footer's run record
    write_report(out_dir=tmp_path / "o", spec=spec, table=table, results=results, studies=studies, record=record)
    assert (tmp_path / "o" / "report.html").read_bytes() == first


@pytest.mark.slow
def test_ring_study_with_stack_file_runs_ranks_and_tapes_out(tmp_path):
    """A ring design whose stack is a YAML file beside the design: evaluated, ranked, and on the mask as rings."""
    import shutil

    root = REPO_ROOT / "designs"
    (tmp_path / "stacks").mkdir()
    shutil.copy(root / "stacks" / "tio2_wgm_MAPbI3.yaml", tmp_path / "stacks")
    path = tmp_path / "rings.yaml"
    path.write_text("name: rings\nstack: {name: stacks/tio2_wgm_MAPbI3.yaml}\n"
                    "cavity: {type: ring, outer_radius_um: 5, width_nm: 800}\n"
                    "sweep: {grid: {width_nm: [600, 1200]}}\nmask: {top_n: 2}\n")
    s = run_design(load_design(path), out_dir=tmp_path / "o",
                   options=RunOptions(workers=2, progress=False, report=False, mask=True))
    table = pd.read_parquet(tmp_path / "o" / "results.parquet")
    assert (table.status == "ok").all() and s.best is not None
    # absorption-limited: Q equals 2 pi n_g / (lambda alpha) of the stack at the mode's own wavelength (dispersion:
    # n_g and alpha are taken where the mode lies, not at the 780 nm emission wavelength), with the radiation Q
    row = table.iloc[0]
    q_abs = 2 * 3.141592653589793 * row.group_index / (row.wavelength_nm * 1e-7 * row.modal_loss_per_cm)
    assert row.q_estimate == pytest.approx(1 / (1 / row.q_radiation + 1 / q_abs), rel=2e-3)
    manifest = pd.read_csv(s.files["manifest"])
    designs = manifest[manifest.role == "design"]  # the die also holds brackets, repeats and controls (issue 12)
    assert set(designs["param.cavity"]) == {"ring_resonator"}
    assert sorted(designs["param.cavity_params.width_nm"]) == [600, 1200]
    assert set(manifest[manifest.role == "control"]["param.cavity"]) == {"none", "ring_resonator"}


@pytest.mark.meep
@pytest.mark.slow
def test_screen_runs_fdtd_on_the_best_and_agrees_with_cmt(tmp_path):
    """fidelity: screen: analytic for all, real MEEP (unit cell, low resolution) for the best one; the FDTD kappa of
    this 1st-order grating agrees with coupled-mode theory, and the verified design ranks first."""
    path = tmp_path / "s.yaml"
    path.write_text(
        "name: s\nstack: {name: electrode_free_MAPbI3}\n"
        "cavity: {type: dfb, order: 1, period_nm: 200, duty_cycle: 0.5, n_periods: 400}\n"
        "sweep: {grid: {duty_cycle: [0.4, 0.5]}}\nfidelity: screen\nscreen: {top_k: 1}\n"
        "fdtd: {resolution_px_per_um: 80, converge: false, force: true}\n")
    s = run_design(load_design(path), out_dir=tmp_path / "o",
                   options=RunOptions(workers=2, progress=False, report=False, mask=False))
    table = pd.read_parquet(tmp_path / "o" / "results.parquet")
    fd = table[table.model == "fdtd"]
    assert len(fd) == 1 and fd["rank"].iloc[0] == 1
    row = fd.iloc[0]
    long = pd.read_parquet(tmp_path / "o" / "results_long.parquet")
    analytic = {q: stage_value(long, key=row.key, stage="analytic", quantity=q)
                for q in ("kappa_per_cm", "wavelength_nm", "confinement_power")}
    assert row.kappa_per_cm == pytest.approx(abs(analytic["kappa_per_cm"]), rel=0.05)
    assert row.confinement_model == "fdtd" and row.confinement == pytest.approx(
        analytic["confinement_power"], abs=0.03)  # one (power-weighted) definition at both tiers
    assert abs(row.wavelength_nm - analytic["wavelength_nm"]) < 5  # 80 px/um: a few nm of discretisation
    again = run_design(load_design(path), out_dir=tmp_path / "o",
                       options=RunOptions(workers=2, progress=False, report=False, mask=False))
    assert again.computed == 0  # both stages cached
    assert s.total == 2


@pytest.mark.meep
@pytest.mark.slow
def test_screen_with_an_rcwa_middle_stage(tmp_path):
    """fidelity: screen with screen.rcwa_top_n: analytic for all 3, RCWA for the best 2, MEEP for the best 1 of the
    RCWA ranking; tiers rank MEEP first, then RCWA, then analytic; RCWA's kappa agrees with coupled-mode theory."""
    path = tmp_path / "s.yaml"
    path.write_text(
        "name: s\nstack: {name: electrode_free_MAPbI3}\n"
        "cavity: {type: dfb, order: 1, period_nm: 200, duty_cycle: 0.5, n_periods: 400}\n"
        "sweep: {grid: {duty_cycle: [0.35, 0.45, 0.55]}}\nfidelity: screen\nscreen: {top_k: 1, rcwa_top_n: 2}\n"
        "fdtd: {resolution_px_per_um: 60, converge: false, force: true}\n")
    summary = run_design(load_design(path), out_dir=tmp_path / "o",
                         options=RunOptions(workers=2, progress=False, report=False, mask=False))
    computed = pd.read_parquet(tmp_path / "o" / "results.parquet")
    # MEEP's RCWA cross-check compared the RCWA stage's own record (RCWA is not solved twice: same wall time)
    best = summary.best
    assert best.fidelity == "fdtd" and best.earlier.fidelity == "rcwa"
    assert best.cross_check.rcwa_wall_time_s == best.earlier.solver.wall_time_s
    assert best.cross_check.rcwa_edge_short_nm == best.earlier.solver.edge_short_nm
    table = computed.sort_values("rank")
    assert list(table.model) == ["fdtd", "rcwa", "analytic"]
    again = run_design(load_design(path), out_dir=tmp_path / "o",
                       options=RunOptions(workers=2, progress=False, report=False, mask=False))
    assert again.computed == 0  # every stage's records read back from the cache give the same table
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "o" / "results.parquet"), computed)
    long = pd.read_parquet(tmp_path / "o" / "results_long.parquet")

    def value(row, stage, quantity):
        return stage_value(long, key=row.key, stage=stage, quantity=quantity)

    rc = table[table.model == "rcwa"].iloc[0]
    assert rc.kappa_per_cm == pytest.approx(abs(value(rc, "analytic", "kappa_per_cm")), rel=0.05)
    assert abs(rc.wavelength_nm - value(rc, "analytic", "wavelength_nm")) < 2
    # the reader's table: one column per quantity, the row's highest stage's value, the model named
    fd, an = table[table.model == "fdtd"].iloc[0], table[table.model == "analytic"].iloc[0]
    assert "n_harmonics" not in table and "photon_lifetime_ps" not in table and len(table.columns) <= 40
    assert not any(c.startswith(("analytic.", "rcwa.", "rcwa_")) for c in table.columns)
    # the long table keeps every stage's numbers: the FDTD row's RCWA and analytic stages, nothing of a stage
    # that did not run
    assert value(fd, "rcwa", "n_harmonics") > 0 and value(fd, "analytic", "photon_lifetime_ps") > 0
    assert value(rc, "analytic", "photon_lifetime_ps") > 0 and value(an, "analytic", "photon_lifetime_ps") > 0
    assert abs(value(fd, "rcwa", "kappa_per_cm")) == pytest.approx(abs(value(fd, "analytic", "kappa_per_cm")), rel=0.05)
    assert value(an, "rcwa", "kappa_per_cm") is None and value(rc, "fdtd", "kappa_per_cm") is None
    assert value(fd, "fdtd", "rcwa_edge_short_nm") is None and value(fd, "fdtd", "rcwa_minus_meep_edge_short_nm") == (
        pytest.approx(value(fd, "rcwa", "edge_short_nm") - value(fd, "fdtd", "edge_short_nm")))
    # no number of the old wide table is lost, the cached chains read back as the run had them
    from perocav.designs.cache import ResultCache
    from perocav.designs.pipeline import stored_results
    from perocav.designs.spec import expand_points
    from tests.designs.test_long_table import assert_no_number_lost

    spec = load_design(path)
    stored = stored_results(spec, computed, ResultCache(tmp_path / "o" / "cache"))
    points = {r.first().key[:16]: r.point for r in stored.values()}
    assert [r.fidelity for r in stored[fd.key].chain()] == ["analytic", "rcwa", "fdtd"]
    assert assert_no_number_lost([points[k] for k in stored], list(stored.values())) > 100
    assert len(expand_points(spec)) == len(stored) == 3


@pytest.mark.meep
@pytest.mark.slow
def test_fdtd_stage_starts_from_the_analytic_result_without_solving_it_again(monkeypatch):
    """A screen's MEEP evaluation takes the design's analytic result as its starting point: with the per-design
    analytic solver disabled it still runs, and its edges agree with coupled-mode theory as in the screen test."""
    import perocav.fdtd.meep.dfb_cell as dfb_cell
    from perocav.designs.cavities.dfb import solve
    from perocav.designs.evaluate import EvalTask, evaluate_point
    from perocav.designs.solvers import solver_settings

    path = REPO_ROOT / "designs" / "default.yaml"
    spec = load_design(path).model_copy(update={"fdtd": load_design(path).fdtd.model_copy(
        update={"resolution_px_per_um": 80, "max_resolution_px_per_um": 80, "converge": False, "force": True})})
    point = next(p for p in expand_points(spec) if p.cavity.period_nm == 380 and p.cavity.duty_cycle == 0.7)
    first = evaluate_point(EvalTask(key="k", point=point, fidelity="analytic"))

    def no_solver(**kwargs):
        raise AssertionError("the analytic model was solved again")

    monkeypatch.setattr(dfb_cell, "analyze_dfb_on_stack", no_solver)
    metrics, record, _, _ = solve(point, "fdtd", settings=solver_settings(spec), earlier=first)
    assert record.status == "ok" and record.model == "fdtd"
    assert abs(record.edge_short_nm - first.solver.stopband_short_nm) < 3  # 80 px/um, one rung
