"""Content-addressed result cache: one JSON file per evaluated design point (a ``DesignResult``), written
atomically, each with its schema version and a sha256 of its record; entries that fail the check (an older schema
included) are moved aside and recomputed."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import re
import stat
import sys
import time
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from perocav.designs.io import write_json_atomic
from perocav.designs.record_codec import result_from_json, result_to_json
from perocav.designs.records import DesignResult


@lru_cache(maxsize=1)
def meep_version() -> str:
    """Version of the MEEP the FDTD path would use, read without importing meep (fast)."""
    spec = importlib.util.find_spec("meep")
    if spec is None or spec.origin is None:
        return "absent"
    text = Path(spec.origin).read_text(errors="replace")
    m = re.search(r"__version__\s*=\s*['\"]([^'\"]+)", text)
    return m.group(1) if m else "unknown"


def version_key() -> dict[str, str]:
    """Package, solver and geometry-library versions that every cache key includes (the cell geometry is a pure
    function of the design point and these versions)."""
    return dict(_versions())


@lru_cache(maxsize=1)
def _versions() -> tuple[tuple[str, str], ...]:
    # read once per process: importlib.metadata parses every package's METADATA file (~20 ms a call under load,
    # 5 calls per cache key made the key cost more than the analytic screen's design)
    return (("perocav", metadata.version("perocav")), ("meep", meep_version()),
            ("numpy", metadata.version("numpy")), ("scipy", metadata.version("scipy")),
            ("gdsfactory", metadata.version("gdsfactory")), ("klayout", metadata.version("klayout")))


#: Layout of a cache entry; entries of another schema are moved aside and recomputed.
#: 3: the record is a ``DesignResult`` (metrics, tagged solver record) instead of a flat dict.
CACHE_SCHEMA = 3

#: Largest cache entry read [bytes] (an entry is a few kB; anything far larger is not ours).
MAX_ENTRY_BYTES = 16 * 1024 * 1024


def _canonical(record: dict) -> str:
    return json.dumps(record, sort_keys=True, separators=(",", ":"), default=float)


def record_sha256(record: dict) -> str:
    """sha256 of the canonical JSON of ``record`` (what an entry's checksum covers)."""
    return hashlib.sha256(_canonical(record).encode()).hexdigest()


class ResultCache:
    """``root/ab/abcdef....json``, each ``{"schema", "key", "sha256", "record"}``. ``get`` returns None when the
    point has not finished before; an entry that fails its check (unreadable, truncated, edited, wrong shape,
    wrong schema or key) is reported in one line on stderr, moved to ``root/quarantine/`` and treated as absent."""

    def __init__(self, root: str | Path):
        self.root = Path(root)
        self.quarantined: list[Path] = []

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.json"

    def get(self, key: str) -> DesignResult | None:
        path = self._path(key)
        if not self._slot_usable(path):
            return None
        if not path.is_file():
            return None
        record, problem = _verified(path, key)
        if not problem:
            try:
                return result_from_json(record)
            except ValueError as err:
                problem = str(err)
        self._quarantine(path, problem)
        return None

    def find(self, prefix: str) -> DesignResult | None:
        """The verified record whose key starts with ``prefix`` (tables show 16-character keys), or None."""
        if len(prefix) < 2 or not all(c in "0123456789abcdef" for c in prefix):
            return None
        for path in sorted(self.root.glob(f"{prefix[:2]}/{prefix}*.json")):
            record = self.get(path.stem)
            if record is not None:
                return record
        return None

    def put(self, key: str, result: DesignResult) -> None:
        if result.earlier is not None or result.key != key:
            raise ValueError("a cache entry holds one evaluation of its own key")
        record = json.loads(json.dumps(result_to_json(result), default=float))
        self._slot_usable(self._path(key))  # a folder, link or device in the way is moved aside first
        write_json_atomic(self._path(key), {"schema": CACHE_SCHEMA, "key": key, "sha256": record_sha256(record),
                                            "record": record})

    def _slot_usable(self, path: Path) -> bool:
        """True when the entry's slot (and its two-character folder) hold nothing of the wrong kind; something of
        the wrong kind (a folder, a symbolic link, a device, a pipe) is quarantined like a damaged entry."""
        for slot, want in ((path.parent, stat.S_ISDIR), (path, stat.S_ISREG)):
            try:
                mode = os.lstat(slot).st_mode
            except (FileNotFoundError, NotADirectoryError):
                return True
            if not want(mode):
                self._quarantine(slot, f"a {_kind(mode)} where a cache {'folder' if want is stat.S_ISDIR else 'file'} "
                                       "belongs")
                return False
        return True

    def _quarantine(self, path: Path, problem: str) -> None:
        dest = self.root / "quarantine" / f"{path.stem}.{time.strftime('%Y%m%dT%H%M%S')}.{os.getpid()}.bad"
        try:
            dest.parent.mkdir(parents=True, exist_ok=True)
            os.replace(path, dest)
            where = f"moved to {dest}"
        except OSError as err:
            where = f"could not move it aside ({err.strerror})"
        self.quarantined.append(dest)
        print(f"warning: {path}: bad cache entry ({problem}); {where}; recomputing", file=sys.stderr)

    def __len__(self) -> int:
        return sum(1 for _ in self.root.glob("[0-9a-f][0-9a-f]/*.json")) if self.root.is_dir() else 0


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISDIR, "folder"), (stat.S_ISLNK, "symbolic link"), (stat.S_ISREG, "file"),
                       (stat.S_ISFIFO, "pipe"), (stat.S_ISSOCK, "socket")):
        if test(mode):
            return name
    return "device"


def _read_entry(path: Path) -> bytes:
    """At most MAX_ENTRY_BYTES + 1 bytes of the regular file ``path`` (no link followed, no pipe waited for)."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(0, "not a regular file")
        with os.fdopen(os.dup(fd), "rb") as fh:
            return fh.read(MAX_ENTRY_BYTES + 1)
    finally:
        os.close(fd)


def _verified(path: Path, key: str) -> tuple[dict | None, str]:
    """(record, "") when the entry at ``path`` is intact and belongs to ``key``; else (None, what is wrong)."""
    try:
        raw = _read_entry(path)
        if len(raw) > MAX_ENTRY_BYTES:
            return None, f"more than {MAX_ENTRY_BYTES} bytes"
        entry = json.loads(raw.decode("utf-8"))
    except OSError as err:
        return None, f"unreadable: {err.strerror}"
    except (UnicodeDecodeError, ValueError) as err:
        return None, f"not JSON ({type(err).__name__})"
    except RecursionError:
        return None, "not JSON (nested too deep)"
    if not isinstance(entry, dict) or set(entry) != {"schema", "key", "sha256", "record"}:
        return None, "not a cache entry (expected schema, key, sha256, record)"
    if entry["schema"] != CACHE_SCHEMA:
        return None, f"schema {entry['schema']!r}, expected {CACHE_SCHEMA}"
    if entry["key"] != key:
        return None, "entry of another key"
    record = entry["record"]
    if not isinstance(record, dict) or record.get("key") != key or not isinstance(record.get("point"), dict):
        return None, "record lacks its key or design point"
    if entry["sha256"] != record_sha256(record):
        return None, "checksum mismatch (edited or damaged)"
    return record, ""
