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
