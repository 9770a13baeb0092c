"""The die draws the device that was simulated (issue 24, item 4): ``dfb_grating(device_sections=...)`` from a
``DeviceGeometry`` puts its teeth on the geometry's lattice points (within the 0.5 nm grid rounding), its sections
at ``bounds_um``, its shifts where the phase convention says; ``laser_device`` puts the pixel's current opening over
``pumped_interval_um``. Measured from the drawn polygons."""

from __future__ import annotations

import gdsfactory as gf
import klayout.db as kdb
import pytest

from perocav.layout import cells
from perocav.layout.device_cell_params import grating_cell_params, laser_device_params
from perocav.layout.device_geometry import DeviceGeometry, PumpGeometry, SectionGeometry
from perocav.layout.dfb_grating_rules import check_dfb_grating
from perocav.layout.drc import check_component
from perocav.pdk.errors import InputError
from perocav.pdk.pdk import activate

activate()

# half a 1st-order period before the 2nd-order section and after it: its teeth on the 1st-order lattice
MIXED = DeviceGeometry(sections=(SectionGeometry(1, 193.5, 0.45, 60), SectionGeometry(2, 387.0, 0.3, 20, shift_nm=96.75),
                                 SectionGeometry(1, 193.5, 0.45, 60, shift_nm=96.75)))
QWS = {order: DeviceGeometry(sections=(SectionGeometry(order, 190.0 * order, 0.4, 40),
                                       SectionGeometry(order, 190.0 * order, 0.4, 40, shift_nm=95.0)))
       for order in (1, 2)}
ODD = DeviceGeometry(sections=(SectionGeometry(2, 401.3, 0.37, 30), SectionGeometry(0, 401.3, 0.5, 5),
                               SectionGeometry(2, 401.3, 0.61, 30, shift_nm=37.7)))


def teeth(c: gf.Component) -> list[kdb.Box]:
    region = kdb.Region(c.kdb_cell.begin_shapes_rec(gf.get_layer("GRATING"))).merged()
    assert all(p.is_box() for p in region.each())
    return sorted((p.bbox() for p in region.each()), key=lambda b: b.left)


def lattice_nm(geometry: DeviceGeometry) -> list[tuple[int, float, float]]:
    """(section, exact centre z [nm], exact width [nm]) of every tooth the geometry's docstring places."""
    out = []
    for i, (sec, (lo, _)) in enumerate(zip(geometry.sections, geometry.bounds_um(), strict=True)):
        if sec.order:
            out += [(i, lo * 1000 + (k + 0.5) * sec.period_nm, sec.duty_cycle * sec.period_nm)
                    for k in range(sec.n_periods)]
    return out


@pytest.mark.parametrize("geometry", [MIXED, QWS[1], QWS[2], ODD], ids=["mixed", "qws1", "qws2", "odd"])
def test_teeth_sit_on_the_geometrys_lattice_points_within_half_a_nm(geometry: DeviceGeometry) -> None:
    c = cells["dfb_grating"](**grating_cell_params(geometry, stripe_width_um=20))
    boxes, want = teeth(c), lattice_nm(geometry)
    assert len(boxes) == len(want) == c.info["n_teeth"]
    assert c.info["tooth_x_nm"] == [b.left for b in boxes] and c.info["tooth_width_nm"] == [b.width() for b in boxes]
    z0 = c.info["z0_x_nm"]
    assert abs(z0 + geometry.length_um * 500) <= 0.5 + 1e-9  # the device centre at x = 0
    for b, (_, zc, w) in zip(boxes, want, strict=True):
        assert abs((b.left + b.right) / 2 - (zc + z0)) <= 0.5
        assert abs(b.width() - w) <= 0.5
    assert check_component(c) == []


@pytest.mark.parametrize("geometry", [MIXED, ODD], ids=["mixed", "odd"])
def test_sections_reproduce_bounds_and_duty(geometry: DeviceGeometry) -> None:
    """Section i's drawn teeth: the first centred half a period after bounds[i] start, the last half a period before
    its end, all of width duty * period; the cell's section_x_nm is bounds_um."""
    c = cells["dfb_grating"](**grating_cell_params(geometry))
    z0, boxes = c.info["z0_x_nm"], teeth(c)
    owner = [i for i, _, _ in lattice_nm(geometry)]
    for i, (sec, (lo, hi)) in enumerate(zip(geometry.sections, geometry.bounds_um(), strict=True)):
        assert c.info["section_x_nm"][i] == pytest.approx([lo * 1000 + z0, hi * 1000 + z0], abs=1e-6)
        mine = [b for b, j in zip(boxes, owner, strict=True) if j == i]
        assert len(mine) == (sec.n_periods if sec.order else 0)
        if not mine:
            continue
        first, last = (mine[0].left + mine[0].right) / 2 - z0, (mine[-1].left + mine[-1].right) / 2 - z0
        half = 0.5 * sec.period_nm
        assert abs(first - half - lo * 1000) <= 0.5 and abs(last + half - hi * 1000) <= 0.5
        assert all(abs(b.width() / sec.period_nm - sec.duty_cycle) <= 0.5 / sec.period_nm for b in mine)


