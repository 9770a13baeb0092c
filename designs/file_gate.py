"""The one input gate of a design file, shared by ``perocav validate`` and ``perocav run`` (validate == run): the
schema, the stack and every sweep point (``spec.load_design``, which runs ``design_gate.check_points``) and the mask
the run would write (``mask_check``), before any work and before any file is written."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from perocav.designs.mask_check import check_mask_plan
from perocav.designs.spec import DesignPoint, DesignSpec, expand_points, load_design


@dataclass(frozen=True)
class GatedDesign:
    """A design file that passed the gate: its spec and every sweep point."""

    spec: DesignSpec
    points: list[DesignPoint]


def gate_design(path: str | Path, *, mask: bool = True) -> GatedDesign:
    """Every check ``perocav run`` applies to the design file at ``path`` (``mask``: the run writes a mask)."""
    spec = load_design(path)  # schema, stack, every point, check_points
    points = expand_points(spec)
    if mask:
        check_mask_plan(spec, points, source=str(path))
    return GatedDesign(spec=spec, points=points)
