"""Clean error paths (issue 22.3), the fast ones: input files read with a hard byte limit whatever their kind,
cache slots of the wrong kind quarantined like damaged entries, a scheduler that accepts and never answers refused
within the connect timeout, OS errors on the temporary file of an atomic write named by the target."""

from __future__ import annotations

import errno
import os
import socket
import threading
import time
from pathlib import Path

import pytest

from perocav.designs.cache import ResultCache
from perocav.designs.records import DesignResult
from perocav.designs.spec import DesignSpec, expand_points
from tests.inproc import assert_clean_refusal, run_inproc


@pytest.mark.parametrize("path, needle", [("/dev/zero", "not a regular file"), ("/dev/urandom", "not a regular file")])
def test_validate_of_a_device_returns_at_once(path, needle):
    t0 = time.perf_counter()
    res = run_inproc("validate", path)
    assert time.perf_counter() - t0 < 10
    assert_clean_refusal(res, path, "file", needle)


def test_validate_of_a_pipe_without_writer_does_not_block(tmp_path):
    fifo = tmp_path / "d.yaml"
    os.mkfifo(fifo)
    assert_clean_refusal(run_inproc("validate", fifo), str(fifo), "not a regular file")


def test_a_file_over_the_limit_is_refused_by_what_is_read(tmp_path, monkeypatch):
    from perocav.pdk import yaml_io

    monkeypatch.setattr(yaml_io, "MAX_FILE_BYTES", 64)
    path = tmp_path / "d.yaml"
    path.write_text("name: x\n" + "# padding\n" * 20)
    assert_clean_refusal(run_inproc("validate", path), str(path), "more than 64 bytes")


def _result(key: str) -> DesignResult:
    spec = DesignSpec.model_validate({"name": "c", "stack": {"name": "transparent_MAPbI3"},
                                      "cavity": {"type": "dfb", "period_nm": 380}})
    return DesignResult(key=key, point=expand_points(spec)[0], fidelity="analytic", status="failed", error="x")


def _put_slot(kind: str, slot: Path) -> None:
    slot.parent.mkdir(parents=True, exist_ok=True)
    if kind == "folder":
        (slot / "inner").mkdir(parents=True)
    elif kind == "link":
        slot.symlink_to(slot.parent / "elsewhere.json")
    elif kind == "dangling-folder-link":
        slot.symlink_to("/nonexistent/folder")
    elif kind == "pipe":
        os.mkfifo(slot)


@pytest.mark.parametrize("kind", ["folder", "link", "dangling-folder-link", "pipe"])
def test_cache_slot_of_the_wrong_kind_is_quarantined(tmp_path, capsys, kind):
    cache = ResultCache(tmp_path / "cache")
    key = "ab" + "0" * 62
    slot = cache.root / "ab" / f"{key}.json"
    _put_slot(kind, slot)
    assert cache.get(key) is None  # never read through, never blocks on a pipe
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "bad cache entry" in err and ".part" not in err, err
    cache.put(key, _result(key))
    assert cache.get(key) is not None and slot.is_file() and not slot.is_symlink()
    assert len(list((cache.root / "quarantine").iterdir())) == 1


def test_cache_shard_that_is_a_file_is_quarantined(tmp_path, capsys):
    cache = ResultCache(tmp_path / "cache")
    key = "cd" + "1" * 62
    cache.root.mkdir()
    (cache.root / "cd").write_text("not a folder")
    cache.put(key, _result(key))
    assert cache.get(key) is not None
    assert "a file where a cache folder belongs" in capsys.readouterr().err


def test_atomic_write_error_names_the_target_not_the_temporary_file(tmp_path, monkeypatch):
    from perocav.designs.io import write_text_atomic

    def full(self, *args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Path, "write_text", full)
    with pytest.raises(OSError) as info:
        write_text_atomic(tmp_path / "a.json", "x")
    assert info.value.errno == errno.ENOSPC and info.value.filename == str(tmp_path / "a.json")
    assert not list(tmp_path.iterdir())  # no temporary file left


def _silent_server() -> tuple[socket.socket, threading.Event]:
    """A socket on 127.0.0.1 that accepts connections and never sends a byte."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(4)
    stop = threading.Event()
    held = []

    def serve():
        srv.settimeout(0.1)
        while not stop.is_set():
            try:
                held.append(srv.accept()[0])
            except OSError:
                pass
        for c in held:
            c.close()

    threading.Thread(target=serve, daemon=True).start()
    return srv, stop


def test_scheduler_that_accepts_and_never_answers_is_refused_in_time(monkeypatch):
    from perocav.designs import executor
    from perocav.pdk.errors import InputError

    monkeypatch.setattr(executor, "CONNECT_TIMEOUT_S", 0.3)
    srv, stop = _silent_server()
    try:
        address = f"tcp://127.0.0.1:{srv.getsockname()[1]}"
        t0 = time.perf_counter()
        with pytest.raises(InputError) as info:
            executor.check_executor_options(workers=None, scheduler=address)
        assert time.perf_counter() - t0 < 1.3
        assert info.value.field == "--scheduler" and "no Dask handshake within 0.3 s" in info.value.problem
    finally:
        stop.set()
        srv.close()


def test_scheduler_probe_accepts_a_server_that_speaks_first():
    from perocav.designs.executor import _probe_scheduler

    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(1)

    def greet():
        conn, _ = srv.accept()
        conn.sendall(b"\x00handshake")
        conn.close()

    threading.Thread(target=greet, daemon=True).start()
    try:
        assert _probe_scheduler(f"tcp://127.0.0.1:{srv.getsockname()[1]}", timeout_s=2.0) == ""
    finally:
        srv.close()


def test_a_library_reporting_errno_in_its_message_becomes_an_os_error(tmp_path):
    """klayout's GDS writer reports a full disk as RuntimeError '... (errno=28) ...': the run turns it into an OS
    error naming the folder of the writer's temporary file."""
    from perocav.designs.pipeline import _named, _os_error_in
    from perocav.designs.run_folder import StagedRun

    staged = StagedRun(tmp_path / "out", DesignSpec.model_validate({"name": "c", "stack": {"name": "transparent_MAPbI3"},
                                                                    "cavity": {"type": "dfb", "period_nm": 380}}))
    tmp = staged.dir / "mask" / ".B_mask_GRATING.gds.fwa2n5oo.tmp"
    err = _os_error_in(RuntimeError(f"Write error on file: {tmp} (errno=28), writing layer 1/0, writing cell 'A01'"))
    assert err is not None and err.errno == errno.ENOSPC
    named = _named(err, staged)
    assert named.filename == str(tmp_path / "out" / "mask") and named.strerror == "No space left on device"
    assert _os_error_in(RuntimeError("something else went wrong")) is None


@pytest.mark.slow
def test_report_of_a_folder_still_being_written_names_the_lock(tmp_path):
    """A first run is still writing (no results yet): `perocav report` names its lock, not 'no results here'."""
    from perocav.designs.lock import output_lock

    out = tmp_path / "out"
    out.mkdir()
    with output_lock(out):
        line = assert_clean_refusal(run_inproc("report", out), str(out), "RUN_DIR", "another run is writing here",
                                    f"pid {os.getpid()}")
    assert "no finished run" not in line
    assert_clean_refusal(run_inproc("report", out), str(out), "RUN_DIR", "no finished run here")
