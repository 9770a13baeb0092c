"""PNG pictures of a cell or a GDS file with matplotlib: filled polygons per layer (process order,
semi-transparent, fixed colours), a legend, axes in um."""

from __future__ import annotations

from pathlib import Path

import klayout.db as kdb
import matplotlib
import matplotlib.pyplot as plt
from matplotlib.collections import PolyCollection
from matplotlib.patches import Patch

from perocav.pdk.layer_map import LAYER_NUMBERS

#: Drawing order (bottom first) and colours.
COLORS: dict[str, str] = {
    "FLOORPLAN": "#eeeeee",
    "DIE_FRAME": "#555555",
    "ITO_BOTTOM": "#4c9be8",
    "PIXEL_DEF": "#b0b0b0",
    "PEROVSKITE": "#d65f5f",
    "ITO_TOP": "#56b870",
    "METAL": "#e8b130",
    "GRATING": "#6a3d9a",
    "ALIGN": "#00bcd4",
    "TEXT": "#000000",
}


def _polygons(layout: kdb.Layout, top: kdb.Cell, lnum: int, dtype: int) -> list[list[tuple[float, float]]]:
    idx = layout.find_layer(lnum, dtype)
    if idx is None:
        return []
    region = kdb.Region(top.begin_shapes_rec(idx)).merged()
    dbu = layout.dbu
    return [[(p.x * dbu, p.y * dbu) for p in poly.resolved_holes().each_point_hull()] for poly in region.each()]


def render_layout(layout: kdb.Layout, top: kdb.Cell, png: str | Path, *, title: str = "", dpi: int = 150) -> Path:
    """Draw ``top`` (all layers) into ``png``; returns the path."""
    matplotlib.use("Agg")
    fig, ax = plt.subplots(figsize=(9, 7))
    handles = []
    for name, color in COLORS.items():
        polys = _polygons(layout, top, *LAYER_NUMBERS[name])
        if not polys:
            continue
        fill = name not in ("DIE_FRAME", "FLOORPLAN", "ALIGN") or name == "DIE_FRAME"
        coll = PolyCollection(polys, facecolors=color if fill else "none", edgecolors=color,
                              linewidths=0.0 if fill else 0.8, alpha=0.55 if name != "GRATING" else 0.9)
        ax.add_collection(coll)
        handles.append(Patch(facecolor=color, alpha=0.6, label=name))
    idx = layout.find_layer(*LAYER_NUMBERS["TEXT"])
    if idx is not None:
        it = top.begin_shapes_rec(idx)
        while not it.at_end():
            if it.shape().is_text():
                t = it.shape().text.transformed(it.trans())
                ax.plot(t.x * layout.dbu, t.y * layout.dbu, "k+", ms=4)
            it.next()
    box = top.dbbox()
    pad = 0.03 * max(box.width(), box.height(), 1e-3)
    ax.set_xlim(box.left - pad, box.right + pad)
    ax.set_ylim(box.bottom - pad, box.top + pad)
    ax.set_aspect("equal")
    ax.set_xlabel("x (um)")
    ax.set_ylabel("y (um)")
    ax.set_title(title or top.name, fontsize=9)
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
    fig.tight_layout()
    png = Path(png)
    png.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(png, dpi=dpi)
    plt.close(fig)
    return png


def render_component(component, png: str | Path, *, title: str = "") -> Path:  # noqa: ANN001 (gf.Component)
    """Draw a gdsfactory component."""
    return render_layout(component.kcl.layout, component.kdb_cell, png, title=title or component.name)


def render_gds(gds: str | Path, png: str | Path) -> Path:
    """Draw the top cell of a GDS file."""
    layout = kdb.Layout()
    layout.read(str(gds))
    return render_layout(layout, layout.top_cell(), png, title=Path(gds).name)
