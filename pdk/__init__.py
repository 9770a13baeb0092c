"""perocav PDK: layers, layer stacks, materials with cited n,k, design rules."""

from perocav.pdk.errors import InputError
from perocav.pdk.layers import LAYER, LITHO_LEVELS, layer_by_name
from perocav.pdk.pdk import activate, get_pdk
from perocav.pdk.rules import DESIGN_RULES, DesignRules

__all__ = ["DESIGN_RULES", "LAYER", "LITHO_LEVELS", "DesignRules", "InputError", "activate", "get_pdk", "layer_by_name"]
