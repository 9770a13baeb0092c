"""Design-rule check with ``klayout.db`` (no GUI): min width and space per layer, enclosures of the
pixel openings and pads, metal-to-opening distance, top/bottom ITO overlapping only inside a pixel.
Locations are reported in um. A GDS file is checked against the rules whose layers it holds (a
one-level mask file gets its own width/space rules); the others are reported as skipped.

All-angle (curved) edges are drawn as polygons snapped to the 1 nm grid, which can bring a correctly
drawn curve up to one grid step below its rule; pairs of non-Manhattan edges therefore get a tolerance
of ``grid_nm``. Manhattan edges are checked exactly."""

from __future__ import annotations

import math
from pathlib import Path

import klayout.db as kdb
from pydantic import BaseModel, ConfigDict

from perocav.pdk.errors import InputError
from perocav.pdk.layer_map import LAYER_NUMBERS
from perocav.pdk.rules import DESIGN_RULES, DesignRules


class Violation(BaseModel):
    """One rule violation: where (um) and by how much (nm)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    layer: str  # layer or derived layer (PIXEL_OPENING, METAL_ON_ITO_TOP, ...)
    rule: str  # min_width, min_space, min_enclosure, not_enclosed, metal_to_opening, ito_short, ito_overlap_margin
    required_nm: float
    measured_nm: float | None  # None where the rule is not a distance (a shape outside its enclosure)
    x_um: float
    y_um: float
    bbox_um: tuple[float, float, float, float]  # xmin, ymin, xmax, ymax

    def line(self) -> str:
        """One-line human-readable form."""
        got = f"{self.measured_nm:g} nm < {self.required_nm:g} nm" if self.measured_nm is not None else \
            f"shape outside (rule {self.required_nm:g} nm)"
        x0, y0, x1, y1 = self.bbox_um
        return (f"{self.layer}: {self.rule}: {got} at ({self.x_um:.3f}, {self.y_um:.3f}) um, "
                f"bbox ({x0:.3f}, {y0:.3f}; {x1:.3f}, {y1:.3f}) um")


def _manhattan(edge: kdb.Edge) -> bool:
    """Horizontal or vertical (a zero-length edge, a vertex of a curve, is not)."""
    return (edge.dx() == 0) != (edge.dy() == 0)


def _pt_seg(p: kdb.Point, e: kdb.Edge) -> float:
    ax, ay, bx, by = e.p1.x, e.p1.y, e.p2.x, e.p2.y
    dx, dy = bx - ax, by - ay
    t = 0.0 if dx == dy == 0 else max(0.0, min(1.0, ((p.x - ax) * dx + (p.y - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(p.x - (ax + t * dx), p.y - (ay + t * dy))


def _distance(ep: kdb.EdgePair) -> float:
    """Euclidean distance (dbu) between the two (non-crossing) edges of ``ep``; also right for degenerate edges."""
    a, b = ep.first, ep.second
    return min(_pt_seg(a.p1, b), _pt_seg(a.p2, b), _pt_seg(b.p1, a), _pt_seg(b.p2, a))


def _bbox_um(box: kdb.Box, dbu: float) -> tuple[float, float, float, float]:
    return (box.left * dbu, box.bottom * dbu, box.right * dbu, box.top * dbu)


def _clusters(pairs: list[kdb.EdgePair]) -> list[list[int]]:
    """Indices of ``pairs`` grouped by touching bounding boxes (union-find over a 0.5 um bucket grid)."""
    bucket = 500
    boxes = [ep.bbox().enlarged(1, 1) for ep in pairs]
    parent = list(range(len(pairs)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    grid: dict[tuple[int, int], list[int]] = {}
    for i, b in enumerate(boxes):
        for gx in range(b.left // bucket, b.right // bucket + 1):
            for gy in range(b.bottom // bucket, b.top // bucket + 1):
                members = grid.setdefault((gx, gy), [])
                for j in members:
                    if boxes[j].overlaps(b) or boxes[j].touches(b):
                        ri, rj = root(i), root(j)
                        if ri != rj:
                            parent[ri] = rj
                members.append(i)
    groups: dict[int, list[int]] = {}
    for i in range(len(pairs)):
        groups.setdefault(root(i), []).append(i)
    return sorted(groups.values())


def _markers(pairs: list[kdb.EdgePair], *, layer: str, rule: str, required_dbu: int, dbu: float) -> list[Violation]:
    """One violation per connected cluster of offending edge pairs (a curve too close gives one marker,
    not one per polygon edge), with the smallest distance in the cluster and the cluster's bbox."""
    out = []
    for group in _clusters(pairs):
        box = kdb.Box()
        for i in group:
            box += pairs[i].bbox()
        dist = min(_distance(pairs[i]) for i in group)
        c = box.center()
        out.append(Violation(layer=layer, rule=rule, required_nm=required_dbu * dbu * 1000,
                             measured_nm=round(dist * dbu * 1000, 3), x_um=c.x * dbu, y_um=c.y * dbu,
                             bbox_um=_bbox_um(box, dbu)))
    return out


