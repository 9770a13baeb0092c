"""Every layout cell: geometry measured back from its polygons equals what was asked; info agrees;
each cell is DRC-clean; bad parameters stop with one InputError line naming the field."""

from __future__ import annotations

import math

import gdsfactory as gf
import klayout.db as kdb
import pytest

from perocav.layout import cells
from perocav.layout.drc import check_component
from perocav.pdk.errors import InputError
from perocav.pdk.pdk import activate

activate()


def region(c: gf.Component, layer: str) -> kdb.Region:
    return kdb.Region(c.kdb_cell.begin_shapes_rec(gf.get_layer(layer))).merged()


def apothem(points: list[kdb.Point]) -> float:
    """Smallest distance (nm) from the origin to the edges of a closed loop."""
    best = math.inf
    for a, b in zip(points, points[1:] + points[:1], strict=True):
        dx, dy = b.x - a.x, b.y - a.y
        t = max(0.0, min(1.0, -(a.x * dx + a.y * dy) / (dx * dx + dy * dy)))
        best = min(best, math.hypot(a.x + t * dx, a.y + t * dy))
    return best


def teeth(c: gf.Component) -> list[kdb.Box]:
    boxes = [p.bbox() for p in region(c, "GRATING").each()]
    assert all(p.is_box() for p in region(c, "GRATING").each())
    return sorted(boxes, key=lambda b: b.left)


# ---------------------------------------------------------------- DFB
@pytest.mark.parametrize(("period_nm", "duty"), [(400, 0.5), (390, 0.45), (277, 0.37), (120, 0.5)])
def test_dfb_period_and_duty_measured_from_polygons(period_nm: int, duty: float) -> None:
    c = cells["dfb_grating"](period_nm=period_nm, duty_cycle=duty, n_periods=40, stripe_width_um=20)
    boxes = teeth(c)
    assert len(boxes) == 40
    lefts = [b.left for b in boxes]
    assert {b - a for a, b in zip(lefts, lefts[1:])} == {period_nm}
    assert {b.width() for b in boxes} == {round(duty * period_nm)}
    assert abs(boxes[0].width() / period_nm - duty) <= 0.5 / period_nm  # duty to the 1 nm grid
    assert {b.height() for b in boxes} == {20_000}
    assert c.info["tooth_x_nm"] == lefts
    assert c.info["tooth_width_nm"] == [b.width() for b in boxes]
    assert abs(boxes[0].left + boxes[-1].right) <= 1  # centred on x = 0


def test_dfb_quarter_wave_shift_at_centre() -> None:
    c = cells["dfb_grating"](period_nm=400, duty_cycle=0.5, n_periods=20, order=2, quarter_wave_shift=True)
    lefts = [b.left for b in teeth(c)]
    steps = [b - a for a, b in zip(lefts, lefts[1:])]
    # 2nd order: 1st-order period 200 nm, quarter-wave (pi) shift = 100 nm after period 10
    assert steps[9] == 500 and steps.count(400) == 18
    assert c.info["phase_shift_nm"] == [100]
    assert c.info["phase_shift_x_nm"] == [lefts[10] - 100]


def test_dfb_first_order_quarter_wave_and_explicit_shifts() -> None:
    c = cells["dfb_grating"](period_nm=200, duty_cycle=0.5, n_periods=30, order=1, quarter_wave_shift=True,
                             phase_shifts=[[5, 37]])
    lefts = [b.left for b in teeth(c)]
    steps = [b - a for a, b in zip(lefts, lefts[1:])]
    assert steps[14] == 300 and steps[4] == 237 and steps.count(200) == 27


def test_dfb_mixed_order_sections() -> None:
    c = cells["dfb_grating"](period_nm=400, duty_cycle=0.5, order="mixed", sections=[[1, 10], [2, 5], [1, 10]])
    boxes = teeth(c)
    steps = [b.left - a.left for a, b in zip(boxes, boxes[1:])]
    assert steps == [200] * 10 + [400] * 5 + [200] * 9
    assert [b.width() for b in boxes] == [100] * 10 + [200] * 5 + [100] * 10


