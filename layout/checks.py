"""Input checks for layout cells: each failure raises one-line ``InputError`` naming the field and range."""

from __future__ import annotations

import math
from collections.abc import Iterable

from perocav.pdk.errors import InputError
from perocav.pdk.rules import DESIGN_RULES


def min_width_nm(layer: str) -> int:
    """Minimum feature width on ``layer`` (nm), from the PDK design rules."""
    return int(math.ceil(DESIGN_RULES.layers[layer].min_width_nm))


def min_space_nm(layer: str) -> int:
    """Minimum space between features on ``layer`` (nm), from the PDK design rules."""
    return int(math.ceil(DESIGN_RULES.layers[layer].min_space_nm))


def enclosure_nm(outer: str, inner: str) -> int:
    """Minimum enclosure of ``inner`` by ``outer`` (nm), from the PDK design rules."""
    for rule in DESIGN_RULES.enclosures:
        if rule.outer == outer and rule.inner == inner:
            return int(math.ceil(rule.min_enclosure_nm))
    raise KeyError(f"no enclosure rule {outer} > {inner}")


def on_grid_nm(value: float, *, field: str, cell: str) -> int:
    """``value`` (nm) as an integer on the 1 nm grid; off-grid values raise."""
    if not math.isfinite(value) or abs(value - round(value)) > 1e-6:
        raise InputError(f"{value} nm is not on the {DESIGN_RULES.grid_nm:g} nm grid", field=field,
                         allowed="integer nm", source=cell)
    return int(round(value))


def um_on_grid_nm(value_um: float, *, field: str, cell: str) -> int:
    """``value_um`` (um) converted to integer nm; off-grid values raise."""
    if not math.isfinite(value_um) or abs(value_um * 1000 - round(value_um * 1000)) > 1e-6:
        raise InputError(f"{value_um} um is not on the 1 nm grid", field=field, allowed="multiples of 0.001 um",
                         source=cell)
    return int(round(value_um * 1000))


def at_least(value: float, minimum: float, *, field: str, cell: str, unit: str, why: str = "") -> None:
    """Raise unless ``value >= minimum``."""
    if not value >= minimum:
        reason = f" ({why})" if why else ""
        raise InputError(f"{value:g} {unit} is below the minimum{reason}", field=field,
                         allowed=f">= {minimum:g} {unit}", source=cell)


def at_most(value: float, maximum: float, *, field: str, cell: str, unit: str, why: str = "") -> None:
    """Raise unless ``value <= maximum``."""
    if not value <= maximum:
        reason = f" ({why})" if why else ""
        raise InputError(f"{value:g} {unit} is above the maximum{reason}", field=field,
                         allowed=f"<= {maximum:g} {unit}", source=cell)


def fraction_open(value: float, *, field: str, cell: str) -> None:
    """Raise unless ``0 < value < 1``."""
    if not (isinstance(value, int | float) and 0 < value < 1):
        raise InputError(f"{value!r} is outside (0, 1)", field=field, allowed="0 < value < 1", source=cell)


def positive_int(value: object, *, field: str, cell: str) -> int:
    """``value`` as a positive int; anything else raises."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InputError(f"{value!r} is not a positive integer", field=field, allowed="integer >= 1", source=cell)
    return value


def one_of(value: object, allowed: Iterable[object], *, field: str, cell: str) -> None:
    """Raise unless ``value`` is one of ``allowed``."""
    allowed = tuple(allowed)
    if value not in allowed:
        raise InputError(f"{value!r} is not allowed", field=field, allowed=", ".join(map(str, allowed)), source=cell)
