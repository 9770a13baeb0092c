"""What ``perocav run`` would find only at its mask step, checked before any design is computed (validate == run)."""

from __future__ import annotations

from perocav.designs.spec import DesignPoint, DesignSpec
from perocav.pdk.errors import InputError


def _extent(point: DesignPoint) -> float:
    """Footprint proxy of a point's cavity [um]: the largest devices are the ones that may not fit."""
    c = point.cavity
    if c.type == "dfb":
        return c.length_um
    if c.type == "circular_dfb":
        return (c.center_radius_nm + c.n_rings * c.period_nm) / 1000.0
    return getattr(c, "outer_radius_um", None) or getattr(c, "radius_um", 0.0)


def check_mask_plan(spec: DesignSpec, points: list[DesignPoint], *, source: str) -> None:
    """Build the mask file ``run`` would write for the ``mask.top_n`` largest points and validate it (names, die,
    bracket; the largest device is drawn to size the pitch); a misfit raises one-line InputError naming the design
    file's ``mask`` section."""
    if spec.mask is None or not points:
        return
    from pydantic import ValidationError

    from perocav.designs.mask_export import _block, _die, _pitch_um
    from perocav.layout.mask_spec import MaskSpec, plan

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
        blocks = [_block(rank, p, spec) for rank, p in enumerate(chosen, start=1)]
        mask = MaskSpec.model_validate({"name": f"{spec.name}_mask", "die": _die(blocks, _pitch_um(blocks[:1])),
                                        "designs": blocks})
        plan(mask, source=source)
    except InputError as err:
        raise InputError(f"the mask of the chosen designs fails: {err.field}: {err.problem}", field="mask",
                         allowed=err.allowed, source=source) from None
    except (ValidationError, ValueError) as err:
        first = err.errors()[0]["msg"] if isinstance(err, ValidationError) else str(err)
        raise InputError(f"the mask of the chosen designs fails: {' '.join(first.split())}", field="mask",
                         source=source) from None
