"""The polarity of each lithography level: what its drawn shapes are on the wafer (material kept, or material
removed), how the pattern is transferred (etch through a resist mask, or lift-off through a resist stencil) and the
resist tone; from these, whether the drawn shapes are exposed and what the photomask plate looks like. The
manifest and ``docs/tutorial-2-mask-tapeout.md`` state it per level."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from perocav.pdk.layer_map import LITHO_LEVELS


@dataclass(frozen=True)
class LevelPolarity:
    """Drawn shapes are material ``kept`` or ``removed``; ``transfer``: ``etch`` (the resist protects what stays)
    or ``lift-off`` (the film lands where the resist is open); the resist's ``tone``: a positive resist is opened
    (developed away) where exposed, a negative one where not exposed."""

    drawn: Literal["kept", "removed"]
    transfer: Literal["etch", "lift-off"]
    tone: Literal["positive", "negative"]
    why: str

    @property
    def resist_open_on_drawn(self) -> bool:
        """The resist must be open over the drawn shapes: etching them away, or lifting off a film onto them."""
        return (self.drawn == "removed") == (self.transfer == "etch")

    @property
    def drawn_exposed(self) -> bool:
        """The drawn shapes are the exposed area (else the exposure is their complement in the die)."""
        return self.resist_open_on_drawn == (self.tone == "positive")

    @property
    def mask_field(self) -> str:
        """The photomask plate: dark-field (drawn = clear) when the drawn shapes are exposed, else clear-field."""
        return "dark-field (drawn shapes clear)" if self.drawn_exposed else "clear-field (drawn shapes chrome)"


POLARITY: dict[str, LevelPolarity] = {
    "GRATING": LevelPolarity("removed", "etch", "positive",
                             "trenches etched into the substrate where drawn, then filled with the tooth material; "
                             "e-beam writes only the teeth"),
    "ITO_BOTTOM": LevelPolarity("kept", "etch", "positive", "ITO wet-etched on bare glass; the resist stays on the "
                                "electrode"),
    "PIXEL_DEF": LevelPolarity("kept", "etch", "positive", "dielectric etched in the openings; the resist stays on "
                               "the dielectric"),
    "PEROVSKITE": LevelPolarity("kept", "etch", "positive", "perovskite dry-etched outside the pixels under an "
                                "orthogonal-solvent resist"),
    "ITO_TOP": LevelPolarity("kept", "lift-off", "negative", "no etchant may touch the perovskite: sputtered ITO "
                             "lifted off a negative (undercut) resist"),
    "METAL": LevelPolarity("kept", "lift-off", "negative", "evaporated pads lifted off a negative (undercut) resist"),
}

assert tuple(POLARITY) == LITHO_LEVELS
