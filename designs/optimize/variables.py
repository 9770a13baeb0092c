"""Design variables as paths into a design: ``period_nm`` or ``pump.opening_um`` or ``sections.1.n_periods`` (the
cavity's fields, nested keys and list indices joined by dots) and ``thickness_nm.LAYER`` (a stack layer). Setting
values on a cavity, telling integer variables, and checking an ``optimize:`` section against its design (one line
naming the field and the allowed range). Works on any spec with ``cavity``, ``stack`` and ``optimize``."""

from __future__ import annotations

import copy

from pydantic import ValidationError

from perocav.pdk.errors import InputError, from_validation_error

THICKNESS = "thickness_nm."


def _walk(doc, parts: list[str]):
    """The container holding the last part of ``parts`` in ``doc`` (a dict / list tree); KeyError when absent."""
    node = doc
    for part in parts[:-1]:
        node = node[int(part)] if isinstance(node, list) else node[part]
        if node is None:
            raise KeyError(part)
    last = parts[-1]
    if isinstance(node, list):
        if not last.isdigit() or int(last) >= len(node):
            raise KeyError(last)
    elif last not in node:
        raise KeyError(last)
    return node


def current_value(cavity, name: str):
    """The cavity's value at variable ``name`` (KeyError: the cavity has no such field)."""
    parts = name.split(".")
    node = _walk(cavity.model_dump(mode="json"), parts)
    return node[int(parts[-1])] if isinstance(node, list) else node[parts[-1]]


def is_integer(cavity, name: str) -> bool:
    """An integer variable: the cavity holds a whole number there (``n_periods``, ``first_order_periods``)."""
    if name.startswith(THICKNESS):
        return False
    v = current_value(cavity, name)
    return isinstance(v, int) and not isinstance(v, bool)


def with_values(cavity, values: dict[str, float]):
    """A new cavity of the same type with ``values`` set at their paths (thickness variables skipped); an explicit
    section list's ``n_periods`` follows its sections. Raises pydantic's ValidationError for an invalid design."""
    doc = copy.deepcopy(cavity.model_dump(mode="json"))
    for name, value in values.items():
        if name.startswith(THICKNESS):
            continue
        parts = name.split(".")
        node = _walk(doc, parts)
        node[int(parts[-1]) if isinstance(node, list) else parts[-1]] = value
    if doc.get("sections"):
        doc["n_periods"] = sum(int(s["n_periods"]) for s in doc["sections"])
    return type(cavity).model_validate(doc)


def thickness_values(values: dict[str, float]) -> dict[str, float]:
    """{layer: thickness nm} of the thickness variables among ``values``."""
    return {k[len(THICKNESS):]: v for k, v in values.items() if k.startswith(THICKNESS)}


def check_variables(spec) -> None:
    """Every variable of ``spec.optimize`` names a number of the cavity or a stack layer, and each of its bounds
    alone (the others at the design's values) gives a valid design; else one-line InputError (field relative to
    the design file)."""
    for name, var in spec.optimize.variables.items():
        field = f"optimize.variables.{name}"
        if name.startswith(THICKNESS):
            _check_thickness(spec, name, var, field)
            continue
        try:
            v = current_value(spec.cavity, name)
        except (KeyError, ValueError, IndexError):
            raise InputError(f"the {spec.cavity.type} cavity has no {name!r}", field=field, relative=True,
                             allowed=_allowed_names(spec.cavity)) from None
        if isinstance(v, bool) or not (v is None or isinstance(v, (int, float)) or name.endswith("phase_step")):
            raise InputError(f"{name} is {v!r}, not a number", field=field, relative=True,
                             allowed=_allowed_names(spec.cavity))
        for end in ("low", "high"):
            bound = getattr(var, end)
            value = round(bound) if is_integer(spec.cavity, name) else bound
            try:
                with_values(spec.cavity, {name: value})
            except ValidationError as err:
                bad = from_validation_error(err)
                raise InputError(bad.problem, field=f"{field}.{end}", relative=True,
                                 allowed=bad.allowed or "a bound where the design is valid") from None


def _check_thickness(spec, name: str, var, field: str) -> None:
    layer = name[len(THICKNESS):]
    layers = [layer_.name for layer_ in spec.stack.resolve().layers]
    if layer not in layers:
        raise InputError(f"the stack has no layer {layer!r}", field=field, relative=True,
                         allowed=", ".join(f"{THICKNESS}{n}" for n in layers))
    if var.low <= 0:
        raise InputError(f"{var.low:g} nm", field=f"{field}.low", relative=True, allowed="> 0 nm")


def _allowed_names(cavity) -> str:
    """The numeric variable paths of ``cavity`` (nested sections included), for error lines."""
    out = []

    def visit(node, prefix: str) -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                visit(v, f"{prefix}{k}.")
        elif isinstance(node, list):
            for i, v in enumerate(node):
                visit(v, f"{prefix}{i}.")
        elif isinstance(node, (int, float)) and not isinstance(node, bool) and prefix[:-1] != "order":
            out.append(prefix[:-1])

    visit(cavity.model_dump(mode="json"), "")
    return ", ".join(out) + ", thickness_nm.LAYER"
