"""The coupled-mode side's unit cells sit on the grid where the finite-device cell has its stack
(``device_unit_cells.cell_padding``): the device cell (``meep.device_geometry_2d``) is a whole, even number of pixels
high with the perovskite's bottom half a pixel off the grid (grid points at k / resolution from the centre), so a
unit cell built with that padding must be too, and its levels must be where the device cell's are (the device
builder's ``_vertical`` with its aligned cladding). Both PDK perovskites, the emission validation's resolutions."""

import pytest

from perocav.pdk import activate

activate()

from perocav.fdtd.device_unit_cells import cell_padding  # noqa: E402
from perocav.fdtd.meep.geometry_2d import _vertical, dfb_unit_cell_2d  # noqa: E402
from perocav.layout.dfb_grating import dfb_grating  # noqa: E402
from perocav.pdk.stacks import get_stack  # noqa: E402


def _frac(value: float) -> float:
    return value - round(value)


@pytest.mark.parametrize("gain, period_nm", [("MAPbI3", 400.0), ("CsPbBr3", 250.0)])
@pytest.mark.parametrize("res", [40.0, 60.0, 80.0])
def test_unit_cell_is_aligned_like_the_device_cell(gain, period_nm, res):
    stack = get_stack(f"transparent_{gain}")
    pad = cell_padding(stack=stack, resolution_px_per_um=res, cell_padding_um=(0.6, 0.6, 0.6))
    assert pad["substrate_um"] >= 0.6 and pad["cover_um"] >= 0.6 and pad["pml_um"] == 0.6
    comp = dfb_grating(period_nm=period_nm, duty_cycle=0.3, n_periods=4, order=2)
    cell = dfb_unit_cell_2d(component=comp, stack=stack, **pad)
    height_px = cell.size_y_um * res
    assert abs(_frac(height_px)) < 1e-6 and round(height_px) % 2 == 0
    y0, _ = cell.levels_um[stack.gain_layer]
    assert abs(abs(_frac(y0 * res)) - 0.5) < 1e-6  # half a pixel off the grid
    size_y, y_offset, _ = _vertical(stack, substrate_um=pad["substrate_um"], cover_um=pad["cover_um"], pml_y_um=0.6)
    assert cell.size_y_um == pytest.approx(size_y, abs=1e-12)
    assert cell.levels_um["grating"][0] == pytest.approx(y_offset, abs=1e-12)


def test_no_device_padding_keeps_the_cells_own():
    assert cell_padding(stack=get_stack("transparent_CsPbBr3"), resolution_px_per_um=60.0, cell_padding_um=None) == {}
