"""A run folder holds one kind of run: ``perocav run`` refuses a folder holding a finished optimisation and
``perocav optimize`` one holding a finished sweep (either would replace the other's committed set), unless
--overwrite; the refusal is one line naming the folder and --out, and nothing in the folder changes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from perocav.designs.run_folder import RECORD, check_folder_kind, spec_sha256
from perocav.designs.spec import load_design
from perocav.pdk.errors import InputError
from tests.inproc import assert_clean_refusal, run_inproc
from tests.paths import REPO_ROOT


def _record(folder: Path, files: list[str], *, design: str = "earlier", sha: str = "0" * 64) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / RECORD).write_text(json.dumps({"design": design, "spec_sha256": sha, "files": files}))


@pytest.mark.parametrize(("held", "kind", "other"), [(["optimize.json", "trials.csv"], "sweep", "optimize"),
                                                     (["results.parquet", "results.csv"], "optimize", "sweep")])
def test_a_run_of_one_kind_refuses_the_others_folder(tmp_path, held, kind, other):
    _record(tmp_path, held)
    with pytest.raises(InputError, match=f"finished {other} run of earlier"):
        check_folder_kind(tmp_path, kind=kind, overwrite=False)
    check_folder_kind(tmp_path, kind=kind, overwrite=True)  # allowed with --overwrite
    check_folder_kind(tmp_path, kind=other, overwrite=False)  # its own kind: the same-design rule decides


def test_perocav_run_into_an_optimize_folder_is_refused_and_changes_nothing(tmp_path):
    out, design = tmp_path / "opt", REPO_ROOT / "designs" / "default_optimize.yaml"
    spec = load_design(design)  # the same design and version: only the folder's kind tells them apart
    _record(out, ["design.yaml", "optimize.json", "trials.csv", "mask"], design=spec.name, sha=spec_sha256(spec))
    (out / "optimize.json").write_text("{}\n")
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    res = run_inproc("run", design, "-o", out, "--no-progress")
    assert_clean_refusal(res, str(out), "--out", "finished optimize run", "--overwrite")
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
