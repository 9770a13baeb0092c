"""RCWA (rigorous coupled-wave analysis, meent) of periodic unit cells: 1D gratings under a layer stack.

Never imports meep, nor the MEEP entry level (``fdtd/dfb*.py``). Entry point: ``simulate_dfb_rcwa``, returning the
one DFB solver record ``perocav.fdtd.result.DfbSolverResult`` (model "rcwa", ``RcwaDetails``). The names below load
on first use, so ``settings`` and ``cross_check`` import without meent.
"""

from __future__ import annotations

import importlib

_WHERE = {"RcwaSettings": "settings", "simulate_dfb_rcwa": "unit_cell"}

__all__ = ["RcwaSettings", "simulate_dfb_rcwa"]


def __getattr__(name: str):
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_WHERE[name]}"), name)


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
