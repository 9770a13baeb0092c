"""Neighbouring chosen designs' brackets overlap: the die places each distinct device once (issue 26)."""

from perocav.layout.mask import _same_as
from perocav.layout.mask_spec import PlannedDevice


def _dev(i: str, group: str, role: str, period: float, duty: float) -> PlannedDevice:
    params = {"cavity": "dfb_grating", "cavity_params": {"period_nm": period, "duty_cycle": duty}}
    return PlannedDevice(device_id=i, group=group, cell="laser_device", params=params, varied={}, field="x",
                         role=role)


def test_overlapping_bracket_points_are_placed_once():
    planned = [_dev("A01", "rank1", "bracket", 375, 0.7), _dev("A02", "rank1", "design", 380, 0.7),
               _dev("A03", "rank1", "bracket", 385, 0.7), _dev("A04", "rank1", "repeat", 380, 0.7),
               _dev("B01", "rank2", "bracket", 370, 0.7), _dev("B02", "rank2", "design", 375, 0.7),
               _dev("B03", "rank2", "bracket", 380, 0.7), _dev("C01", "rank3", "bracket", 385, 0.7)]
    same = _same_as(planned)
    # A01 is rank 2's design, B03 rank 1's design, C01 rank 1's bracket A03; repeats stay (intended copies)
    assert same == {"A01": "B02", "B03": "A02", "C01": "A03"}
    kept = [d for d in planned if d.device_id not in same and d.role in ("design", "bracket")]
    keys = [(d.params["cavity_params"]["period_nm"], d.params["cavity_params"]["duty_cycle"]) for d in kept]
    assert len(keys) == len(set(keys))


def test_y_vernier_is_the_x_vernier_turned():
    from perocav.layout.vernier import vernier
    from perocav.pdk.pdk import activate

    activate()
    bx, by = vernier(level="METAL", n_lines=9).dbbox(), vernier(level="METAL", n_lines=9, axis="y").dbbox()
    assert (by.width(), by.height()) == (bx.height(), bx.width())
    assert vernier(level="METAL", axis="y").info["axis"] == "y"