def test_dfb_apodization_profile() -> None:
    c = cells["dfb_grating"](period_nm=400, duty_cycle=0.5, n_periods=41, apodization="raised_cosine",
                             apodization_min_duty=0.2)
    widths = [b.width() for b in teeth(c)]
    assert widths == widths[::-1]  # symmetric
    assert widths[20] == 200 and max(widths) == 200
    assert abs(widths[0] - 0.2 * 400) <= 3  # ends near the minimum duty
    assert all(w1 <= w2 for w1, w2 in zip(widths[:20], widths[1:21]))


# ---------------------------------------------------------------- round cavities
def test_circular_grating_radii() -> None:
    c = cells["circular_grating"](period_nm=400, duty_cycle=0.4, n_rings=8, center_radius_nm=1500,
                                  disk_radius_nm=800)
    polys = sorted(region(c, "GRATING").each(), key=lambda p: p.bbox().width())
    assert len(polys) == 9
    assert abs(apothem(list(polys[0].each_point_hull())) - 800) <= 1  # central disk
    for k, p in enumerate(polys[1:]):
        assert p.holes() == 1
        inner, outer = apothem(list(p.each_point_hole(0))), apothem(list(p.each_point_hull()))
        assert abs(inner - (1500 + 400 * k)) <= 1
        assert abs(outer - (1500 + 400 * k + 160)) <= 1
    assert c.info["ring_inner_radius_nm"][3] == 1500 + 1200


def test_ring_and_disk_radii() -> None:
    ring = cells["ring_resonator"](outer_radius_um=12.5, width_nm=700)
    (p,) = list(region(ring, "GRATING").each())
    assert abs(apothem(list(p.each_point_hull())) - 12_500) <= 1
    assert abs(apothem(list(p.each_point_hole(0))) - 11_800) <= 1
    disk = cells["disk_resonator"](radius_um=7.25)
    (d,) = list(region(disk, "GRATING").each())
    assert abs(apothem(list(d.each_point_hull())) - 7_250) <= 1
    assert d.holes() == 0


# ---------------------------------------------------------------- LED pixel and device
def test_led_pixel_circle_opening_and_overlaps() -> None:
    c = cells["led_pixel"](opening_diameter_um=40, electrode_width_um=90)
    holes = region(c, "PIXEL_DEF").holes()
    (h,) = list(holes.each())
    assert abs(2 * apothem(list(h.each_point_hull())) - 40_000) <= 2
    for layer in ("ITO_BOTTOM", "ITO_TOP", "PEROVSKITE"):
        assert (holes - region(c, layer)).is_empty(), f"opening not on {layer}"
    metal = region(c, "METAL")
    assert metal.count() == 2
    assert metal.separation_check(holes, 20_000).is_empty()  # pads outside the optical area
    assert not metal.interacting(region(c, "ITO_BOTTOM")).is_empty()
    assert not metal.interacting(region(c, "ITO_TOP")).is_empty()
    assert (metal & region(c, "PIXEL_DEF")).is_empty()


def test_led_pixel_stripe_opening() -> None:
    c = cells["led_pixel"](opening="stripe", opening_diameter_um=20, opening_length_um=150, electrode_width_um=60)
    (h,) = list(region(c, "PIXEL_DEF").holes().each())
    assert h.bbox() == kdb.Box(-75_000, -10_000, 75_000, 10_000)


def test_laser_device_centres_cavity_under_opening_and_labels() -> None:
    c = cells["laser_device"](cavity="ring_resonator", cavity_params={"outer_radius_um": 15}, label="Z42")
    g = (region(c, "GRATING") & kdb.Region(kdb.Box(-80_000, -80_000, 80_000, 80_000))).bbox()  # not its id copy
    o = region(c, "PIXEL_DEF").holes().bbox()
    assert g.center() == kdb.Point(0, 0) and o.center() == kdb.Point(0, 0)
    texts = [s.text for s in c.kdb_cell.shapes(gf.get_layer("TEXT")).each() if s.is_text()]
    assert [(t.string, t.x, t.y) for t in texts] == [("Z42", 0, 0)]
    assert region(c, "METAL").bbox().bottom < region(c, "PIXEL_DEF").bbox().bottom  # drawn id below the pixel
    assert c.info["cavity_settings"]["outer_radius_um"] == 15


# ---------------------------------------------------------------- marks
def test_vernier_pitches() -> None:
    c = cells["vernier"](level="ITO_TOP", n_lines=7, pitch_um=10, step_nm=250)
    g = sorted(b.bbox().center().x for b in region(c, "GRATING").each())
    t = sorted(b.bbox().center().x for b in region(c, "ITO_TOP").each())
    assert {b - a for a, b in zip(g, g[1:])} == {10_000}
    assert {b - a for a, b in zip(t, t[1:])} == {10_250}
    assert g[3] == t[3] == 0


