"""The result cache verifies itself: a corrupt, truncated, hand-edited or foreign entry is reported in one line,
moved to cache/quarantine/ and recomputed; never used, never fatal (issue 13, item 4)."""

from __future__ import annotations

import json
import os

import pandas as pd
import pytest

from perocav.designs.cache import CACHE_SCHEMA, ResultCache
from perocav.designs.records import DesignMetrics, DesignResult, DfbAnalyticRecord, SpectralLine
from perocav.designs.spec import DesignPoint

KEY = "ab" + "0" * 62
POINT = DesignPoint.model_validate({"stack": {"name": "transparent_MAPbI3"}, "gain_material": {},
                                    "cavity": {"type": "dfb", "period_nm": 380.0}, "params": {"period_nm": 380.0}})
METRICS = DesignMetrics(wavelength_nm=792.5, q_estimate=1.5e3, threshold_modal_gain_per_cm=150.0,
                        threshold_material_gain_per_cm=180.0, threshold_density_per_cm3=6e17, plqy_at_threshold=0.7,
                        threshold_current_density_a_per_cm2=240.1, below_auger_limit=True, gain_thickness_nm=150.0)
SOLVER = DfbAnalyticRecord(
    bragg_wavelength_nm=792.0, bragg_residual_nm=0.0, stopband_short_nm=791.0, stopband_long_nm=793.0, neff_high=1.9,
    neff_low=1.8, group_index=2.1, kappa_per_cm=-150.0, kappa_L=1.4, radiation_per_cm=30.0, radiating_edge="long",
    confinement=0.4, confinement_power=0.5, modal_loss_per_cm=60.0, mirror_loss_per_cm=float("inf"),
    photon_lifetime_ps=float("nan"), side_modes=(SpectralLine(wavelength_nm=793.5, power_gain_per_cm=200.0),))
RECORD = DesignResult(key=KEY, point=POINT, fidelity="analytic", status="ok", wall_time_s=0.01, metrics=METRICS,
                      solver=SOLVER)


def _entry_path(cache: ResultCache):
    return cache.root / KEY[:2] / f"{KEY}.json"


def _edit_number(path):
    entry = json.loads(path.read_text())
    entry["record"]["metrics"]["wavelength_nm"] = 780.0  # the tampering: a design moved into the window
    path.write_text(json.dumps(entry))


def _reshaped(entry: dict) -> dict:
    """The entry with a solver field renamed and a matching checksum: intact, but not a record this version reads."""
    from perocav.designs.cache import record_sha256

    rec = entry["record"]
    fields = dict(rec["solver"]["fields"])
    fields["kappa_cm"] = fields.pop("kappa_per_cm")
    rec = {**rec, "solver": {**rec["solver"], "fields": fields}}
    return {**entry, "sha256": record_sha256(rec), "record": rec}


def _write(text: bytes):
    return lambda path: path.write_bytes(text)


