"""The gain window of a design point: its stack's window (the user's ``gain_window_nm``, else the gain layer's
spectrum) at the point's gain material's temperature and density ceiling (``gain_material.temperature_k``,
``max_density_per_cm3``): where g(lambda, N) can exceed the loss floor, so where a Bragg root can lase."""

from __future__ import annotations

from typing import TYPE_CHECKING

from perocav.fdtd.models.spectral_gain.stack_window import GainWindow, stack_gain_window

if TYPE_CHECKING:
    from perocav.designs.spec import DesignPoint
    from perocav.pdk.stack import Stack


def design_gain_window(point: DesignPoint, *, stack: Stack | None = None) -> GainWindow:
    """The window where ``point``'s resonances are solved (``stack``: its resolved stack, if the caller has it)."""
    material = point.gain_material
    return stack_gain_window(stack=point.stack.resolve() if stack is None else stack,
                             temperature_k=material.temperature_k, max_density_per_cm3=material.max_density_per_cm3)
