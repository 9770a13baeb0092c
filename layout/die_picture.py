"""PNG picture of a whole die with every device id legible: the layers as in ``render`` plus each id
written just above its device in a colour per role (from the manifest JSON; without one, the GDS texts)."""

from __future__ import annotations

import json
from pathlib import Path

import klayout.db as kdb
import matplotlib
import matplotlib.pyplot as plt
from matplotlib.collections import PolyCollection
from matplotlib.patches import Patch

from perocav.layout.gds_io import write_atomic
from perocav.layout.render import COLORS, _polygons
from perocav.pdk.layer_map import LAYER_NUMBERS

#: Colour of the device id per role.
ROLE_COLORS: dict[str, str] = {"design": "#c00000", "bracket": "#000000", "repeat": "#1f4fbf", "control": "#1b7a1b",
                               "sweep": "#000000", "device": "#000000"}


def _ids(layout: kdb.Layout, top: kdb.Cell, manifest: Path | None) -> list[tuple[str, float, float, str]]:
    """(id, x_um, y_um, role) of every device."""
    if manifest is not None:
        doc = json.loads(Path(manifest).read_text())
        return [(d["device_id"], d["x_um"], d["y_um"], d.get("role", "device")) for d in doc["devices"]]
    out = []
    idx = layout.find_layer(*LAYER_NUMBERS["TEXT"])
    it = top.begin_shapes_rec(idx) if idx is not None else None
    while it is not None and not it.at_end():
        if it.shape().is_text():
            t = it.shape().text.transformed(it.trans())
            out.append((t.string, t.x * layout.dbu, t.y * layout.dbu, "device"))
        it.next()
    return sorted(out)


#: gaps closed when the grating is drawn as its area (um): teeth of ~0.1 um cannot be drawn at a die's scale, and
#: drawn one by one they alias into different-looking blocks for identical gratings
GRATING_CLOSE_UM = 1.0


def _envelope(layout: kdb.Layout, top: kdb.Cell, lnum: int, dtype: int) -> list[list[tuple[float, float]]]:
    """The area each grating covers (its teeth merged by closing the gaps): identical gratings drawn identically."""
    idx = layout.find_layer(lnum, dtype)
    if idx is None:
        return []
    d = round(GRATING_CLOSE_UM / 2 / layout.dbu)
    region = kdb.Region(top.begin_shapes_rec(idx)).merged().sized(d).sized(-d)
    return [[(p.x * layout.dbu, p.y * layout.dbu) for p in poly.resolved_holes().each_point_hull()]
            for poly in region.each()]


def render_die(gds: str | Path, png: str | Path, *, manifest: str | Path | None = None, dpi: int = 150) -> Path:
    """Draw the die in ``gds`` into ``png`` (written atomically) with the device ids; returns the path."""
    matplotlib.use("Agg")
    layout = kdb.Layout()
    layout.read(str(gds))
    top = layout.top_cell()
    box = top.dbbox()
    width_in = 10.0
    fig, ax = plt.subplots(figsize=(width_in + 2.2, width_in * box.height() / max(box.width(), 1e-3) + 0.8))
    handles = []
    for name, color in COLORS.items():
        polys = (_envelope(layout, top, *LAYER_NUMBERS[name]) if name == "GRATING" else
                 _polygons(layout, top, *LAYER_NUMBERS[name]))
        if not polys or name in ("FLOORPLAN", "TEXT"):
            continue
        ax.add_collection(PolyCollection(polys, facecolors=color, edgecolors=color, linewidths=0.0,
                                         alpha=0.9 if name in ("GRATING", "DIE_FRAME") else 0.45))
        handles.append(Patch(facecolor=color, alpha=0.6, label="GRATING (area)"
                             if name == "GRATING" else name))
    ids = _ids(layout, top, Path(manifest) if manifest else None)
    pt_per_um = width_in * 72 / max(box.width(), 1e-3)
    xs = sorted({round(x, 3) for _, x, _, _ in ids})
    ys = sorted({round(y, 3) for _, _, y, _ in ids})
    pitch = min((b - a for a, b in zip(xs, xs[1:])), default=box.width() / 4)
    pitch_y = min((b - a for a, b in zip(ys, ys[1:])), default=0.0)
    size = max(5.0, min(12.0, pt_per_um * pitch / 3.2))
    for text, x, y, role in ids:  # above the device, in the gap to the row above
        ax.text(x, y + 0.4 * pitch_y, text, ha="center", va="center", fontsize=size, fontweight="bold",
                color=ROLE_COLORS.get(role, "#000000"),
                bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.85})
    roles = sorted({r for *_, r in ids})
    handles += [Patch(facecolor="white", edgecolor=ROLE_COLORS.get(r, "#000000"), linewidth=2, label=f"id: {r}")
                for r in roles]
    ax.set_xlim(box.left, box.right)
    ax.set_ylim(box.bottom, box.top)
    ax.set_aspect("equal")
    ax.set_xlabel("x (um)")
    ax.set_ylabel("y (um)")
    ax.set_title(f"{top.name}: {len(ids)} devices on {box.width() / 1000:g} x {box.height() / 1000:g} mm", fontsize=10)
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
    fig.tight_layout()
    out = write_atomic(Path(png), lambda tmp: fig.savefig(tmp, dpi=dpi, format="png", metadata={"Software": None}))
    plt.close(fig)
    return out