TAMPER = {
    "edited-number": _edit_number,
    "truncated": lambda p: p.write_bytes(p.read_bytes()[: len(p.read_bytes()) // 2]),
    "empty-file": _write(b""),
    "empty-list": _write(b"[]"),
    "status-ok-only": _write(b'{"status": "ok"}'),
    "record-of-another-shape": lambda p: p.write_text(json.dumps(_reshaped(json.loads(p.read_text())))),
    "random-bytes": _write(bytes((i * 37 + 11) % 256 for i in range(200))),
    "old-schema": lambda p: p.write_text(json.dumps({**json.loads(p.read_text()), "schema": CACHE_SCHEMA - 1})),
    "other-key": lambda p: p.write_text(json.dumps({**json.loads(p.read_text()), "key": "cd" + "1" * 62})),
    "record-not-dict": lambda p: p.write_text(json.dumps({**json.loads(p.read_text()), "record": [1, 2]})),
    "nested-deep": _write(b"[" * 100_000),
}


def _same(a: DesignResult, b: DesignResult) -> bool:
    """Equal records, NaN equal to NaN (== does not equate a NaN read back with the one written)."""
    from perocav.designs.record_codec import result_to_json

    return json.dumps(result_to_json(a)) == json.dumps(result_to_json(b))


@pytest.mark.slow
def test_round_trip(tmp_path):
    cache = ResultCache(tmp_path / "cache")
    cache.put(KEY, RECORD)
    assert _same(cache.get(KEY), RECORD)
    assert _same(cache.find(KEY[:16]), RECORD)
    assert len(cache) == 1
    assert cache.get(KEY).solver.mirror_loss_per_cm == float("inf")  # inf and NaN are kept


def test_old_schema_entry_is_recomputed_not_fatal(tmp_path, capsys):
    """An entry of cache schema 2 (the flat record dicts of earlier versions) reads as absent, in one line."""
    cache = ResultCache(tmp_path / "cache")
    path = _entry_path(cache)
    path.parent.mkdir(parents=True)
    from perocav.designs.cache import record_sha256

    old = {"key": KEY, "params": {"period_nm": 380.0}, "point": POINT.model_dump(mode="json"), "status": "ok",
           "wavelength_nm": 792.5}
    path.write_text(json.dumps({"schema": 2, "key": KEY, "sha256": record_sha256(old), "record": old}))
    assert cache.get(KEY) is None
    assert "schema 2, expected 3" in capsys.readouterr().err
    cache.put(KEY, RECORD)
    assert _same(cache.get(KEY), RECORD)


@pytest.mark.parametrize("kind", list(TAMPER))
def test_bad_entry_is_quarantined_not_used(tmp_path, capsys, kind):
    cache = ResultCache(tmp_path / "cache")
    cache.put(KEY, RECORD)
    path = _entry_path(cache)
    TAMPER[kind](path)
    assert cache.get(KEY) is None  # never used
    err = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert len(err) == 1 and err[0].startswith("warning: ") and str(path) in err[0] and "recomputing" in err[0], err
    assert not path.exists()
    moved = list((cache.root / "quarantine").iterdir())
    assert len(moved) == 1 and moved[0].suffix == ".bad"
    assert len(cache) == 0 and cache.find(KEY[:16]) is None  # quarantine is not part of the cache
    cache.put(KEY, RECORD)  # recomputed result goes back in
    assert _same(cache.get(KEY), RECORD)


DESIGN = """name: cachecheck
stack: {name: transparent_MAPbI3, thickness_nm: {perovskite: 150}}
cavity: {type: dfb, order: 2, period_nm: 380, duty_cycle: 0.5, n_periods: 250}
sweep: {grid: {period_nm: [375, 380, 385]}}
objective: {wavelength_window_nm: [770, 800]}
"""


@pytest.mark.slow
def test_pipeline_recomputes_tampered_entries(tmp_path, capsys):
    """Tamper with entries of a finished run (edit a number, truncate, replace by garbage): the next run reports each
    in one line, recomputes exactly those, and its table equals the clean run's."""
    from perocav.designs.pipeline import RunOptions, run_design
    from perocav.designs.spec import load_design

    design = tmp_path / "d.yaml"
    design.write_text(DESIGN)
    out = tmp_path / "out"
    first = run_design(load_design(design), out_dir=out,
                       options=RunOptions(workers=1, progress=False, report=False, mask=False))
    assert first.computed == 3 and first.failed == 0
    clean = pd.read_parquet(out / "results.parquet")
    paths = sorted((out / "cache").glob("[0-9a-f][0-9a-f]/*.json"))
    assert len(paths) == 3
    _edit_number(paths[0])
    TAMPER["truncated"](paths[1])
    capsys.readouterr()
    second = run_design(load_design(design), out_dir=out,
                        options=RunOptions(workers=1, progress=False, report=False, mask=False))
    warnings = [line for line in capsys.readouterr().err.splitlines() if line.startswith("warning: ")]
    assert len(warnings) == 2
    assert second.computed == 2 and second.from_cache == 1 and second.failed == 0
    again = pd.read_parquet(out / "results.parquet")
    timing = [c for c in clean.columns if "time" in c]  # wall_time_s of a recomputed point differs
    pd.testing.assert_frame_equal(again.drop(columns=timing), clean.drop(columns=timing))
    assert again.loc[0, "wavelength_nm"] != 780.0
    assert len(list((out / "cache" / "quarantine").iterdir())) == 2


def test_result_files_follow_umask(tmp_path):
    from perocav.designs.io import write_text_atomic

    old = os.umask(0o027)
    try:
        write_text_atomic(tmp_path / "a.txt", "x")
    finally:
        os.umask(old)
    assert (tmp_path / "a.txt").stat().st_mode & 0o777 == 0o640
    old = os.umask(0o002)
    try:
        write_text_atomic(tmp_path / "b.txt", "x")
    finally:
        os.umask(old)
    assert (tmp_path / "b.txt").stat().st_mode & 0o777 == 0o664
