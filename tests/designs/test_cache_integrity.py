"""The result cache verifies itself: a corrupt, truncated, hand-edited or foreign entry is reported in one line,
moved to cache/quarantine/ and recomputed; never used, never fatal (issue 13, item 4)."""

from __future__ import annotations

import json
import os

import pandas as pd
import pytest

from perocav.designs.cache import CACHE_SCHEMA, ResultCache

KEY = "ab" + "0" * 62
RECORD = {"key": KEY, "params": {"period_nm": 380.0}, "point": {"cavity": {"type": "dfb"}}, "status": "ok",
          "wavelength_nm": 792.5, "threshold_current_density_a_per_cm2": 240.1, "q_estimate": 1.5e3}


def _entry_path(cache: ResultCache):
    return cache.root / KEY[:2] / f"{KEY}.json"


def _edit_number(path):
    entry = json.loads(path.read_text())
    entry["record"]["wavelength_nm"] = 780.0  # the tampering: a design moved into the window
    path.write_text(json.dumps(entry))


def _write(text: bytes):
    return lambda path: path.write_bytes(text)


TAMPER = {
    "edited-number": _edit_number,
    "truncated": lambda p: p.write_bytes(p.read_bytes()[: len(p.read_bytes()) // 2]),
    "empty-file": _write(b""),
    "empty-list": _write(b"[]"),
    "status-ok-only": _write(b'{"status": "ok"}'),
    "random-bytes": _write(bytes((i * 37 + 11) % 256 for i in range(200))),
    "old-schema": lambda p: p.write_text(json.dumps({**json.loads(p.read_text()), "schema": CACHE_SCHEMA - 1})),
    "other-key": lambda p: p.write_text(json.dumps({**json.loads(p.read_text()), "key": "cd" + "1" * 62})),
    "record-not-dict": lambda p: p.write_text(json.dumps({**json.loads(p.read_text()), "record": [1, 2]})),
    "nested-deep": _write(b"[" * 100_000),
}


def test_round_trip(tmp_path):
    cache = ResultCache(tmp_path / "cache")
    cache.put(KEY, RECORD)
    assert cache.get(KEY) == RECORD
    assert cache.find(KEY[:16]) == RECORD
    assert len(cache) == 1


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
    assert cache.get(KEY) == RECORD


DESIGN = """name: cachecheck
stack: {name: transparent_MAPbI3, thickness_nm: {perovskite: 150}}
cavity: {type: dfb, order: 2, period_nm: 380, duty_cycle: 0.5, n_periods: 250}
sweep: {grid: {period_nm: [375, 380, 385]}}
objective: {wavelength_window_nm: [770, 800]}
"""


def test_pipeline_recomputes_tampered_entries(tmp_path, capsys):
    """Tamper with entries of a finished run (edit a number, truncate, replace by garbage): the next run reports each
    in one line, recomputes exactly those, and its table equals the clean run's."""
    from perocav.designs.pipeline import run_design

    design = tmp_path / "d.yaml"
    design.write_text(DESIGN)
    out = tmp_path / "out"
    first = run_design(design_path=design, out_dir=out, workers=1, progress=False, report=False, mask=False)
    assert first.computed == 3 and first.failed == 0
    clean = pd.read_parquet(out / "results.parquet")
    paths = sorted((out / "cache").glob("[0-9a-f][0-9a-f]/*.json"))
    assert len(paths) == 3
    _edit_number(paths[0])
    TAMPER["truncated"](paths[1])
    capsys.readouterr()
    second = run_design(design_path=design, out_dir=out, workers=1, progress=False, report=False, mask=False)
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