def test_alignment_marks_every_level_to_grating() -> None:
    levels = ["ITO_BOTTOM", "PIXEL_DEF", "PEROVSKITE", "ITO_TOP", "METAL"]
    c = cells["alignment_mark"](levels=levels)
    crosses = list(region(c, "GRATING").each())
    assert len(crosses) == len(levels)
    for k, lv in enumerate(levels):
        squares = region(c, lv)
        assert squares.count() == 4
        assert squares.bbox().center() == crosses[k].bbox().center()  # box-in-cross, same centre
        assert squares.bbox().center().x == round(c.info["site_x_um"][k] * 1000)


def test_die_frame_and_label() -> None:
    f = cells["die_frame"](width_um=3000, height_um=2000, frame_width_um=40)
    assert region(f, "DIE_FRAME").bbox() == kdb.Box(0, 0, 3_000_000, 2_000_000)
    assert region(f, "DIE_FRAME").holes().bbox() == kdb.Box(40_000, 40_000, 2_960_000, 1_960_000)
    lab = cells["label"](text="B07", height_um=35)
    assert region(lab, "METAL").bbox().height() == 35_000
    assert lab.info["pixel_nm"] == 5_000


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(cells))
def test_every_cell_is_drc_clean(name: str) -> None:
    assert check_component(cells[name]()) == []


# ---------------------------------------------------------------- bad input
BAD = [
    ("dfb_grating", {"duty_cycle": 1.2}, "dfb_grating: duty_cycle: ", "0 < value < 1"),
    ("dfb_grating", {"duty_cycle": 0.0}, "dfb_grating: duty_cycle: ", "0 < value < 1"),
    ("dfb_grating", {"period_nm": 90}, "dfb_grating: period_nm: ", ">= 100 nm"),
    ("dfb_grating", {"period_nm": 400.5}, "dfb_grating: period_nm: ", "integer nm"),
    ("dfb_grating", {"period_nm": 400, "duty_cycle": 0.9}, "dfb_grating: duty_cycle: ", "duty <= 0.875"),
    ("dfb_grating", {"order": 3}, "dfb_grating: order: ", "1, 2, mixed"),
    ("dfb_grating", {"order": "mixed"}, "dfb_grating: sections: ", "[order, n_periods]"),
    ("circular_grating", {"period_nm": 80}, "circular_grating: period_nm: ", ">= 100 nm"),
    ("circular_grating", {"duty_cycle": -0.1}, "circular_grating: duty_cycle: ", "0 < value < 1"),
    ("ring_resonator", {"width_nm": 30}, "ring_resonator: width_nm: ", ">= 50 nm"),
    ("disk_resonator", {"radius_um": 0.01}, "disk_resonator: radius_um: ", ">= 50 nm"),
    ("led_pixel", {"opening_diameter_um": 120}, "led_pixel: opening_diameter_um: ", "<= electrode_width_um - 10 = 90 um"),
    ("led_pixel", {"opening": "hexagon"}, "led_pixel: opening: ", "circle, stripe"),
    ("laser_device", {"cavity_params": {"duty_cycle": 1.0}}, "dfb_grating: cavity_params.duty_cycle: ", "0 < value < 1"),
    ("laser_device", {"cavity_params": {"periodnm": 400}}, "laser_device: cavity_params.periodnm: ", "period_nm"),
    ("laser_device", {"cavity": "photonic_crystal"}, "laser_device: cavity: ", "dfb_grating"),
    ("label", {"text": "a+b"}, "label: text: ", "from"),
    ("label", {"height_um": 14}, "label: height_um: ", ">= 35"),
]


@pytest.mark.parametrize(("name", "kwargs", "start", "allowed"), BAD, ids=[f"{b[0]}-{list(b[1])[0]}" for b in BAD])
def test_bad_parameters_stop_with_one_line(name: str, kwargs: dict, start: str, allowed: str) -> None:
    with pytest.raises(InputError) as info:
        cells[name](**kwargs)
    line = str(info.value)
    assert "\n" not in line
    assert line.startswith(start), line
    assert "(allowed: " in line and allowed in line, line
