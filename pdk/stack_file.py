"""Read a user-defined stack from YAML (see README: name, substrate, cover, layers bottom to top)."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import ValidationError

from perocav.pdk.errors import InputError, from_validation_error
from perocav.pdk.stack import Stack
from perocav.pdk.stacks import get_stack


def load_stack_file(path: str | Path) -> Stack:
    """Parse and validate a stack YAML file; any problem raises one-line InputError naming the file."""
    path = Path(path)
    source = str(path)
    try:
        text = path.read_text()
    except OSError as err:
        raise InputError(f"cannot read file ({err.strerror})", field="file", allowed="a readable YAML file", source=source) from None
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = " ".join(str(getattr(err, "problem", None) or err).split())
        raise InputError(f"{where}malformed YAML: {problem}", field="file", allowed="valid YAML", source=source) from None
    if not isinstance(doc, dict):
        raise InputError("top level must be a mapping", field="file", allowed="name, substrate, cover, layers", source=source)
    try:
        return Stack.model_validate(doc)
    except ValidationError as err:
        raise from_validation_error(err, source=source) from None
    except InputError as err:
        raise err.with_source(source) from None


def resolve_stack(name_or_file: str, *, thickness_nm: dict[str, float] | None = None) -> Stack:
    """A built-in stack name or a path to a stack YAML file."""
    if name_or_file.endswith((".yaml", ".yml")) or Path(name_or_file).is_file():
        stack = load_stack_file(name_or_file)
        return stack.with_thicknesses(thickness_nm) if thickness_nm else stack
    return get_stack(name_or_file, thickness_nm=thickness_nm)
