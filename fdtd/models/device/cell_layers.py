"""Which layers of the stack a unit cell's modal loss alpha_other (``SectionCell.modal_loss_per_cm``) goes to: the
first-order split (``models.slab.layer_absorption``) of the cell's averaged guide (the grating level at its duty
cycle, as the analytic model averages it) at the cell's Bragg wavelength, as shares summing to 1. The shares hold
for a solver's alpha_other too (RCWA / FDTD give the total, not its layers)."""

from __future__ import annotations

from dataclasses import replace

from perocav.fdtd.models.dispersion.dispersion import region_stack
from perocav.fdtd.models.slab.layer_absorption import layer_absorption
from perocav.fdtd.models.slab.slab_modes import NoGuidedModeError
from perocav.pdk.stack import Stack


def layer_loss_shares(*, stack: Stack, duty_cycle: float, wavelength_nm: float) -> tuple[tuple[str, float], ...]:
    """(layer, share of the modal loss) of the averaged guide's absorbing layers at ``wavelength_nm`` (empty when
    nothing absorbs or the guide has no mode there)."""
    avg = region_stack(stack=stack, region="average", duty_cycle=duty_cycle)
    try:
        return layer_absorption(profile=avg.index_profile(wavelength_nm=wavelength_nm)).shares()
    except NoGuidedModeError:
        return ()


def with_layer_shares(cells: dict, *, stack: Stack) -> dict:
    """``cells`` (``SectionCell`` by key) with the layer split of every cell that lacks one."""
    return {k: c if c.layer_loss_shares else replace(c, layer_loss_shares=layer_loss_shares(
        stack=stack, duty_cycle=c.duty_cycle, wavelength_nm=c.bragg_wavelength_nm)) for k, c in cells.items()}

