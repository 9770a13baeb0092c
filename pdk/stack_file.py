"""Read a user-defined stack from YAML (see README: name, substrate, cover, layers bottom to top)."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from perocav.pdk.errors import InputError, from_validation_error
from perocav.pdk.stack import Stack
from perocav.pdk.stacks import get_stack
from perocav.pdk.yaml_io import read_yaml_mapping


def load_stack_file(path: str | Path) -> Stack:
    """Parse and validate a stack YAML file; any problem raises one-line InputError naming the file."""
    source = str(path)
    doc = read_yaml_mapping(path, keys_hint="name, substrate, cover, layers")
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
