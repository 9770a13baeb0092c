"""Schema guards shared by every input model: booleans are never numbers, lengths are finite and bounded."""

from __future__ import annotations

import types
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field, model_validator

from perocav.pdk.errors import InputError

#: Largest layer thickness accepted anywhere [nm]: a layer of a thin-film stack is micrometres at most (the
#: analytic slab model's cost grows with the number of guided modes: ~1 s per design at 1 um, ~8 s at 5 um).
MAX_THICKNESS_NM = 5000.0

#: A layer thickness [nm]: finite, 0 <= t <= MAX_THICKNESS_NM (0: the level is absent from the optical model).
ThicknessNm = Annotated[float, Field(ge=0, le=MAX_THICKNESS_NM, allow_inf_nan=False)]


def _numeric(tp: Any) -> bool:
    """True when ``tp`` is a number type (or an optional/union/literal of numbers)."""
    if tp in (int, float, complex):
        return True
    origin = get_origin(tp)
    if origin is Annotated:
        return _numeric(get_args(tp)[0])
    if origin is Literal:
        return all(isinstance(a, (int, float)) and not isinstance(a, bool) for a in get_args(tp))
    if origin in (Union, types.UnionType):
        args = [a for a in get_args(tp) if a is not type(None)]
        return bool(args) and all(_numeric(a) for a in args)
    return False


def _bool_in(tp: Any, value: Any) -> bool:
    """True when ``value`` holds a bool where ``tp`` expects a number (top level, dict values, list items)."""
    if isinstance(value, bool):
        return _numeric(tp)
    origin, args = get_origin(tp), get_args(tp)
    if origin is Annotated:
        return _bool_in(args[0], value)
    if origin is dict and isinstance(value, dict) and len(args) == 2:
        return any(_bool_in(args[1], v) for v in value.values())
    if origin in (list, tuple) and isinstance(value, (list, tuple)) and args:
        items = args[:1] if origin is list or (len(args) == 2 and args[1] is Ellipsis) else args
        return any(_bool_in(items[min(i, len(items) - 1)], v) for i, v in enumerate(value))
    if origin in (Union, types.UnionType):
        return all(_bool_in(a, value) for a in args if a is not type(None)) if isinstance(value, bool) else False
    return False


class StrictModel(BaseModel):
    """Frozen model: unknown keys, inf/nan, and ``true``/``false`` where a number is expected are refused."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    @model_validator(mode="before")
    @classmethod
    def _no_bool_numbers(cls, data: Any) -> Any:
        if isinstance(data, dict):
            for name, field in cls.model_fields.items():
                key = field.alias or name
                if key in data and _bool_in(field.annotation, data[key]):
                    raise InputError(f"{data[key]!r} is true/false, not a number", field=key,
                                     allowed="a number", relative=True)
        return data
