"""One writer per output folder (issue 13, item 5): a second run stops with one line naming the holder or waits
with --wait; a lock left by a killed run is taken over; killing a run's parent leaves no pool workers behind."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import textwrap
import time

import pytest

from perocav.designs.lock import LOCK_NAME, output_lock
from perocav.pdk.errors import InputError
from tests.inproc import assert_clean_refusal, run_inproc

pytestmark = pytest.mark.slow

HOLD = textwrap.dedent("""
    import sys, time
    from perocav.designs.lock import output_lock
    with output_lock(sys.argv[1]):
        print("locked", flush=True)
        time.sleep(float(sys.argv[2]))
""")


def _holder(out, seconds: float) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(out), str(seconds)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "locked"
    return proc


def test_second_writer_is_refused_with_the_holder_named(tmp_path):
    proc = _holder(tmp_path / "out", 60)
    try:
        with pytest.raises(InputError) as info:
            with output_lock(tmp_path / "out"):
                pass
        line = str(info.value)
        assert f"pid {proc.pid} on {socket.gethostname()}" in line and "--wait" in line
    finally:
        proc.kill()
        proc.wait()


def test_run_on_a_locked_folder_stops_before_computing(tmp_path):
    design = tmp_path / "d.yaml"
    design.write_text("name: locked\nstack: {name: transparent_MAPbI3}\ncavity: {type: dfb, period_nm: 380}\n")
    proc = _holder(tmp_path / "out", 60)
    try:
        res = run_inproc("run", design, "-o", tmp_path / "out", "--workers", "1", "--no-progress")
        assert_clean_refusal(res, str(tmp_path / "out"), "--out", f"pid {proc.pid}")
        assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [LOCK_NAME]  # nothing computed or written
    finally:
        proc.kill()
        proc.wait()


def test_wait_blocks_until_the_holder_is_done(tmp_path, capsys):
    proc = _holder(tmp_path / "out", 2.0)
    t0 = time.perf_counter()
    with output_lock(tmp_path / "out", wait=True, poll_s=0.1):
        assert time.perf_counter() - t0 > 1.0  # not before the holder let go (it holds 2 s)
        held = json.loads((tmp_path / "out" / LOCK_NAME).read_text())
        assert held["pid"] == os.getpid() and held["host"] == socket.gethostname()
    assert proc.wait(timeout=30) == 0
    assert "waiting for pid" in capsys.readouterr().err
    assert not (tmp_path / "out" / LOCK_NAME).exists()  # released cleanly: no lock file left


def test_stale_lock_of_a_killed_run_is_taken_over(tmp_path, capsys):
    proc = _holder(tmp_path / "out", 60)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert json.loads((tmp_path / "out" / LOCK_NAME).read_text())["pid"] == proc.pid  # left behind
    with output_lock(tmp_path / "out"):
        assert json.loads((tmp_path / "out" / LOCK_NAME).read_text())["pid"] == os.getpid()
    err = capsys.readouterr().err
    assert "taking over the lock of pid" in err and str(proc.pid) in err


POOL = textwrap.dedent("""
    import time
    from perocav.designs.executor import make_executor
    with make_executor(workers=2) as pool:
        futures = [pool.submit(time.sleep, 120) for _ in range(2)]
        time.sleep(1.0)
        print(" ".join(str(p) for p in pool._processes), flush=True)
        time.sleep(120)
""")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie waiting for its (dead) parent's reaper counts as gone
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def _session(sid: int) -> list[int]:
    """Live (non-zombie) processes of session ``sid``: the run, its forkserver, resource tracker and workers."""
    found = []
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat") as fh:
                    fields = fh.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[0] != "Z" and int(fields[3]) == sid:
                found.append(int(d))
    return found


def test_killing_the_parent_stops_the_pool_workers():
    """SIGKILL of the run (the issue's case: parent only) leaves nothing of its session: no workers, forkserver or
    resource tracker. Without the workers' watch on their run, the 2 workers were still alive 8 s later."""
    proc = subprocess.Popen([sys.executable, "-c", POOL], stdout=subprocess.PIPE, text=True, start_new_session=True)
    pids = [int(p) for p in proc.stdout.readline().split()]
    assert len(pids) == 2 and all(_alive(p) for p in pids)
    assert len(_session(proc.pid)) >= 4  # run, forkserver, resource tracker, 2 workers
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.time() + 15
    while time.time() < deadline and _session(proc.pid):
        time.sleep(0.2)
    left = _session(proc.pid)
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert not left, f"processes outlived their run: {left}"


STRESS = textwrap.dedent("""
    import os, sys, time
    from perocav.designs.lock import output_lock
    out, log = sys.argv[1], sys.argv[2]
    for _ in range(5):
        with output_lock(out, wait=True, poll_s=0.01):
            with open(log, "a") as fh:
                fh.write(f"start {os.getpid()}\\n")
            time.sleep(0.02)
            with open(log, "a") as fh:
                fh.write(f"end {os.getpid()}\\n")
""")


def test_writers_never_overlap(tmp_path):
    """Four processes take the lock five times each (create, release, remove, re-create): never two at once."""
    log = tmp_path / "log.txt"
    procs = [subprocess.Popen([sys.executable, "-c", STRESS, str(tmp_path / "out"), str(log)],
                              stderr=subprocess.DEVNULL) for _ in range(4)]
    assert all(p.wait(timeout=120) == 0 for p in procs)
    lines = log.read_text().split("\n")[:-1]
    assert len(lines) == 40
    for start, end in zip(lines[::2], lines[1::2]):
        assert start.startswith("start ") and end == "end " + start.split()[1], (start, end)
