"""A cavity's layout cell, built from its spec (``cavity.layout_cell()``), and the derived geometry the analytic
model of a circular cavity reads (moved unchanged from ``designs/spec.py`` and ``designs/evaluate.py``)."""

from __future__ import annotations

from dataclasses import dataclass

from perocav.layout import cells
from perocav.pdk import activate


@dataclass(frozen=True)
class CellGeometry:
    """The derived geometry (``info``) of a cavity's layout cell, built once where the design is validated and
    carried to the solver with the point (circular cavities read their radii from it)."""

    info: dict


def build_cavity_cell(cavity):
    """The cavity's gdsfactory component (the layout cell checks the design rules and raises InputError)."""
    activate()
    name, params = cavity.layout_cell()
    return cells[name](**params)


def cell_geometry(cavity) -> CellGeometry:
    """The derived geometry of ``cavity``'s layout cell (gdsfactory returns the cell built during validation)."""
    return CellGeometry(info=build_cavity_cell(cavity).info.model_dump())
