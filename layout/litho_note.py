"""Per lithography level of a die, what the mask shop and the process need: the smallest drawn feature and gap
measured on the level's devices, the design rule, a note on the patterning it needs and the resist tone (written
into the manifest JSON's ``lithography``; docs/tutorial-2-mask-tapeout.md explains it)."""

from __future__ import annotations

import klayout.db as kdb

from perocav.pdk.level_polarity import POLARITY
from perocav.pdk.rules import DESIGN_RULES

#: what a level's polygons are (from the PDK layer map's meaning of each level)
DRAWN = {"GRATING": "the grating teeth: trenches etched into the substrate and filled with the tooth material",
         "ITO_BOTTOM": "the bottom ITO electrode kept", "PIXEL_DEF": "the pixel-definition dielectric (its holes: the current-focusing openings)",
         "PEROVSKITE": "the perovskite kept", "ITO_TOP": "the top ITO electrode kept", "METAL": "the metal kept"}
#: features below this (nm) need e-beam or nanoimprint; above: optical (contact / laser writer) lithography
EBEAM_BELOW_NM = 500.0
#: gaps searched up to this many times the level's minimum-space rule (a larger gap is not the level's limit; a
#: wider search is slow on the thousands of grating teeth)
GAP_SEARCH_RULES = 4


def _min_feature_nm(region: kdb.Region, dbu: float) -> float | None:
    """The smallest short side of the level's polygons' boxes (exact for the rectangles of this PDK)."""
    sides = [min(p.bbox().width(), p.bbox().height()) for p in region.each()]
    return round(min(sides) * dbu * 1000, 1) if sides else None


def _min_gap_nm(region: kdb.Region, dbu: float, search_nm: float) -> float | str | None:
    """The smallest gap between the level's polygons; "> search_nm" when none is closer (None: empty level)."""
    if region.is_empty():
        return None
    pairs = region.space_check(round(search_nm / 1000 / dbu))
    gaps = [ep.distance() for ep in pairs.each()]
    return round(min(gaps) * dbu * 1000, 1) if gaps else f"> {search_nm:g}"


def tone_note(level: str) -> dict[str, object]:
    """The level's polarity (``pdk.level_polarity``): drawn shapes kept or removed, transfer, resist tone, whether
    the drawn shapes are exposed, the photomask plate, and why; {} for a level without one."""
    pol = POLARITY.get(level)
    if pol is None:
        return {}
    return {"drawn_is": pol.drawn, "transfer": pol.transfer, "resist_tone": pol.tone,
            "drawn_exposed": pol.drawn_exposed, "mask_field": pol.mask_field, "process": pol.why}


def level_notes(layout: kdb.Layout, top: kdb.Cell, levels: dict[str, tuple[int, int]]) -> dict[str, dict]:
    """{level: {min_feature_nm, min_gap_nm, rule_min_width_nm, rule_min_space_nm, drawn, patterning, and the tone:
    drawn_is, transfer, resist_tone, drawn_exposed, mask_field, process}}."""
    out = {}
    for name, (lnum, dtype) in levels.items():
        idx = layout.find_layer(lnum, dtype)
        region = kdb.Region(top.begin_shapes_rec(idx)).merged() if idx is not None else kdb.Region()
        rule = DESIGN_RULES.layers.get(name)
        search = GAP_SEARCH_RULES * (rule.min_space_nm if rule else 1000.0)
        feature, gap = _min_feature_nm(region, layout.dbu), _min_gap_nm(region, layout.dbu, search)
        finest = min(v for v in (feature, gap, 1e12) if isinstance(v, float))
        out[name] = {"min_feature_nm": feature, "min_gap_nm": gap,
                     "rule_min_width_nm": rule.min_width_nm if rule else None,
                     "rule_min_space_nm": rule.min_space_nm if rule else None, "drawn": DRAWN.get(name, ""),
                     "patterning": ("e-beam or nanoimprint (features below 500 nm)" if finest < EBEAM_BELOW_NM
                                    else "optical: contact or laser-writer lithography"),
                     **tone_note(name)}
    return out
