"""``DesignResult`` <-> JSON-ready values, for the cache file (the one place results are stored as JSON).

Records are frozen dataclasses; they are written field by field and rebuilt from their type hints, so a stored
entry either decodes into the same record or raises ``ValueError`` (the cache then recomputes it). NaN and inf
are kept (JSON ``NaN`` / ``Infinity``)."""

from __future__ import annotations

import types
import typing
from dataclasses import fields, is_dataclass

from pydantic import ValidationError

from perocav.designs.cavities import record_types
from perocav.designs.device.record import DeviceRecord
from perocav.designs.records import DesignMetrics, DesignResult, DfbDetail, RcwaCrossCheck
from perocav.designs.spec import DesignPoint


def _solver_type(tag: str) -> type:
    """The solver record class of a stored tag (the cavity families' records; older tags "dfb_fdtd" / "dfb_rcwa"
    are not read: their evaluator versions are gone from the cache key)."""
    known = record_types()
    if tag not in known:
        raise ValueError(f"unknown solver record {tag!r}")
    return known[tag]


def _solver_tag(record) -> str:
    tags = {cls: tag for tag, cls in record_types().items()}
    tag = tags.get(type(record))
    if tag is None:
        raise TypeError(f"{type(record).__name__} is not a solver record")
    return tag


def encode(value):
    """A record (dataclasses, tuples, numbers, strings; ``CrossSection`` as its own record) as JSON-ready values."""
    if type(value).__name__ == "CrossSection":
        return value.to_record()
    if is_dataclass(value):
        return {f.name: encode(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, (tuple, list)):
        return [encode(v) for v in value]
    if isinstance(value, dict):
        return {str(k): encode(v) for k, v in value.items()}
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):  # numpy scalars
        return value.item()
    return value


def decode(hint, value):
    """``value`` (from ``encode``) as type ``hint``; a mismatch raises ValueError."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        inner = [a for a in args if a is not type(None)]
        if len(inner) != 1:
            return _one_of(inner, value)
        return decode(inner[0], value)
    if getattr(hint, "__name__", "") == "CrossSection":
        return hint.from_record(value)
    if is_dataclass(hint):
        return decode_dataclass(hint, value)
    if origin is tuple:
        if not isinstance(value, list):
            raise ValueError(f"expected a list for {hint}")
        return tuple(decode(args[0], v) for v in value) if args[-1] is Ellipsis else tuple(
            decode(a, v) for a, v in zip(args, value, strict=True))
    return _scalar(hint, value)


def _one_of(classes, value):
    """A union of dataclasses (a solver record's ``details``): the one whose field names ``value`` holds exactly."""
    if isinstance(value, dict):
        for cls in classes:
            if is_dataclass(cls) and {f.name for f in fields(cls)} == set(value):
                return decode_dataclass(cls, value)
    raise ValueError(f"{value!r:.60} is none of {[getattr(c, '__name__', c) for c in classes]}")


def _scalar(hint, value):
    if hint is float and isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if hint in (int, bool, str) and type(value) is hint:
        return value
    if hint is typing.Any or origin_is_dict(hint) and isinstance(value, dict):
        return value
    raise ValueError(f"{value!r} is not a {getattr(hint, '__name__', hint)}")


def origin_is_dict(hint) -> bool:
    return hint is dict or typing.get_origin(hint) is dict


def decode_dataclass(cls: type, data):
    """An instance of dataclass ``cls`` from its encoded fields (missing fields with defaults take them)."""
    if not isinstance(data, dict):
        raise ValueError(f"expected an object for {cls.__name__}")
    hints = typing.get_type_hints(cls)
    kwargs = {f.name: decode(hints[f.name], data[f.name]) for f in fields(cls) if f.init and f.name in data}
    try:
        return cls(**kwargs)
    except TypeError as err:
        raise ValueError(f"{cls.__name__}: {err}") from None


def result_to_json(result: DesignResult) -> dict:
    """One evaluation (a cache entry's record); ``earlier`` / ``refine_errors`` belong to a run, not to an entry."""
    solver = result.solver
    return {"key": result.key, "point": result.point.model_dump(mode="json"), "fidelity": result.fidelity,
            "status": result.status, "error": result.error, "traceback": result.traceback,
            "wall_time_s": result.wall_time_s, "metrics": encode(result.metrics),
            "solver": None if solver is None else {"type": _solver_tag(solver), "fields": encode(solver)},
            "cross_check": encode(result.cross_check), "detail": encode(result.detail),
            "device": encode(result.device)}


def result_from_json(data: dict) -> DesignResult:
    """The ``DesignResult`` of ``result_to_json``; anything else raises ValueError."""
    try:
        point = DesignPoint.model_validate(data["point"])
        solver = data["solver"]
        if solver is not None:
            solver = decode_dataclass(_solver_type(solver["type"]), solver["fields"])
        return DesignResult(
            key=_scalar(str, data["key"]), point=point, fidelity=_scalar(str, data["fidelity"]),
            status=_scalar(str, data["status"]), error=_scalar(str, data["error"]),
            traceback=_scalar(str, data["traceback"]), wall_time_s=_scalar(float, data["wall_time_s"]),
            metrics=decode(DesignMetrics | None, data["metrics"]), solver=solver,
            cross_check=decode(RcwaCrossCheck | None, data["cross_check"]),
            detail=decode(DfbDetail | None, data["detail"]),
            device=decode(DeviceRecord | None, data.get("device")))
    except (KeyError, TypeError, ValidationError) as err:
        raise ValueError(f"not a design result ({type(err).__name__}: {str(err).splitlines()[0]})") from None