def _checked(check, d: int, grid: int, **kw) -> list[Violation]:  # noqa: ANN001 (a klayout check)
    """Violations of one distance check ``check(d) -> EdgePairs``: exact for Manhattan edge pairs, one
    grid step of tolerance for pairs with an all-angle edge (curves snapped to the grid)."""
    found = []
    for ep in check(d).each():  # klayout's candidates; distances re-measured exactly here
        dist = _distance(ep)
        limit = d if _manhattan(ep.first) and _manhattan(ep.second) else d - grid
        if dist < limit:
            found.append(ep)
    return _markers(found, **kw)


def _space(region: kdb.Region):  # noqa: ANN202
    """Space check of ``region`` as the width check of its complement: the same edge pairs, but per
    polygon of the complement, which is much faster for nested shapes (concentric rings) whose bounding
    boxes all overlap."""
    def check(d: int) -> kdb.EdgePairs:
        if region.is_empty():
            return kdb.EdgePairs()
        frame = region.bbox().enlarged(2 * d + 10, 2 * d + 10)
        return (kdb.Region(frame) - region).width_check(d)
    return check


def _outside(inner: kdb.Region, outer: kdb.Region, *, layer: str, required_dbu: int, dbu: float,
             rule: str = "not_enclosed") -> list[Violation]:
    """One violation per polygon of ``inner - outer`` (a shape that sticks out of where it must be)."""
    out = []
    for poly in (inner - outer).each():
        box = poly.bbox()
        c = box.center()
        out.append(Violation(layer=layer, rule=rule, required_nm=required_dbu * dbu * 1000,
                             measured_nm=None, x_um=c.x * dbu, y_um=c.y * dbu, bbox_um=_bbox_um(box, dbu)))
    return out


#: Base layers each derived layer is made of (a rule needs all base layers of the layers it names).
DERIVED: dict[str, tuple[str, ...]] = {
    "PIXEL_OPENING": ("PIXEL_DEF",),
    "PIXEL_AREA": ("PIXEL_DEF",),
    "METAL_ON_ITO_BOTTOM": ("METAL", "ITO_BOTTOM"),
    "METAL_ON_ITO_TOP": ("METAL", "ITO_TOP"),
    "ITO_OVERLAP": ("ITO_TOP", "ITO_BOTTOM"),
}
#: Layer name of the ITO-overlap rule's violations.
ITO_OVERLAP_LAYER = "ITO_TOP&ITO_BOTTOM"


class SkippedRule(BaseModel):
    """A rule not checked because the file lacks layers it needs."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    rule: str
    missing: tuple[str, ...]

    def line(self) -> str:
        return f"{self.rule} (needs {', '.join(self.missing)})"


class DrcReport(BaseModel):
    """Violations, the rules checked and the rules skipped (layers not in the file)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    violations: tuple[Violation, ...]
    checked: tuple[str, ...]
    skipped: tuple[SkippedRule, ...]


def _regions(layout: kdb.Layout, top: kdb.Cell) -> tuple[dict[str, kdb.Region], set[str]]:
    """Merged region per layer name (derived layers included) and the names of the layers the layout holds."""
    regions, held = {}, set()
    for name, (lnum, dtype) in LAYER_NUMBERS.items():
        idx = layout.find_layer(lnum, dtype)
        if idx is not None:
            held.add(name)
        region = kdb.Region() if idx is None else kdb.Region(top.begin_shapes_rec(idx))
        regions[name] = region.merged()
    regions["PIXEL_OPENING"] = regions["PIXEL_DEF"].holes()
    regions["PIXEL_AREA"] = regions["PIXEL_DEF"].hulls()
    regions["METAL_ON_ITO_BOTTOM"] = regions["METAL"].interacting(regions["ITO_BOTTOM"])
    regions["METAL_ON_ITO_TOP"] = regions["METAL"].interacting(regions["ITO_TOP"])
    regions["ITO_OVERLAP"] = regions["ITO_TOP"] & regions["ITO_BOTTOM"]
    return regions, held


def _missing(held: set[str], *names: str) -> tuple[str, ...]:
    need = sorted({base for n in names for base in DERIVED.get(n, (n,))})
    return tuple(n for n in need if n not in held)


