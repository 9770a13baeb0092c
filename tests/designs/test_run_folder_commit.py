"""The commit step of a run folder (designs/run_folder.py), without running designs: a commit replaces the previous
set whole, and one killed half-way is finished by the next run into the folder, so no finished set is lost."""

from __future__ import annotations

import json
import os

import pytest

from perocav.designs import run_folder
from perocav.designs.run_folder import MARKER, RECORD, STAGING, staged_run
from perocav.designs.spec import DesignSpec


def _spec(name: str) -> DesignSpec:
    return DesignSpec.model_validate({"name": name, "stack": {"name": "transparent_MAPbI3"},
                                      "cavity": {"type": "dfb", "period_nm": 380}})


def _commit(out, name: str, files: dict[str, str]) -> None:
    with staged_run(out, _spec(name)) as run:
        for rel, text in files.items():
            (run.dir / rel).parent.mkdir(parents=True, exist_ok=True)
            (run.dir / rel).write_text(text)
        run.commit()


def _tree(out) -> dict[str, str]:
    return {str(p.relative_to(out)): p.read_text() for p in sorted(out.rglob("*"))
            if p.is_file() and p.name not in (RECORD,) and "cache" not in p.parts}


A = {"design.yaml": "a", "results.parquet": "ta", "mask/A_mask.gds": "ga", "mask/chosen_designs.csv": "ca"}
B = {"design.yaml": "b", "results.parquet": "tb", "report.html": "rb"}


def test_commit_replaces_the_whole_set(tmp_path):
    out = tmp_path / "out"
    (out / "cache").mkdir(parents=True)
    (out / "cache" / "entry.json").write_text("kept")
    (out / "notes.txt").write_text("the user's")
    _commit(out, "A", A)
    _commit(out, "B", B)
    assert _tree(out) == {**B, "notes.txt": "the user's"}
    assert (out / "cache" / "entry.json").read_text() == "kept"
    rec = json.loads((out / RECORD).read_text())
    assert rec["design"] == "B" and rec["files"] == ["design.yaml", "report.html", "results.parquet"]
    assert not any(p.name.startswith((".perocav-staging", ".perocav-trash", MARKER)) for p in out.iterdir())


def test_a_failed_run_replaces_nothing(tmp_path):
    out = tmp_path / "out"
    _commit(out, "A", A)
    with pytest.raises(OSError):
        with staged_run(out, _spec("B")) as run:
            (run.dir / "design.yaml").write_text("b")
            raise OSError(28, "No space left on device")
    assert _tree(out) == {**A, MARKER: (out / MARKER).read_text()}
    assert json.loads((out / MARKER).read_text())["design"] == "B" and not (out / STAGING).exists()


@pytest.mark.parametrize("moves", [0, 1, 2, 3, 4, 5, 6, 7])
def test_a_commit_killed_half_way_is_finished_by_the_next_run(tmp_path, monkeypatch, moves):
    out = tmp_path / "out"
    _commit(out, "A", A)
    real, done = os.replace, []

    def replace(src, dst):  # the run is killed after ``moves`` renames of its commit
        if len(done) == moves:
            raise KeyboardInterrupt
        done.append(dst)
        real(src, dst)

    with pytest.raises(KeyboardInterrupt):
        with staged_run(out, _spec("B")) as run:
            for rel, text in B.items():
                (run.dir / rel).write_text(text)
            monkeypatch.setattr(run_folder.os, "replace", replace)
            run.commit()
    monkeypatch.setattr(run_folder.os, "replace", real)
    if moves == 0:  # killed while writing the staged record (os.replace is its atomic rename): nothing began
        assert not (out / STAGING).exists() and _tree(out) == {**A, MARKER: (out / MARKER).read_text()}
        return
    assert (out / STAGING / RECORD).is_file()  # the staged set is kept for the next run
    with staged_run(out, _spec("C")):  # the next run finishes B's commit before it begins
        assert _tree(out) == {**B, MARKER: (out / MARKER).read_text()}
        assert json.loads((out / RECORD).read_text())["design"] == "B"
