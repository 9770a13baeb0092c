"""One writer per output folder: ``OUT/.perocav.lock`` holds the writer's pid, host and start time.

The lock is an ``flock`` on that file (the kernel drops it when the holder dies, so a killed run never
blocks the next one); the file's content names the holder for the one-line message a second run prints,
and says when a lock left by a killed run was taken over. A clean release removes the file."""

from __future__ import annotations

import fcntl
import json
import os
import socket
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from perocav.pdk.errors import InputError

LOCK_NAME = ".perocav.lock"


def _holder(fd: int) -> dict:
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        data = json.loads(os.read(fd, 4096).decode() or "{}")
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def _describe(holder: dict) -> str:
    if not holder:
        return "another perocav process"
    since = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(holder.get("started", 0)))
    return f"pid {holder.get('pid', '?')} on {holder.get('host', '?')} (since {since})"


def _acquire(path: Path, out: Path, *, wait: bool, poll_s: float) -> tuple[int, bool]:
    """An fd of ``path`` holding the flock, and whether we had to wait."""
    waited = False
    while True:
        out.mkdir(parents=True, exist_ok=True)  # a previous holder that created the folder may have removed it
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _describe(_holder(fd))
            os.close(fd)
            if not wait:
                raise InputError(f"another run is writing here: {holder}", field="--out",
                                 allowed="a folder no other run is writing (or --wait)", source=str(out)) from None
            if not waited:
                print(f"waiting for {holder} to finish writing {out}", file=sys.stderr)
                waited = True
            time.sleep(poll_s)
            continue
        try:
            same = os.fstat(fd).st_ino == os.stat(path).st_ino
        except FileNotFoundError:
            same = False
        if same:
            return fd, waited
        os.close(fd)  # the previous holder removed the file as we locked it: lock the current one


@contextmanager
def output_lock(out_dir: str | Path, *, wait: bool = False, poll_s: float = 1.0) -> Iterator[Path]:
    """Hold the writer lock of ``out_dir`` (created if needed) for the body. Held by a live run: raise a
    one-line InputError naming it, or with ``wait`` block until it is released. Yields the lock file. A folder
    this call created is removed again when the body wrote nothing into it (a refused command leaves nothing)."""
    out = Path(out_dir)
    created = not out.exists()
    out.mkdir(parents=True, exist_ok=True)
    path = out / LOCK_NAME
    try:
        fd, waited = _acquire(path, out, wait=wait, poll_s=poll_s)
    except BaseException:
        _remove_if_unused(out, path, created)
        raise
    try:
        old = _holder(fd)
        if old and not waited:  # content left behind without a live lock: the holder was killed
            print(f"note: {out}: taking over the lock of {_describe(old)}, which ended without releasing it",
                  file=sys.stderr)
        me = {"pid": os.getpid(), "host": socket.gethostname(), "started": time.time()}
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, json.dumps(me).encode())
        os.fsync(fd)
        try:
            yield path
        finally:
            os.ftruncate(fd, 0)
            path.unlink(missing_ok=True)  # released cleanly: no lock file (a waiter re-locks the new one)
            _remove_if_unused(out, path, created)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _remove_if_unused(out: Path, path: Path, created: bool) -> None:
    if not created:
        return
    try:
        if [p.name for p in out.iterdir()] in ([LOCK_NAME], []):
            path.unlink(missing_ok=True)
            out.rmdir()
    except OSError:
        pass
