"""The run record: when and with what a run was made (date, perocav version, git commit when the package runs from
a checkout, the machine's cores, wall and CPU time), stored in ``summary.json`` and printed in the report's footer."""

from __future__ import annotations

import os
import resource
import subprocess
import time
from datetime import datetime, timezone
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

#: the package's source folder (a checkout's ``designs/``): its git commit is the run's
_SOURCE = Path(__file__).resolve().parent


def git_commit(folder: Path = _SOURCE) -> str | None:
    """The commit of the checkout holding ``folder`` (``+dirty`` when it has uncommitted changes); None outside one
    or without git."""
    try:
        head = subprocess.run(["git", "-C", str(folder), "rev-parse", "HEAD"], capture_output=True, text=True,
                              timeout=5)
        if head.returncode:
            return None
        dirty = subprocess.run(["git", "-C", str(folder), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, timeout=5)
    except (OSError, subprocess.SubprocessError):
        return None
    return head.stdout.strip() + ("+dirty" if dirty.returncode == 0 and dirty.stdout.strip() else "")


def cpu_time_s() -> float:
    """CPU seconds of this process and its reaped children. The worker pool's processes are children of the
    forkserver, not of this process: their CPU is not in it (hence ``cpu_time_main_s`` in the record)."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def run_record(*, started_wall: float, started_cpu: float) -> dict:
    """The record of a run that started at ``time.perf_counter() == started_wall`` and ``cpu_time_s() ==
    started_cpu``: UTC date, perocav version, git commit (None outside a checkout), cores, wall seconds and the main
    process's CPU seconds (``cpu_time_main_s``; the forkserver's workers are not its children)."""
    try:
        ver = version("perocav")
    except PackageNotFoundError:
        ver = "unknown"
    return {"date_utc": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"), "perocav_version": ver,
            "git_commit": git_commit(), "cores": os.cpu_count(),
            "wall_time_s": round(time.perf_counter() - started_wall, 2),
            "cpu_time_main_s": round(cpu_time_s() - started_cpu, 2)}


def record_line(record: dict | None) -> str:
    """The record in one line (the report's footer); "" without one."""
    if not record:
        return ""
    commit = record.get("git_commit")
    return (f"Run {record.get('date_utc', '?')} with perocav {record.get('perocav_version', '?')}"
            + (f" (git {commit[:12]}{'+dirty' if commit.endswith('+dirty') else ''})" if commit else "")
            + f" on {record.get('cores', '?')} cores: {record.get('wall_time_s', float('nan')):.1f} s wall, "
            f"{record.get('cpu_time_main_s', float('nan')):.1f} s CPU in the main process (workers not counted), "
            "up to the report.")
