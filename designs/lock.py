"""One writer per output folder: ``OUT/.perocav.lock`` holds the writer's pid, host and start time.

The lock is an ``flock`` on that file (the kernel drops it when the holder dies, so a killed run never
blocks the next one); the file's content names the holder for the one-line message a second run prints,
and says when a lock left by a killed run was taken over."""

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


@contextmanager
def output_lock(out_dir: str | Path, *, wait: bool = False, poll_s: float = 1.0) -> Iterator[Path]:
    """Hold the writer lock of ``out_dir`` (created if needed) for the body. Held by a live run: raise a
    one-line InputError naming it, or with ``wait`` block until it is released. Yields the lock file."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    path = out / LOCK_NAME
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        waited = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if not wait:
                    raise InputError(f"another run is writing here: {_describe(_holder(fd))}", field="--out",
                                     allowed="a folder no other run is writing (or --wait)",
                                     source=str(out)) from None
                if not waited:
                    print(f"waiting for {_describe(_holder(fd))} to finish writing {out}", file=sys.stderr)
                    waited = True
                time.sleep(poll_s)
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
            os.ftruncate(fd, 0)  # released cleanly: an empty file means "free"
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
