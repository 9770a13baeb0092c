"""The cavity-family protocol: what the pipeline asks a cavity family instead of comparing ``cavity.type`` strings.

A family is one frozen ``CavityFamily`` per ``cavity: type`` name, built in its family file (``dfb.py``,
``circular.py``) and registered in ``designs/cavities/__init__.py``. Stages, cache, executor, ranking, report and
mask stay generic: they ask the family."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any


def _no_mask_params(mask) -> dict:
    return {}


@dataclass(frozen=True)
class CavityFamily:
    """One cavity type. ``spec``: its ``cavity:`` section (pydantic; the ``type`` literal is the registry key);
    ``solve(point, fidelity, *, settings=None, cell=None, earlier=None) -> (DesignMetrics, record, cross_check |
    None[, device record | None])`` (``earlier``: the result it refines; the DFB family adds its device record);
    ``fidelities``: the evaluator fidelities ``solve`` has; ``size_um(cavity)``: the footprint [um] (DFB grating
    length, circular outer diameter: the heated opening of ``opening_diameter_um: cavity`` and the mask check's
    largest devices); ``records``: its analytic record types by their cache tag; ``reader_columns``: the quantities
    it adds to the reader's results table beside the shared ones (``designs.table.QUANTITIES``);
    ``cell_geometry``: validation builds the layout cell (the cell judges the design rules) and the analytic model
    reads the built cell's geometry; ``analytic_batch``: the vectorised analytic screen (``evaluate_batch``) takes
    its points; ``detail(result)``: what the report draws of the best design, from its analytic result, once per
    run (None: its record holds it); ``mask_params(mask)``: layout parameters the die adds from the design file's mask section."""

    spec: type
    solve: Callable[..., tuple]
    fidelities: tuple[str, ...]
    size_um: Callable[[Any], float]
    records: Mapping[str, type] = field(default_factory=dict)
    reader_columns: tuple[str, ...] = ()
    cell_geometry: bool = False
    analytic_batch: bool = False
    detail: Callable[[Any], Any] | None = None
    mask_params: Callable[[Any], dict] = _no_mask_params

    @property
    def name(self) -> str:
        """The ``cavity: type`` name (the spec's ``type`` literal)."""
        return self.spec.model_fields["type"].default

    def layout_cell(self, cavity) -> tuple[str, dict]:
        """The layout cell that draws ``cavity`` and its parameters."""
        return cavity.layout_cell()

    def cell_params(self, point) -> tuple[str, dict]:
        """The layout cell of a design point's cavity and its parameters."""
        return self.layout_cell(point.cavity)
