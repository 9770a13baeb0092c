"""KLayout layer-properties file (``.lyp``) for the PDK layers: name, GDS number, colour (the
render module's palette) and fill pattern, so a die opens in KLayout with named, coloured layers."""

from __future__ import annotations

from xml.sax.saxutils import escape

from perocav.layout.render import COLORS
from perocav.pdk.layer_map import LAYER_NUMBERS

#: KLayout dither pattern per layer (I0 solid, I1 hollow, I5 / I9 hatched, ...).
PATTERNS: dict[str, str] = {"FLOORPLAN": "I1", "DIE_FRAME": "I1", "ALIGN": "I1", "TEXT": "I1", "GRATING": "I0",
                            "ITO_BOTTOM": "I5", "PIXEL_DEF": "I9", "PEROVSKITE": "I3", "ITO_TOP": "I13",
                            "METAL": "I2"}


def _entry(name: str) -> str:
    layer, datatype = LAYER_NUMBERS[name]
    color = COLORS[name]
    fields = [("frame-color", color), ("fill-color", color), ("frame-brightness", "0"), ("fill-brightness", "0"),
              ("dither-pattern", PATTERNS[name]), ("line-style", ""), ("valid", "true"), ("visible", "true"),
              ("transparent", "false"), ("width", "1"), ("marked", "false"), ("xfill", "false"),
              ("animation", "0"), ("name", f"{name} {layer}/{datatype}"), ("source", f"{layer}/{datatype}@1")]
    body = "".join(f"  <{k}>{escape(v)}</{k}>\n" for k, v in fields)
    return f" <properties>\n{body} </properties>\n"


def lyp_text() -> str:
    """The ``.lyp`` XML of every PDK layer, in GDS layer-number order."""
    names = sorted(LAYER_NUMBERS, key=lambda n: LAYER_NUMBERS[n])
    return '<?xml version="1.0" encoding="utf-8"?>\n<layer-properties>\n' + "".join(map(_entry, names)) + \
        " <name>perocav</name>\n</layer-properties>\n"
