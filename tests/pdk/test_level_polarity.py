"""The resist tone of each lithography level (issue 26): from what a level's drawn shapes are (kept / removed),
the transfer (etch / lift-off) and the tone, whether the drawn shapes are exposed and the photomask field."""

from __future__ import annotations

import pytest

from perocav.pdk.layer_map import LITHO_LEVELS
from perocav.pdk.level_polarity import POLARITY, LevelPolarity


@pytest.mark.parametrize(("drawn", "transfer", "tone", "exposed"), [
    ("removed", "etch", "positive", True),  # etch a trench: open the resist where drawn, expose it
    ("removed", "etch", "negative", False),
    ("kept", "etch", "positive", False),  # the resist protects the drawn film: expose the rest
    ("kept", "etch", "negative", True),
    ("kept", "lift-off", "positive", True),  # the film lands where the resist is open
    ("kept", "lift-off", "negative", False),
])
def test_drawn_shapes_are_exposed_exactly_when_the_tone_opens_them(drawn, transfer, tone, exposed) -> None:
    pol = LevelPolarity(drawn, transfer, tone, "")
    assert pol.drawn_exposed is exposed
    assert pol.mask_field.startswith("dark-field" if exposed else "clear-field")


def test_every_level_has_its_polarity() -> None:
    assert tuple(POLARITY) == LITHO_LEVELS
    assert POLARITY["GRATING"].drawn_exposed and POLARITY["GRATING"].tone == "positive"  # e-beam writes the teeth
    assert {lv for lv, p in POLARITY.items() if p.transfer == "lift-off"} == {"ITO_TOP", "METAL"}  # on the perovskite
