"""Cavity families: the registry ``cavity: type`` name -> ``CavityFamily`` (the entry point of the seam).

The pipeline never compares ``cavity.type`` strings: it asks ``family(cavity)`` for the spec, the layout cell, the
evaluation at a fidelity, the records and their columns (see ``family.py``). A new family is one file here that
builds its ``CavityFamily`` and one line in ``FAMILIES`` (plus its layout cell and its model)."""

from __future__ import annotations

from perocav.designs.cavities import circular, dfb
from perocav.designs.cavities.family import CavityFamily

#: every registered family by its ``cavity: type`` name, in the order the schema lists them
FAMILIES: dict[str, CavityFamily] = {f.name: f for f in (dfb.FAMILY, *circular.FAMILIES)}


def family(cavity) -> CavityFamily:
    """The family of a cavity spec (or of a ``cavity: type`` name)."""
    name = cavity if isinstance(cavity, str) else cavity.type
    try:
        return FAMILIES[name]
    except KeyError:
        raise ValueError(f"unknown cavity type {name!r} (known: {', '.join(FAMILIES)})") from None


def cavity_specs() -> tuple[type, ...]:
    """The ``cavity:`` spec classes of every family (the design schema's discriminated union)."""
    return tuple(f.spec for f in FAMILIES.values())


def record_types() -> dict[str, type]:
    """Every family's analytic record types by their cache tag."""
    return {tag: cls for f in FAMILIES.values() for tag, cls in f.records.items()}


def supporting(fidelity: str) -> tuple[str, ...]:
    """The cavity types whose families evaluate at ``fidelity``."""
    return tuple(name for name, f in FAMILIES.items() if fidelity in f.fidelities)
