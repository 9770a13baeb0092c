"""The MEEP backend's ``DfbSolverResult`` (``fdtd.result``, the one DFB solver record): the extract step's flat
fields split into the shared ones and ``MeepDetails``."""

from __future__ import annotations

from dataclasses import fields

from perocav.fdtd.result import DfbSolverResult, MeepDetails

_DETAILS = frozenset(f.name for f in fields(MeepDetails))


def meep_result(**flat) -> DfbSolverResult:
    """The record of a MEEP run from its flat fields (shared names and ``MeepDetails`` names; any other raises
    TypeError)."""
    details = {k: flat.pop(k) for k in list(flat) if k in _DETAILS}
    return DfbSolverResult(model="fdtd", **flat, details=MeepDetails(**details))
