"""Design rules (nm) the layout cells and the DRC check against."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class LayerRule(BaseModel):
    """Minimum width and space of the shapes on one layer, in nm."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    min_width_nm: float = Field(gt=0)
    min_space_nm: float = Field(gt=0)


class EnclosureRule(BaseModel):
    """``outer`` must enclose ``inner`` by at least ``min_enclosure_nm``."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    outer: str
    inner: str
    min_enclosure_nm: float = Field(ge=0)


class DesignRules(BaseModel):
    """All rules of the perocav process."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    grid_nm: float = 1.0
    layers: dict[str, LayerRule]
    enclosures: tuple[EnclosureRule, ...]
    #: Metal pads keep at least this distance from any pixel opening (optical area), nm.
    metal_to_opening_min_nm: float = 20_000.0
    #: Top and bottom ITO may overlap only inside a pixel (the pixel-definition dielectric together with
    #: its openings), at least this far inside the dielectric's outer edge, nm; anywhere else the two
    #: electrodes touch (a short in the real device).
    ito_overlap_in_pixel_nm: float = Field(5_000.0, ge=0)


DESIGN_RULES = DesignRules(
    layers={
        # e-beam / DUV patterned embedded grating
        "GRATING": LayerRule(min_width_nm=50, min_space_nm=50),
        "ITO_BOTTOM": LayerRule(min_width_nm=2_000, min_space_nm=2_000),
        "PIXEL_DEF": LayerRule(min_width_nm=2_000, min_space_nm=2_000),
        "PEROVSKITE": LayerRule(min_width_nm=10_000, min_space_nm=10_000),
        "ITO_TOP": LayerRule(min_width_nm=2_000, min_space_nm=2_000),
        "METAL": LayerRule(min_width_nm=5_000, min_space_nm=5_000),
    },
    enclosures=(
        # every pixel opening (hole in PIXEL_DEF) lies on both electrodes with margin
        EnclosureRule(outer="ITO_BOTTOM", inner="PIXEL_OPENING", min_enclosure_nm=5_000),
        EnclosureRule(outer="ITO_TOP", inner="PIXEL_OPENING", min_enclosure_nm=5_000),
        EnclosureRule(outer="PEROVSKITE", inner="PIXEL_OPENING", min_enclosure_nm=5_000),
        # pads sit on their electrode with margin
        EnclosureRule(outer="ITO_BOTTOM", inner="METAL_ON_ITO_BOTTOM", min_enclosure_nm=2_000),
        EnclosureRule(outer="ITO_TOP", inner="METAL_ON_ITO_TOP", min_enclosure_nm=2_000),
    ),
)
