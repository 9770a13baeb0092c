"""perocav PDK: layers, layer stacks, materials with cited n,k, design rules.

gdsfactory-backed names (``LAYER``, ``get_pdk``, ``activate``) load on first use, so that tools which only
need materials and stacks start fast.
"""

import importlib

from perocav.pdk.errors import InputError
from perocav.pdk.layer_map import LAYER_NUMBERS, LITHO_LEVELS, layer_by_name
from perocav.pdk.rules import DESIGN_RULES, DesignRules

__all__ = [
    "DESIGN_RULES", "LAYER", "LAYER_NUMBERS", "LITHO_LEVELS", "DesignRules", "InputError", "activate", "get_pdk",
    "layer_by_name",
]

_LAZY = {"LAYER": "perocav.pdk.layers", "activate": "perocav.pdk.pdk", "get_pdk": "perocav.pdk.pdk"}


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'perocav.pdk' has no attribute {name!r}")