def test_mixed_order_teeth_share_one_lattice() -> None:
    """1st-order sections (period / 2) around the 2nd-order outcoupler, half a 1st-order period apart: every centre
    on the 1st-order lattice (193.5 nm, offset half a period), and the geometry's phases are all 0 there."""
    c = cells["dfb_grating"](**grating_cell_params(MIXED))
    centres = [(b.left + b.right) / 2 - c.info["z0_x_nm"] - 96.75 for b in teeth(c)]
    assert max(abs(z - 193.5 * round(z / 193.5)) for z in centres) <= 0.5
    import math

    # the feedback sees exp(-2 i phi): phi mod pi is 0 at both junctions
    assert [min(p % math.pi, math.pi - p % math.pi) for p in MIXED.section_phases_rad()] == pytest.approx([0, 0, 0],
                                                                                                      abs=1e-9)
    steps = [round(b - a, 1) for a, b in zip(centres, centres[1:])]
    assert {s for s in steps[:59]} <= {193.0, 193.5, 194.0} and {s for s in steps[60:79]} <= {386.5, 387.0, 387.5}


@pytest.mark.parametrize("order", [1, 2])
def test_quarter_wave_device_shift_is_period_over_twice_the_order(order: int) -> None:
    geometry = QWS[order]
    sec = geometry.sections[1]
    assert sec.shift_nm == pytest.approx(sec.period_nm / (2 * order)) and sec.phase_step_rad == pytest.approx(
        3.141592653589793 / 2)
    c = cells["dfb_grating"](**grating_cell_params(geometry))
    lefts = [b.left for b in teeth(c)]
    steps = [b - a for a, b in zip(lefts, lefts[1:])]
    assert steps[39] == sec.period_nm + sec.shift_nm and set(steps[:39] + steps[40:]) == {sec.period_nm}
    assert c.info["phase_shift_nm"] == [sec.shift_nm]
    legacy = cells["dfb_grating"](period_nm=int(sec.period_nm), duty_cycle=0.4, n_periods=80, order=order,
                                  quarter_wave_shift=True)  # the uniform form's quarter-wave: the same steps
    old = legacy.info["tooth_x_nm"]
    assert [b - a for a, b in zip(old, old[1:])] == steps


@pytest.mark.parametrize(("sections", "field", "allowed"), [
    (((2, 400, 0.9, 10, 0),), "device_sections[0].duty_cycle", "0.1250 ... 0.8750"),
    (((2, 400, 0.5, 10, 0), (1, 200, 0.5, 10, 0), (2, 400, 0.1, 3, 0)), "device_sections[2].duty_cycle",
     "0.1250 ... 0.8750"),
    (((3, 400, 0.5, 10, 0),), "device_sections[0].order", "0, 1, 2"),
    (((2, 400, 0.5, 0, 0),), "device_sections[0].n_periods", "integer >= 1"),
    (((2, 400, 0.5, 10, -5),), "device_sections[0].shift_nm", ">= 0"),
    (((2, 400, 0.5, 10),), "device_sections[0]", "(0, 1 or 2"),
    (((0, 400, 0.5, 10, 0),), "device_sections", "order 1 or 2"),
])
def test_bad_sections_stop_with_one_line_naming_the_field(sections, field: str, allowed: str) -> None:
    for check in (lambda: cells["dfb_grating"](device_sections=sections),
                  lambda: check_dfb_grating(device_sections=sections)):
        with pytest.raises(InputError) as err:
            check()
        assert err.value.field == field and allowed in err.value.allowed and "\n" not in str(err.value)


def test_device_sections_replace_the_uniform_settings() -> None:
    for check in (cells["dfb_grating"], check_dfb_grating):
        with pytest.raises(InputError, match="period_nm is set by device_sections"):
            check(device_sections=((2, 400, 0.5, 10, 0),), period_nm=380)


@pytest.mark.parametrize(("pump", "opening"), [
    (PumpGeometry(opening_um=50.0, offset_um=-12.3456), "circle"),
    (PumpGeometry(opening_um=30.0, offset_um=20.0), "stripe"),
    (PumpGeometry(opening_um=80.0, offset_um=10.0), "stripe"),  # runs past the grating's end: clipped
    (PumpGeometry(), "stripe"),  # the whole device pumped
])
def test_the_opening_is_drawn_over_the_pumped_interval(pump: PumpGeometry, opening: str) -> None:
    geometry = DeviceGeometry(sections=MIXED.sections, pump=pump)
    params = laser_device_params(geometry, opening=opening)
    c = cells["laser_device"](**params)
    pixel_def = kdb.Region(c.kdb_cell.begin_shapes_rec(gf.get_layer("PIXEL_DEF"))).merged()
    (hole,) = list(pixel_def.holes().each())
    box = hole.bbox()
    grating = teeth(c)
    z0 = c.info["cavity_info"]["z0_x_nm"] - round(c.info["opening_offset_um"] * 1000)  # x of z = 0 in the device
    first = geometry.sections[0].period_nm / 2  # the first tooth is centred in the first period
    assert abs((grating[0].left + grating[0].right) / 2 - z0 - first) <= 0.5
    total = geometry.length_um * 1000
    lo, hi = max(0, box.left - z0), min(total, box.right - z0)  # the drawn opening over the device, in z (nm)
    want = geometry.pumped_interval_um()
    assert lo == pytest.approx(want[0] * 1000, abs=1.5) and hi == pytest.approx(want[1] * 1000, abs=1.5)
    assert abs((box.left + box.right) / 2) <= 0.5  # the opening stays at the device's (0, 0)
    assert check_component(c) == []


