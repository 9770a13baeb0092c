"""A run folder always holds one run (issue 22.1, 22.4): two designs into one folder leave only the second's files
and the report links only them; another design is refused without --overwrite; a run that fails (disk full,
interrupted) replaces nothing, marks the folder incomplete and resumes from the cache; `perocav report` refuses a
design and a table that disagree."""

from __future__ import annotations

import errno
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from perocav.designs.run_folder import MARKER, RECORD
from tests.inproc import assert_clean_refusal, run_inproc

pytestmark = pytest.mark.slow

DESIGN = """\
name: NAME
stack: {name: transparent_MAPbI3}
cavity: {type: dfb, order: 2, period_nm: 380, duty_cycle: 0.5, n_periods: 250}
sweep: {grid: {period_nm: [380, 385], duty_cycle: DUTIES}}
objective: {wavelength_window_nm: [770, 800]}
MASK
"""


def _design(folder: Path, name: str, duties: str, mask: str = "mask: {top_n: 2}") -> Path:
    path = folder / f"{name}.yaml"
    path.write_text(DESIGN.replace("NAME", name).replace("DUTIES", duties).replace("MASK", mask))
    return path


def _run(design: Path, out: Path, *extra: str):
    return run_inproc("run", design, "-o", out, "--workers", "1", "--no-progress", *extra)


def _set(out: Path) -> dict[str, bytes]:
    """Every file of the folder's run set (not the cache) and its bytes."""
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and "cache" not in p.relative_to(out).parts}


def _links(out: Path) -> list[str]:
    return re.findall(r'href="([^"#]+)"', (out / "report.html").read_text())


def test_two_designs_into_one_folder_leave_only_the_second(tmp_path):
    a = _design(tmp_path, "A", "[0.3, 0.5]")
    b = _design(tmp_path, "B", "[0.4]", mask="mask: {top_n: 1}")
    out = tmp_path / "out"
    assert _run(a, out).returncode == 0
    assert any(p.name.startswith("A_mask") for p in (out / "mask").iterdir())
    before = _set(out)

    refused = _run(b, out)
    assert_clean_refusal(refused, str(out), "--out", "another design (A", "--overwrite")
    assert _set(out) == before  # nothing of A's set touched

    res = _run(b, out, "--overwrite")
    assert res.returncode == 0, res.stderr
    mask = sorted(p.name for p in (out / "mask").iterdir())
    assert mask and all(n.startswith("B_mask") or n == "chosen_designs.csv" for n in mask), mask
    chosen = pd.read_csv(out / "mask" / "chosen_designs.csv")
    assert set(chosen["duty_cycle"]) == {0.4}
    links = _links(out)
    assert links and all((out / link).is_file() for link in links), links
    assert not any("A_mask" in link for link in links)
    assert "A_mask" not in (out / "report.html").read_text() and "A_mask" not in (out / "summary.json").read_text()
    record = json.loads((out / RECORD).read_text())
    assert record["design"] == "B" and not (out / MARKER).exists()

    again = _run(b, out, "--no-mask")  # the same design again, without a mask: no mask of B's first run stays
    assert again.returncode == 0, again.stderr
    assert not (out / "mask").exists() and not any("mask/" in link for link in _links(out))
    report = run_inproc("report", out)
    assert report.returncode == 0 and report.error_lines() == [], report.stderr


def test_report_refuses_a_design_and_table_that_disagree(tmp_path):
    a = _design(tmp_path, "A", "[0.3, 0.5]", mask="")
    b = _design(tmp_path, "B", "[0.4]", mask="")
    out = tmp_path / "out"
    assert _run(a, out, "--no-report").returncode == 0
    (out / "design.yaml").write_text(b.read_text())  # a hand-mixed folder
    assert_clean_refusal(run_inproc("report", out), str(out), "design.yaml", "not the one the run of A wrote")
    (out / RECORD).unlink()  # a folder from before run records: the table's rows are checked against the design
    assert_clean_refusal(run_inproc("report", out), str(out), "design.yaml", "is not the table of design.yaml (B")


def test_disk_full_is_one_line_replaces_nothing_and_resumes(tmp_path, monkeypatch):
    a = _design(tmp_path, "A", "[0.3]", mask="")
    b = _design(tmp_path, "B", "[0.3, 0.4, 0.5]", mask="")
    out = tmp_path / "out"
    assert _run(a, out, "--no-report").returncode == 0
    before = _set(out)

    real = Path.write_text
    writes = []

    def write_text(self, *args, **kwargs):  # the third cache entry of the run meets a full disk
        if self.name.endswith(".part") and "cache" in self.parts:
            writes.append(self)
            if len(writes) >= 3:
                raise OSError(errno.ENOSPC, "No space left on device")  # as a write() reports it: no path
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", write_text)
    res = _run(b, out, "--no-report", "--overwrite")
    line = assert_clean_refusal(res, str(out / "cache"), "No space left on device (ENOSPC)", "rerun the same command")
    assert ".part" not in line and ".perocav-staging" not in line
    assert _set(out) == {**before, MARKER: (out / MARKER).read_bytes()}  # A's set whole, the folder marked
    assert not list(out.rglob("*.part"))
    report = run_inproc("report", out)
    assert report.returncode == 0 and "incomplete" in report.stderr and "(design B" in report.stderr

    monkeypatch.setattr(Path, "write_text", real)
    res = run_inproc("run", b, "-o", out, "--workers", "1", "--no-progress", "--no-report", "--json")  # resume
    assert res.returncode == 0, res.stderr
    summary = json.loads(res.stdout)
    # the cache is shared: A's two points, and the two of B written before the disk filled, are not recomputed
    assert summary["design"] == "B" and summary["from_cache"] == 4 and summary["computed"] == 2
    assert not (out / MARKER).exists() and json.loads((out / RECORD).read_text())["design"] == "B"


def test_sigint_is_one_line_and_resumable(tmp_path):
    design = tmp_path / "r.yaml"
    design.write_text(DESIGN.replace("NAME", "R").replace("DUTIES", "[0.3, 0.4, 0.5, 0.6]").replace("MASK", "")
                      + "fidelity: rcwa\n")
    out = tmp_path / "out"
    cmd = [sys.executable, "-W", "ignore", "-m", "perocav.designs.cli", "run", str(design), "-o", str(out),
           "--workers", "1", "--no-progress", "--no-report"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.time() + 120
    while not list((out / "cache").glob("*/*.json")) and time.time() < deadline and proc.poll() is None:
        time.sleep(0.05)  # the first RCWA design is done: the run is in its sweep
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    lines = [line for line in err.splitlines() if line.strip()]
    assert proc.returncode == 130 and lines == ["error: aborted, resumable: rerun the same command"], err
    assert (out / MARKER).exists() and not (out / "results.parquet").exists()
    res = _run(design, out, "--no-report", "--json")
    assert res.returncode == 0 and json.loads(res.stdout)["from_cache"] >= 1, res.stderr


def test_same_design_reruns_without_overwrite_and_leaves_no_staging(tmp_path):
    a = _design(tmp_path, "A", "[0.3]", mask="")
    out = tmp_path / "out"
    assert _run(a, out, "--no-report").returncode == 0
    res = _run(a, out, "--no-report", "--json")
    assert res.returncode == 0 and json.loads(res.stdout)["from_cache"] == 2
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".")) == [RECORD]
    os.utime(out / "design.yaml")  # a touched (not changed) design is still the same run
    assert run_inproc("report", out).returncode == 0
