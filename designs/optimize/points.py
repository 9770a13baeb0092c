"""A trial's values -> the design point it stands for, or why it is infeasible (the cavity's own rules, the
GRATING layer's minimum tooth and gap, the layout cell's design rules: the die's)."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import ValidationError

from perocav.designs.cavities import family
from perocav.designs.cavities.cell import build_cavity_cell
from perocav.designs.optimize.variables import thickness_values, with_values
from perocav.designs.spec import DesignPoint, DesignSpec, StackRef
from perocav.pdk.errors import InputError, from_validation_error


@dataclass(frozen=True)
class TrialPoint:
    """A trial's design point (None when infeasible) and the reason it is infeasible ("" when feasible)."""

    point: DesignPoint | None
    infeasible: str = ""


def trial_point(spec: DesignSpec, values: dict[str, float]) -> TrialPoint:
    """The design point of ``spec`` with the variables at ``values`` (its ``params`` are the values)."""
    try:
        cavity = with_values(spec.cavity, values)
        thickness = {**spec.stack.thickness_nm, **thickness_values(values)}
        stack = StackRef(name=spec.stack.name, thickness_nm=thickness)
        if thickness != spec.stack.thickness_nm:
            stack.resolve()
        if family(cavity).cell_geometry:
            build_cavity_cell(cavity)  # the layout cell judges the die's design rules
    except ValidationError as err:
        bad = from_validation_error(err)
        return TrialPoint(None, f"{bad.field}: {bad.problem}")
    except InputError as err:
        return TrialPoint(None, f"{err.field}: {err.problem}")
    return TrialPoint(DesignPoint(stack=stack, cavity=cavity, gain_material=spec.gain_material, params=dict(values)))
