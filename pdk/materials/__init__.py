"""Materials with cited dispersive n,k and valid wavelength ranges."""

from perocav.pdk.materials.library import drude_ito, get_material, material_names, resolve_material
from perocav.pdk.materials.material import Material, constant_material

__all__ = ["Material", "constant_material", "drude_ito", "get_material", "material_names", "resolve_material"]
