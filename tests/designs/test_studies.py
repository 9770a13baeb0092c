"""The stored stack studies (``designs.studies``): solved once, round-tripped through studies.json, and equal to the
stack solvers they come from."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from perocav.designs.spec import load_design
from perocav.designs.studies import (STUDIES_FILE, STUDIES_SCHEMA, StackStudies, carrier_curves, read_studies,
                                     thickness_curve, write_studies)


ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def spec():
    return load_design(ROOT / "designs" / "default.yaml")


@pytest.fixture(scope="module")
def curve(spec):
    return thickness_curve(spec)


def test_studies_round_trip_and_refuse_other_schemas(spec, curve, tmp_path):
    studies = StackStudies(schema=STUDIES_SCHEMA, thickness=curve, carriers=carrier_curves(spec), heating=None)
    write_studies(tmp_path, studies)
    assert read_studies(tmp_path) == studies
    data = json.loads((tmp_path / STUDIES_FILE).read_text())
    data["schema"] = 99
    (tmp_path / STUDIES_FILE).write_text(json.dumps(data))
    assert read_studies(tmp_path) is None  # another layout: solved again, not misread
    (tmp_path / STUDIES_FILE).write_text("{not json")
    assert read_studies(tmp_path) is None
    assert read_studies(tmp_path / "missing") is None


def test_thickness_curve_is_the_thickness_study_of_the_stack(spec, curve):
    """The transparent MAPbI3 stack: net gain from ~36 nm (the main job's thickness study, a separate command path);
    the stored curve is g_net = Gamma g_i - alpha re-solved here at two thicknesses, on the main job's 5 nm grid."""
    from perocav.fdtd.models.slab.thickness_study import net_gain_point

    assert curve.thickness_nm[0] == 20 and curve.thickness_nm[-1] == 300
    assert 30 < curve.thinnest_net_gain_nm < 45
    stack = spec.stack.resolve()
    for t in (40.0, 200.0):
        p = net_gain_point(stack=stack, gain_thickness_nm=t, wavelength_nm=curve.wavelength_nm, gain_per_cm=500.0)
        assert curve.g_net_per_cm[curve.thickness_nm.index(t)] == pytest.approx(p.g_net_per_cm, rel=1e-12)
    g = np.asarray(curve.g_net_per_cm)
    i = curve.thickness_nm.index(35.0)
    assert g[i] < 0 < g[i + 1]  # the crossing lies between the samples that bracket it


def test_carrier_curves_obey_the_rate_equation_limits(spec):
    """A 0.1 ps pulse: recombination has no time to act, so the peak density is every absorbed pump photon (400 nm)
    in the film, N = 0.5 F / (h nu d); Auger only lowers the peak; PLQY falls above the Auger critical density."""
    c = carrier_curves(spec)
    film = spec.stack.resolve()
    assert c.film_nm == film.layer(film.gain_layer).thickness_nm
    h_nu_uj = 6.62607015e-34 * 2.99792458e8 / 400e-9 * 1e6
    for no_auger, auger in zip(c.peaks[0::2], c.peaks[1::2]):
        assert no_auger.fluence_uj_per_cm2 == auger.fluence_uj_per_cm2 and not no_auger.auger and auger.auger
        n0 = 0.5 * no_auger.fluence_uj_per_cm2 / h_nu_uj / (c.film_nm * 1e-7)
        assert c.pulse_fwhm_s[0] == pytest.approx(1e-13)
        assert no_auger.peak_density_per_cm3[0] == pytest.approx(n0, rel=0.01)
        assert all(a <= b * (1 + 1e-9) for a, b in zip(auger.peak_density_per_cm3, no_auger.peak_density_per_cm3))
    assert len(c.density_per_cm3) == len(c.plqy) == 200
    i = int(np.searchsorted(c.density_per_cm3, 10 * c.auger_critical_density_per_cm3))
    assert c.plqy[i] < max(c.plqy) and math.isfinite(c.auger_critical_density_per_cm3)


@pytest.mark.slow
def test_main_job_thickness_study_reuses_the_stored_curve(curve, tmp_path, monkeypatch):
    """The main job's four-stack thickness study takes the run's stored transparent-stack rows instead of solving
    them again: one solve fewer, and the written rows are the stored ones (equal to a direct solve, above)."""
    import pandas as pd

    import perocav.fdtd.models.slab.thickness_study as ts
    from perocav.designs.cli.main_job import stored_thickness_rows
    from perocav.designs.cli.thickness import ThicknessScan, run_thickness_study

    write_studies(tmp_path, StackStudies(schema=STUDIES_SCHEMA, thickness=curve, carriers=None, heating=None))
    scan = ThicknessScan(min_nm=20.0, max_nm=300.0, step_nm=5.0)
    rows = stored_thickness_rows(tmp_path, scan)
    assert set(rows) == {"transparent"} and rows["transparent"] == curve.points
    assert stored_thickness_rows(tmp_path, ThicknessScan(min_nm=20.0, max_nm=300.0, step_nm=10.0)) == {}
    solved, original = [], ts.thickness_sweep
    monkeypatch.setattr(ts, "thickness_sweep", lambda **kw: solved.append(kw["stack"].name) or original(**kw))
    run_thickness_study(perovskite="MAPbI3", gain_per_cm=500.0, scan=scan, pol="TE", out_dir=tmp_path / "t",
                        kinds=("transparent", "electrode_free"), solved=rows)
    assert solved == ["electrode_free_MAPbI3"]
    table = pd.read_csv(tmp_path / "t" / "thickness_study.csv")
    mine = table[table["stack"] == curve.stack_name]
    assert mine.g_net_per_cm.to_numpy() == pytest.approx(np.asarray(curve.g_net_per_cm), rel=1e-5)
