"""What ``perocav run`` would find only at its mask step, checked before any design is computed (validate == run)."""

from __future__ import annotations

from pydantic import ValidationError

from perocav.designs.cavities import family
from perocav.designs.mask_export import mask_plan
from perocav.designs.spec import DesignPoint, DesignSpec
from perocav.layout.mask_spec import plan
from perocav.pdk.errors import InputError


def _extent(point: DesignPoint) -> float:
    """Footprint of a point's cavity [um] (its family's size): the largest devices are the ones that may not fit."""
    return family(point.cavity).size_um(point.cavity)


def check_mask_plan(spec: DesignSpec, points: list[DesignPoint], *, source: str) -> None:
    """Build the mask file ``run`` would write for the ``mask.top_n`` largest points and validate it (names, die,
    bracket; the largest device is drawn to size the pitch); a misfit raises one-line InputError naming the design
    file's ``mask`` section."""
    if spec.mask is None or not points:
        return

    seen, chosen = set(), []
    for p in sorted(points, key=_extent, reverse=True):
        cell = p.cavity.layout_cell()
        sig = (cell[0], tuple(sorted(cell[1].items())))
        if sig not in seen:
            seen.add(sig)
            chosen.append(p)
        if len(chosen) == spec.mask.top_n:
            break
    try:
        plan(mask_plan(spec, chosen, pitch_from=1).spec, source=source)
    except InputError as err:
        raise InputError(f"the mask of the chosen designs fails: {err.field}: {err.problem}", field="mask",
                         allowed=err.allowed, source=source) from None
    except (ValidationError, ValueError) as err:
        first = err.errors()[0]["msg"] if isinstance(err, ValidationError) else str(err)
        raise InputError(f"the mask of the chosen designs fails: {' '.join(first.split())}", field="mask",
                         source=source) from None
