"""The two builders of a grating's tooth / fill permittivities agree: the RCWA unit cell (``rcwa.cell``: materials per
level, evaluated one wavelength at a time, continued to complex wavelengths) and the vectorised region stacks of the
analytic screen (``models.slab.stack_eps.region_eps``, the rule of ``Stack.index_profile``). They are kept apart on
purpose (the scalar and the array evaluation of a material differ by one ulp, and the averaged cell averages eps where
``region_eps`` averages n^2 through a square root), so this pins them to each other instead."""

import numpy as np
import pytest

from perocav.fdtd.models.dispersion.dispersion import data_range_nm
from perocav.fdtd.models.slab.stack_eps import region_eps
from perocav.fdtd.rcwa.cell import grating_cell, level_permittivities
from perocav.pdk import activate
from perocav.pdk.stacks import get_stack, stack_names

REL = 1e-14


@pytest.fixture(scope="module", autouse=True)
def pdk():
    activate()


def _patterned_stacks():
    return [n for n in stack_names() if any(l.role == "grating" for l in get_stack(n).optical_layers())]


@pytest.mark.parametrize("name", _patterned_stacks())
def test_tooth_fill_and_uniform_levels_agree(name):
    stack = get_stack(name)
    lo, hi = data_range_nm(stack)
    wl = np.linspace(max(lo, 450.0), min(hi, 900.0), 7)
    tooth = region_eps(stack=stack, region="tooth", wavelength_nm=wl).eps
    gap = region_eps(stack=stack, region="gap", wavelength_nm=wl).eps
    average = region_eps(stack=stack, region="average", wavelength_nm=wl, duty_cycle=np.full(wl.shape, 0.3)).eps
    cell = grating_cell(stack=stack, period_nm=300.0, duty_cycle=0.3)
    blend = grating_cell(stack=stack, period_nm=300.0, duty_cycle=0.3, averaged=True)
    for i, w in enumerate(wl):
        # rcwa levels run top to bottom; region_eps columns are substrate, levels bottom to top, cover
        levels = reversed(level_permittivities(cell, wavelength_nm=float(w)))
        blended = reversed(level_permittivities(blend, wavelength_nm=float(w)))
        for col, ((fill, tooth_eps), (mean, _)) in enumerate(zip(levels, blended), start=1):
            assert fill == pytest.approx(gap[i, col], rel=REL)
            assert (fill if tooth_eps is None else tooth_eps) == pytest.approx(tooth[i, col], rel=REL)
            assert mean == pytest.approx(average[i, col], rel=REL)
