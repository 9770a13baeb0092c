"""A device mode's absorption split by layer of the stack (docs/physics.md, "Modal absorption per layer"): each
section's own loss (its ``DeviceSection.gain_per_cm`` with the sign turned, the pumped sections' gain g_p left out)
is the sum of its layers' modal absorptions, so the power a layer takes in section j is loss_ij x the section's
stored energy int (|R|^2 + |S|^2) dz. Summed over the sections (pumped and unpumped apart) per layer name.
Fractions of the power the gain generates (``budget.PowerBudget``'s normalisation); losses 1/cm."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

#: the one part of a section whose layers are not given: its whole loss
ALL_LAYERS = "all layers"
#: how closely a section's layer parts must sum to its loss (relative, or 1e-9 /cm)
PARTS_RTOL = 1e-9


@dataclass(frozen=True)
class LayerAbsorbed:
    """The power absorbed by stack layer ``layer`` in the pumped (the gain layer there: outside the recombination
    zone) or unpumped sections, as a fraction of the generated power."""

    layer: str
    pumped: bool
    fraction: float

    @property
    def label(self) -> str:
        """"LAYER pumped" or "LAYER unpumped"."""
        return self.label_for(gain_layer="")

    def label_for(self, *, gain_layer: str) -> str:
        """``label``, the gain layer under the opening as "LAYER outside zone" (the zone itself has gain)."""
        if self.pumped and self.layer == gain_layer:
            return f"{self.layer} outside zone"
        return f"{self.layer} {'pumped' if self.pumped else 'unpumped'}"


def section_parts(sections, layer_loss_per_cm: Sequence[Sequence[tuple[str, float]]] | None):
    """Each section's (layer, loss [1/cm]) parts, checked to sum to its loss -gain_per_cm; None: one part each,
    ``ALL_LAYERS``."""
    if layer_loss_per_cm is None:
        return [((ALL_LAYERS, -s.gain_per_cm),) for s in sections]
    if len(layer_loss_per_cm) != len(sections):
        raise ValueError(f"{len(layer_loss_per_cm)} layer splits for {len(sections)} sections")
    for k, (s, parts) in enumerate(zip(sections, layer_loss_per_cm)):
        total = sum(a for _, a in parts)
        if abs(total + s.gain_per_cm) > PARTS_RTOL * max(1.0, abs(s.gain_per_cm)):
            raise ValueError(f"section {k}: its layer losses sum to {total:g} /cm, its loss is {-s.gain_per_cm:g} /cm")
    return [tuple(parts) for parts in layer_loss_per_cm]


def absorbed_by_layer(*, sections, stored: np.ndarray, generated: float,
                      layer_loss_per_cm: Sequence[Sequence[tuple[str, float]]] | None = None
                      ) -> tuple[LayerAbsorbed, ...]:
    """Per (layer, pumped or not), in order of first appearance: sum over sections of loss x stored / generated;
    ``stored``: each section's int (|R|^2 + |S|^2) dz in the units of ``generated`` / (1/cm)."""
    totals: dict[tuple[str, bool], float] = {}
    for s, parts, w in zip(sections, section_parts(sections, layer_loss_per_cm), stored):
        for name, loss in parts:
            key = (name, bool(s.pumped))
            totals[key] = totals.get(key, 0.0) + float(loss) * float(w) / generated
    return tuple(LayerAbsorbed(layer=n, pumped=p, fraction=v) for (n, p), v in totals.items())
