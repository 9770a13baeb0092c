"""One run per output folder, committed at the end.

A run writes its set (design.yaml, the tables, mask/, figures/, studies.json, report.html, summary.json) into
``OUT/.perocav-staging/``; ``commit`` then moves the previous run's set aside, moves the new set in, and writes
``OUT/.perocav-run.json`` (the design's name and spec hash, the files of the set, sha256 of design.yaml and
results.parquet). From the start of a run to its commit ``OUT/.perocav-incomplete`` names the run: a folder whose
last run did not finish says so, and still holds the previous finished set, whole. The cache (``OUT/cache/``) is
shared by the runs: its keys hold everything a result depends on, so a killed run resumes from it."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from perocav.designs.io import write_json_atomic
from perocav.designs.spec import DesignSpec
from perocav.pdk.errors import InputError
from perocav.pdk.yaml_io import read_yaml_mapping

STAGING = ".perocav-staging"
TRASH = ".perocav-trash"
RECORD = ".perocav-run.json"
MARKER = ".perocav-incomplete"
#: The files a run may write: a commit replaces them all, whether the record lists them or not (a folder from
#: before run records, a report added by `perocav report`).
LEGACY_SET = ("design.yaml", "results.parquet", "results.csv", "results_long.parquet", "results_long.csv", "mask",
              "figures", "studies.json", "report.html", "summary.json")
#: Files whose sha256 the record keeps: ``perocav report`` refuses a folder where they disagree.
HASHED = ("design.yaml", "results.parquet")


def spec_sha256(spec) -> str:
    """sha256 of the design as run (its canonical JSON)."""
    body = json.dumps(spec.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(body.encode()).hexdigest()


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _read_json(path: Path) -> dict | None:
    try:
        with open(path, "rb") as fh:
            data = json.loads(fh.read(1 << 20).decode())
        return data if isinstance(data, dict) else None
    except (OSError, ValueError):
        return None


def run_record(out: Path) -> dict | None:
    """The committed run's record, or None (no finished run, or a folder from before run records)."""
    return _read_json(Path(out) / RECORD)


def unfinished_run(out: Path) -> dict | None:
    """What ``OUT/.perocav-incomplete`` says about the run that started and did not commit, or None."""
    path = Path(out) / MARKER
    if not path.is_file():
        return None
    return _read_json(path) or {}


def incomplete_note(out: Path) -> str | None:
    """One line saying that the last run into ``out`` did not finish (None: it did)."""
    run = unfinished_run(out)
    if run is None:
        return None
    since = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(run.get("started", 0)))
    rec = run_record(out)
    held = (f"the files are those of the last finished run ({rec.get('design', '?')})" if rec else
            "no finished run is here")
    return (f"note: {out}: incomplete: the last run (design {run.get('design', '?')}, started {since}) did not "
            f"finish; {held}; rerun it to complete the folder")


def folder_of(path: str | Path) -> Path | None:
    """The run folder that holds ``path`` (a file of its set, such as ``OUT/mask/NAME_mask.gds``), or None."""
    for parent in list(Path(path).resolve().parents)[:2]:
        if (parent / RECORD).is_file() or (parent / MARKER).is_file():
            return parent
    return None


def finished_design(out: Path) -> tuple[str, str] | None:
    """(name, spec sha256) of the finished run in ``out``; None when there is none."""
    rec = run_record(out)
    if rec is not None:
        return str(rec.get("design", "?")), str(rec.get("spec_sha256", ""))
    if not ((out / "design.yaml").is_file() and (out / "results.parquet").is_file()):
        return None
    try:  # a folder from before run records: the design as run
        spec = DesignSpec.model_validate(read_yaml_mapping(out / "design.yaml", keys_hint="name, stack, ..."))
        return spec.name, spec_sha256(spec)
    except Exception:  # unreadable: another design as far as we can tell
        return "?", ""


def check_same_design(out: str | Path, spec, *, overwrite: bool) -> None:
    """Refuse (one line) to run ``spec`` into a folder holding another design's finished results, unless
    ``overwrite``; a rerun of the same design, or of the run the folder's incomplete mark names, is allowed."""
    out = Path(out)
    if overwrite or not out.is_dir():
        return
    done = finished_design(out)
    sha = spec_sha256(spec)
    if done is None or done == (spec.name, sha):
        return
    unfinished = unfinished_run(out) or {}
    if unfinished.get("design") == spec.name and unfinished.get("spec_sha256") == sha:
        return  # resuming the run that began replacing the folder (with --overwrite)
    what = "design" if done[0] != spec.name else "version of design"
    raise InputError(f"holds the finished results of another {what} ({done[0]}, spec {done[1][:12] or '?'}; "
                     f"this run: {spec.name}, spec {sha[:12]})", field="--out",
                     allowed="a new folder, the same design, or --overwrite to replace them", source=str(out))


#: the file that marks each kind of run folder's committed set
KIND_FILES = {"sweep": "results.parquet", "optimize": "optimize.json"}


