"""The mask bracket of a design: which cavity parameters the die brackets around each chosen design, with which step
and how many steps a side, and the neighbouring cavity at a bracket point. Read by the design file's validation
(``spec``) and the mask export; imports neither.

A uniform or quarter-wave grating is bracketed on its layout cell's numbers (period, duty). A cavity drawn as
sections (mixed order, apodised, an explicit list) is bracketed on its design keys ``period_nm`` / ``duty_cycle``:
each bracket point is the neighbouring design, every section re-derived from it (a mixed-order grating's 1st-order
sections keep half the 2nd-order period, an apodised one its profile around the new centre duty, a phase step's
gap its phase; an explicit section's own period scales with the cavity's, its own duty moves with it)."""

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


#: the design keys a sectioned cavity is bracketed on
SECTIONED_AXES = ("period_nm", "duty_cycle")


def is_sectioned(cavity) -> bool:
    """The cavity's layout cell draws a section list (``device_sections``), not one period and duty."""
    return "device_sections" in cavity.layout_cell()[1]


def bracketable(cavity) -> dict[str, float]:
    """The parameters a bracket may vary and their values: the layout cell's numbers (not ``order``), or a
    sectioned cavity's ``SECTIONED_AXES``."""
    if is_sectioned(cavity):
        return {k: getattr(cavity, k) for k in SECTIONED_AXES}
    return {k: v for k, v in cavity.layout_cell()[1].items()
            if isinstance(v, int | float) and not isinstance(v, bool) and k != "order"}


def neighbour_cavity(cavity, values: dict[str, float]):
    """The cavity with ``values`` (period_nm / duty_cycle) set and validated again (a duty past its limits raises
    ValueError); explicit sections' own periods scale with the cavity's period, their own duties move with its
    duty."""
    ratio = values.get("period_nm", cavity.period_nm) / cavity.period_nm
    shift = values.get("duty_cycle", cavity.duty_cycle) - cavity.duty_cycle
    data = cavity.model_dump() | values
    if cavity.sections is not None:
        data["sections"] = [s | ({"period_nm": round(s["period_nm"] * ratio, 9)} if s["period_nm"] is not None else {})
                            | ({"duty_cycle": round(s["duty_cycle"] + shift, 9)} if s["duty_cycle"] is not None else {})
                            for s in data["sections"]]
    return type(cavity).model_validate(data)


def bracket_axes(spec) -> dict[str, tuple[float, int]]:
    """{cavity parameter: (step, steps)} of the mask bracket of a design spec (``mask.bracket``, or the
    default where the cavity has the parameter); a parameter the cavity cannot bracket (``bracketable``), or
    without a step, raises InputError (field relative to the design file)."""
    layout_params = bracketable(spec.cavity)
    bracket = spec.mask.bracket if spec.mask is not None else None
    if bracket is None:
        wanted = {k: (None, n) for k, n in DEFAULT_BRACKET.items() if k in layout_params}
    else:
        wanted = {k: (b.step, b.steps) for k, b in bracket.items()}
    numeric = sorted(layout_params)
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
