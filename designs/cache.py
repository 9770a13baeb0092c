"""Content-addressed result cache: one JSON file per design point, written atomically."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from perocav.designs.io import write_json_atomic


@lru_cache(maxsize=1)
def meep_version() -> str:
    """Version of the MEEP the FDTD path would use, read without importing meep (fast)."""
    import importlib.util
    import re

    spec = importlib.util.find_spec("meep")
    if spec is None or spec.origin is None:
        return "absent"
    text = Path(spec.origin).read_text(errors="replace")
    m = re.search(r"__version__\s*=\s*['\"]([^'\"]+)", text)
    return m.group(1) if m else "unknown"


def version_key() -> dict:
    """Package, solver and geometry-library versions that every cache key includes (the cell geometry is a pure
    function of the design point and these versions)."""
    return {"perocav": metadata.version("perocav"), "meep": meep_version(),
            "numpy": metadata.version("numpy"), "scipy": metadata.version("scipy"),
            "gdsfactory": metadata.version("gdsfactory"), "klayout": metadata.version("klayout")}


class ResultCache:
    """``root/ab/abcdef....json``; ``get`` returns None when the point has not finished before."""

    def __init__(self, root: str | Path):
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.json"

    def get(self, key: str) -> dict | None:
        path = self._path(key)
        if not path.is_file():
            return None
        try:
            return json.loads(path.read_text())
        except (OSError, json.JSONDecodeError):
            return None  # unreadable entry: recompute (writes are atomic, so this is only outside damage)

    def put(self, key: str, record: dict) -> None:
        write_json_atomic(self._path(key), record)

    def __len__(self) -> int:
        return sum(1 for _ in self.root.glob("*/*.json")) if self.root.is_dir() else 0