def check_folder_kind(out: str | Path, *, kind: str, overwrite: bool) -> None:
    """Refuse (one line) to write a ``kind`` run ("sweep": ``perocav run``, "optimize": ``perocav optimize``) into
    a folder holding the other kind's finished set, which would replace it, unless ``overwrite``."""
    files = (run_record(Path(out)) or {}).get("files") or ()
    for other, marker in KIND_FILES.items():
        if other != kind and marker in files and not overwrite:
            rec = run_record(Path(out)) or {}
            raise InputError(f"holds the finished {other} run of {rec.get('design', '?')}", field="--out",
                             source=str(out), allowed=f"another folder (default out/NAME for a sweep, "
                             f"out/NAME_optimize for an optimisation), or --overwrite to replace it")


class StagedRun:
    """The staging folder of one run into ``out`` (the caller holds the folder's lock)."""

    def __init__(self, out: str | Path, spec):
        self.out = Path(out)
        self.dir = self.out / STAGING
        self.spec = spec
        self.sha = spec_sha256(spec)

    def final(self, path: str | Path) -> str:
        """The path a staged file will have after the commit (paths outside staging unchanged)."""
        # also inside a description ("6 files in DIR"), and whether the path is relative or absolute
        return str(path).replace(str(self.dir), str(self.out)).replace(os.sep + STAGING, "")

    def begin(self) -> None:
        self.out.mkdir(parents=True, exist_ok=True)
        if (self.dir / RECORD).is_file():  # a commit was killed half-way: its staged set is whole, finish it
            _swap(self.out)
        for leftover in (self.dir, self.out / TRASH):  # a run killed before its commit began
            shutil.rmtree(leftover, ignore_errors=True)
        write_json_atomic(self.out / MARKER, {"design": self.spec.name, "spec_sha256": self.sha,
                                              "pid": os.getpid(), "started": time.time()})
        self.dir.mkdir()

    def commit(self) -> None:
        """Record the staged set (from then on it is whole: a commit killed half-way is finished by the next run
        into the folder), then replace the previous run's set with it; then the record, then the mark goes."""
        names = sorted(p.name for p in self.dir.iterdir())
        hashes = {n: file_sha256(self.dir / n) for n in HASHED if (self.dir / n).is_file()}
        write_json_atomic(self.dir / RECORD, {"design": self.spec.name, "spec_sha256": self.sha, "files": names,
                                              "sha256": hashes, "finished": time.time()})
        _swap(self.out)


def _swap(out: Path) -> None:
    """Move the previous set aside and the staged set in (each step can be repeated after a kill), then the
    staged record; remove the mark, the old set and the staging folder."""
    staging, trash = out / STAGING, out / TRASH
    names = list((_read_json(staging / RECORD) or {}).get("files", ()))
    rec = run_record(out)
    old = set(LEGACY_SET) | set(rec.get("files", ()) if rec and isinstance(rec.get("files"), list) else ())
    # (the known names always: `perocav report` may have added report.html to a --no-report run's set)
    trash.mkdir(exist_ok=True)
    for name in sorted(old - set(names) - {STAGING, TRASH, RECORD, MARKER, "cache"}):
        _aside(out / name, trash)
    for name in names:
        if os.path.lexists(staging / name):  # not moved in yet
            _aside(out / name, trash)
            os.replace(staging / name, out / name)
    os.replace(staging / RECORD, out / RECORD)
    (out / MARKER).unlink(missing_ok=True)
    shutil.rmtree(trash, ignore_errors=True)
    shutil.rmtree(staging, ignore_errors=True)


def _aside(path: Path, trash: Path) -> None:
    """Move ``path`` (if there) into ``trash``, over what a killed earlier attempt left there."""
    if not os.path.lexists(path):
        return
    old = trash / path.name
    if old.is_dir() and not old.is_symlink():
        shutil.rmtree(old)
    elif os.path.lexists(old):
        old.unlink()
    os.replace(path, old)


@contextmanager
def staged_run(out: str | Path, spec) -> Iterator[StagedRun]:
    """Stage a run into ``out``: the body writes into ``.dir`` and calls ``commit``; if it raises before the commit,
    the staging folder goes and the incomplete mark stays (the previous set untouched, the cache kept for the
    rerun); if it raises during the commit, the next run into the folder finishes that commit first."""
    run = StagedRun(out, spec)
    run.begin()
    try:
        yield run
    finally:
        if not (run.dir / RECORD).is_file():  # a commit that began is finished by the next run, not undone
            shutil.rmtree(run.dir, ignore_errors=True)


def check_consistent(out: str | Path) -> None:
    """Refuse (one line) a folder whose design.yaml and results table are not the ones its last run committed."""
    out = Path(out)
    rec = run_record(out)
    if rec is None:
        return
    for name, want in (rec.get("sha256") or {}).items():
        path = out / name
        if path.is_file() and file_sha256(path) != want:
            raise InputError(f"{name} is not the one the run of {rec.get('design', '?')} wrote (changed since)",
                             field=name, allowed="the design and table of one run (rerun it)", source=str(out))
