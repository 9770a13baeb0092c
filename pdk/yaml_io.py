"""Read a YAML file that must hold a mapping; every problem is a one-line InputError naming the file."""

from __future__ import annotations

from pathlib import Path

import yaml

from perocav.pdk.errors import InputError


def read_yaml_mapping(path: str | Path, *, keys_hint: str) -> dict:
    """Parsed top-level mapping of ``path``; ``keys_hint`` lists the expected keys for the error line."""
    path = Path(path)
    src = str(path)
    try:
        text = path.read_text()
    except OSError as err:
        raise InputError(f"cannot read file ({err.strerror})", field="file", allowed="a readable YAML file",
                         source=src) from None
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = " ".join(str(getattr(err, "problem", None) or err).split())
        raise InputError(f"{where}malformed YAML: {problem}", field="file", allowed="valid YAML", source=src) from None
    if not isinstance(doc, dict):
        raise InputError("top level must be a mapping", field="file", allowed=keys_hint, source=src)
    return doc
