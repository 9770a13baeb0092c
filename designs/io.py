"""Atomic file output: write to a temporary file beside the target, then rename (no half-written files)."""

from __future__ import annotations

import json
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator


def file_mode() -> int:
    """Mode of a new file under the process umask (``0o666 & ~umask``); mkstemp's 0600 is not what users expect."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return 0o666 & ~int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


@contextmanager
def atomic_path(target: str | Path) -> Iterator[Path]:
    """Yield a temporary path in the target's folder; on success it replaces ``target`` atomically. An OS error
    on the temporary file names ``target`` (the temporary name means nothing to a user)."""
    target = Path(target)
    tmp_path = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
        os.close(fd)
        tmp_path = Path(tmp)
        yield tmp_path
        if tmp_path.exists():
            os.chmod(tmp_path, file_mode())
        os.replace(tmp_path, target)
    except OSError as err:
        if err.filename is None or str(err.filename).endswith(".part"):
            raise OSError(err.errno, err.strerror or str(err), str(target)) from None
        raise
    finally:
        if tmp_path is not None and tmp_path.exists():
            tmp_path.unlink()


def write_text_atomic(target: str | Path, text: str) -> Path:
    """Write ``text`` to ``target`` atomically."""
    with atomic_path(target) as tmp:
        tmp.write_text(text)
    return Path(target)


def write_json_atomic(target: str | Path, obj) -> Path:
    """Write ``obj`` as indented JSON atomically."""
    return write_text_atomic(target, json.dumps(obj, indent=2, default=float) + "\n")