def check_layout_report(layout: kdb.Layout, top: kdb.Cell, rules: DesignRules | None = None, *,
                        all_rules: bool = False) -> DrcReport:
    """Check ``rules`` (default: the PDK's) under ``top``. A rule whose layers the layout does not hold
    (a one-level GDS) is skipped and listed, unless ``all_rules`` (then a missing layer is empty)."""
    rules = rules or DESIGN_RULES
    dbu = layout.dbu
    nm = 0.001 / dbu  # dbu per nm
    grid = max(1, round(rules.grid_nm * nm))
    regions, held = _regions(layout, top)
    found: list[Violation] = []
    checked: list[str] = []
    skipped: list[SkippedRule] = []

    def wanted(rule: str, *names: str) -> bool:
        missing = () if all_rules else _missing(held, *names)
        if missing:
            skipped.append(SkippedRule(rule=rule, missing=missing))
        else:
            checked.append(rule)
        return not missing

    for name, rule in rules.layers.items():
        if not wanted(f"{name} min_width/min_space", name):
            continue
        reg = regions[name]
        w, s = round(rule.min_width_nm * nm), round(rule.min_space_nm * nm)
        found += _checked(reg.width_check, w, grid, layer=name, rule="min_width", required_dbu=w, dbu=dbu)
        found += _checked(_space(reg), s, grid, layer=name, rule="min_space", required_dbu=s, dbu=dbu)
    for enc in rules.enclosures:
        label = f"{enc.outer}>{enc.inner}"
        if wanted(f"{label} min_enclosure", enc.outer, enc.inner):
            found += _enclosure(regions[enc.outer], regions[enc.inner], enc.min_enclosure_nm, label=label, nm=nm,
                                grid=grid, dbu=dbu)
    if wanted("METAL-PIXEL_OPENING metal_to_opening", "METAL", "PIXEL_OPENING"):
        d = round(rules.metal_to_opening_min_nm * nm)
        metal, opening = regions["METAL"], regions["PIXEL_OPENING"]
        found += _checked(lambda x: metal.separation_check(opening, x), d, grid, layer="METAL-PIXEL_OPENING",
                          rule="metal_to_opening", required_dbu=d, dbu=dbu)
        found += _outside(metal & opening, kdb.Region(), layer="METAL-PIXEL_OPENING", required_dbu=d, dbu=dbu,
                          rule="metal_to_opening")
    if wanted(f"{ITO_OVERLAP_LAYER} ito_overlap_in_pixel", "ITO_OVERLAP", "PIXEL_AREA"):
        found += _ito_overlap(regions, rules.ito_overlap_in_pixel_nm, nm=nm, grid=grid, dbu=dbu)
    found.sort(key=lambda v: (v.layer, v.rule, v.x_um, v.y_um))
    return DrcReport(violations=tuple(found), checked=tuple(checked), skipped=tuple(skipped))


def _enclosure(outer: kdb.Region, inner: kdb.Region, min_nm: float, *, label: str, nm: float, grid: int,
               dbu: float) -> list[Violation]:
    d = round(min_nm * nm)
    found = _checked(lambda x: outer.enclosing_check(inner, x), d, grid, layer=label, rule="min_enclosure",
                     required_dbu=d, dbu=dbu)
    return found + _outside(inner, outer, layer=label, required_dbu=d, dbu=dbu)


def _ito_overlap(regions: dict[str, kdb.Region], min_nm: float, *, nm: float, grid: int,
                 dbu: float) -> list[Violation]:
    """Top and bottom ITO overlap only inside a pixel (PIXEL_DEF with its openings), ``min_nm`` inside its
    edge: an overlap outside is ``ito_short`` (one marker per piece), one too near the edge ``ito_overlap_margin``."""
    overlap, pixel = regions["ITO_OVERLAP"], regions["PIXEL_AREA"]
    d = round(min_nm * nm)
    found = _outside(overlap, pixel, layer=ITO_OVERLAP_LAYER, required_dbu=d, dbu=dbu, rule="ito_short")
    if d > 0:
        found += _checked(lambda x: pixel.enclosing_check(overlap & pixel, x), d, grid, layer=ITO_OVERLAP_LAYER,
                          rule="ito_overlap_margin", required_dbu=d, dbu=dbu)
    return found


def check_layout(layout: kdb.Layout, top: kdb.Cell, rules: DesignRules | None = None) -> list[Violation]:
    """All violations of ``rules`` (default: the PDK's) under ``top``, sorted by layer, rule and location;
    every rule is checked (a layer the layout lacks counts as empty)."""
    return list(check_layout_report(layout, top, rules, all_rules=True).violations)


def read_gds(path: str | Path) -> tuple[kdb.Layout, kdb.Cell]:
    """Layout and its single top cell; a missing or unreadable file, or not one top cell, raises InputError."""
    path = Path(path)
    if not path.is_file():
        raise InputError("no such file", field="gds", allowed="an existing GDS file", source=str(path))
    layout = kdb.Layout()
    try:
        layout.read(str(path))
    except RuntimeError as err:
        raise InputError(f"cannot read GDS ({str(err).splitlines()[0]})", field="gds", source=str(path)) from None
    tops = layout.top_cells()
    if len(tops) != 1:
        raise InputError(f"{len(tops)} top cells", field="gds", allowed="exactly one top cell", source=str(path))
    return layout, tops[0]


def check_gds_report(path: str | Path, rules: DesignRules | None = None) -> DrcReport:
    """DRC report of a GDS file: the rules whose layers it holds are checked, the others listed as skipped."""
    layout, top = read_gds(path)
    return check_layout_report(layout, top, rules)


def check_gds(path: str | Path, rules: DesignRules | None = None) -> list[Violation]:
    """Violations in the (single) top cell of a GDS file (rules whose layers it holds); a missing or
    unreadable file raises InputError."""
    return list(check_gds_report(path, rules).violations)


def check_component(component) -> list[Violation]:  # noqa: ANN001 (gf.Component)
    """Violations in a gdsfactory component (in memory)."""
    return check_layout(component.kcl.layout, component.kdb_cell)
