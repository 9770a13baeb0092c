"""RCWA (rigorous coupled-wave analysis, meent) of periodic unit cells: 1D gratings under a layer stack.

Never imports meep. Entry point: ``simulate_dfb_rcwa`` (a ``DfbRcwaResult`` with the MEEP unit cell's field names).
"""

from perocav.fdtd.rcwa.result import DfbRcwaResult
from perocav.fdtd.rcwa.settings import RcwaSettings
from perocav.fdtd.rcwa.unit_cell import simulate_dfb_rcwa

__all__ = ["DfbRcwaResult", "RcwaSettings", "simulate_dfb_rcwa"]
