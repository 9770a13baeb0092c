"""Helpers shared by CLI commands: option parsing with one-line errors, JSON printing."""

from __future__ import annotations

import json
import math
import sys

from perocav.pdk.errors import InputError


def parse_overrides(items: list[str] | None, *, option: str) -> dict[str, float]:
    """``["perovskite=120", ...]`` -> {"perovskite": 120.0}; a malformed item raises InputError."""
    out: dict[str, float] = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        try:
            if not sep or not key:
                raise ValueError
            out[key.strip()] = float(value)
        except ValueError:
            raise InputError(f"{item!r} is not NAME=NUMBER", field=option, allowed="LAYER=THICKNESS_NM") from None
    return out


def check_wavelength(value: float | None, *, option: str = "--wavelength-nm") -> None:
    """Reject non-finite or non-positive wavelengths."""
    if value is not None and not (math.isfinite(value) and value > 0):
        raise InputError(f"{value} is not a wavelength", field=option, allowed="> 0 nm, inside the materials' data")


#: Largest GDS/OASIS file read [bytes].
MAX_GDS_BYTES = 2 * 1024**3


def check_gds_file(path, *, field: str = "GDS") -> None:
    """Refuse (one-line InputError) a path that is not a readable GDS2/OASIS layout."""
    from pathlib import Path

    path = Path(path)
    src = str(path)
    try:
        if not path.is_file():
            raise InputError("no such file", field=field, allowed="an existing .gds file", source=src)
        if path.stat().st_size > MAX_GDS_BYTES:
            raise InputError(f"{path.stat().st_size} bytes", field=field, allowed=f"<= {MAX_GDS_BYTES} bytes",
                             source=src)
        with path.open("rb") as fh:
            head = fh.read(16)
    except OSError as err:
        raise InputError(f"cannot read file ({err.strerror})", field=field, allowed="a readable .gds file",
                         source=src) from None
    if not (head[:4] == b"\x00\x06\x00\x02" or head.startswith(b"%SEMI-OASIS")):
        raise InputError("not a GDS2 or OASIS file (no GDS header)", field=field, allowed="a .gds or .oas layout",
                         source=src)
    import klayout.db as kdb

    try:
        kdb.Layout().read(src)
    except RuntimeError as err:
        problem = " ".join(str(err).split())[:200]
        raise InputError(f"unreadable layout ({problem})", field=field, allowed="a valid .gds or .oas layout",
                         source=src) from None


def check_out_dir(path, *, option: str = "--out") -> None:
    """Refuse an output folder path that exists as something other than a folder."""
    from pathlib import Path

    p = Path(path)
    for q in (p, *p.parents):
        if q.exists() and not q.is_dir():
            raise InputError("exists and is not a folder" if q == p else f"{q} is a file, not a folder",
                             field=option, allowed="a folder (new or existing)", source=str(path))
        if q.exists():
            break


def check_out_file(path, *, option: str = "--out", suffix: str = "") -> None:
    """Refuse an output file path that is a folder or lies below a file."""
    from pathlib import Path

    p = Path(path)
    if p.is_dir():
        raise InputError("is a folder", field=option, allowed=f"a file path{' ending in ' + suffix if suffix else ''}",
                         source=str(path))
    check_out_dir(p.parent, option=option)


def print_json(obj) -> None:
    """One JSON object on stdout (NaN -> null)."""

    def clean(v):
        if isinstance(v, float) and not math.isfinite(v):
            return None
        if isinstance(v, dict):
            return {k: clean(x) for k, x in v.items()}
        if isinstance(v, (list, tuple)):
            return [clean(x) for x in v]
        return v

    sys.stdout.write(json.dumps(clean(obj), indent=2) + "\n")
