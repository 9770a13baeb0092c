"""The mask bracket of a design: which cavity parameters the die brackets around each chosen design, with which step
and how many steps a side. Read by the design file's validation (``spec``) and the mask export; imports neither."""

from __future__ import annotations

from perocav.pdk.errors import InputError

#: Default bracket (steps on each side) where the cavity has the parameter.
DEFAULT_BRACKET: dict[str, int] = {"period_nm": 2, "duty_cycle": 1}
#: Step used when the design does not sweep the bracketed parameter.
FALLBACK_STEP: dict[str, float] = {"period_nm": 5.0, "duty_cycle": 0.05}


def _sweep_step(spec, key: str) -> float | None:
    """The step of the design's sweep along cavity parameter ``key`` (a Range's step, or the smallest
    spacing of a value list); None when ``key`` is not swept."""
    axis = spec.sweep.grid.get(key, spec.sweep.zip.get(key))
    if axis is None:
        return None
    if hasattr(axis, "start"):  # a Range (start, stop, step or num)
        if axis.step is not None:
            return axis.step
        return (axis.stop - axis.start) / (axis.num - 1) if axis.num and axis.num > 1 else None
    values = sorted({float(v) for v in axis if isinstance(v, int | float) and not isinstance(v, bool)})
    gaps = [round(b - a, 9) for a, b in zip(values, values[1:])]
    return min(gaps) if gaps else None


def bracket_axes(spec) -> dict[str, tuple[float, int]]:
    """{cavity parameter: (step, steps)} of the mask bracket of a design spec (``mask.bracket``, or the
    default where the cavity has the parameter); a parameter that is not a number of the cavity's
    layout cell, or has no step, raises InputError (field relative to the design file)."""
    layout_params = spec.cavity.layout_cell()[1]
    bracket = spec.mask.bracket if spec.mask is not None else None
    if bracket is None:
        wanted = {k: (None, n) for k, n in DEFAULT_BRACKET.items() if k in layout_params}
    else:
        wanted = {k: (b.step, b.steps) for k, b in bracket.items()}
    numeric = sorted(k for k, v in layout_params.items()
                     if isinstance(v, int | float) and not isinstance(v, bool) and k != "order")
    out = {}
    for key, (step, steps) in wanted.items():
        if key not in numeric:
            raise InputError(f"not a numeric parameter of the {spec.cavity.type} cavity", field=f"mask.bracket.{key}",
                             allowed=", ".join(numeric), relative=True)
        step = step or _sweep_step(spec, key) or FALLBACK_STEP.get(key)
        if step is None:
            raise InputError(f"{key} is not swept, so the bracket needs its step", field=f"mask.bracket.{key}.step",
                             allowed="> 0", relative=True)
        if steps:
            out[key] = (float(step), steps)
    return out