# ---------------------------------------------------------------- ids on every level (issue 26)
def _level(c: gf.Component, layer: str) -> kdb.Region:
    return kdb.Region(c.kdb_cell.begin_shapes_rec(gf.get_layer(layer))).merged()


def _same_shape(a: kdb.Region, b: kdb.Region) -> bool:
    """Equal up to a translation."""
    ba, bb = a.bbox(), b.bbox()
    return (a.moved(-ba.left, -ba.bottom) ^ b.moved(-bb.left, -bb.bottom)).is_empty()


def test_every_level_of_a_laser_device_carries_its_id() -> None:
    from perocav.layout.font import text_region
    from perocav.layout.level_ids import id_region
    from perocav.pdk.layer_map import LITHO_LEVELS

    with_id = cells["laser_device"](label="B08", cavity_params={"n_periods": 250})
    bare = cells["laser_device"](label="", cavity_params={"n_periods": 250})
    assert with_id.info["id_levels"] == ["METAL", "GRATING", "ITO_BOTTOM", "PIXEL_DEF", "PEROVSKITE", "ITO_TOP"]
    for level in LITHO_LEVELS:
        extra = _level(with_id, level) - _level(bare, level)
        want = text_region("B08", 6_000) if level == "METAL" else id_region("B08", level)
        assert not extra.is_empty() and _same_shape(extra, want), level
        assert (extra & _level(bare, level)).is_empty()
    ito = [_level(with_id, lv) - _level(bare, lv) for lv in ("ITO_BOTTOM", "ITO_TOP")]
    assert (ito[0] & ito[1]).is_empty()  # the two ITO copies never overlap: no short
    assert _level(with_id, "PIXEL_DEF").holes().count() == 1  # dotted letters: the opening is the only hole
    assert id_region("B08", "PEROVSKITE").bbox().height() == 70_000  # 10 um rule: 10 um pixels
    box = with_id.dbbox()  # the PEROVSKITE id above stays within the METAL label's depth below: the pitch holds
    assert box.top <= -box.bottom and box.width() == bare.dbbox().width()
    assert check_component(with_id) == []


def test_a_control_carries_the_id_only_on_its_own_levels() -> None:
    c = cells["laser_device"](label="B09", electrodes=False)
    assert c.info["id_levels"] == ["METAL", "GRATING", "PEROVSKITE"]
    assert all(_level(c, lv).is_empty() for lv in ("ITO_BOTTOM", "PIXEL_DEF", "ITO_TOP"))
    c = cells["laser_device"](label="B10", cavity="none")
    assert _level(c, "GRATING").is_empty() and "GRATING" not in c.info["id_levels"]


@pytest.mark.slow
def test_a_device_block_from_the_geometry_goes_on_a_clean_die() -> None:
    """The wiring path: a design block with ``laser_device_params`` (through the mask file's YAML text), its repeat
    and controls; DRC clean, the manifest records the section list and the opening offset, the no-grating control
    drops the offset (no cavity to place the opening on)."""
    import yaml

    from perocav.layout.mask import build_mask
    from perocav.layout.mask_spec import MaskSpec

    geometry = DeviceGeometry(sections=MIXED.sections, pump=PumpGeometry(opening_um=20.0, offset_um=3.5))
    block = {"name": "dev", "params": laser_device_params(geometry), "repeats": 1}
    text = yaml.safe_dump({"name": "device_die", "die": {"width_um": 3000, "height_um": 3000, "pitch_x_um": 420,
                                                         "pitch_y_um": 300}, "designs": [block]})
    ml = build_mask(MaskSpec.model_validate(yaml.safe_load(text)))
    assert check_component(ml.component) == []
    by_control = {d.control or d.role: d for d in ml.devices}
    design = by_control["design"].settings
    assert [tuple(s) for s in design["cavity_params"]["device_sections"]] == list(
        grating_cell_params(geometry)["device_sections"])
    assert design["opening_offset_um"] == 3.5 and by_control["no_electrodes"].settings["opening_offset_um"] == 3.5
    assert by_control["no_grating"].settings["opening_offset_um"] == 0.0
