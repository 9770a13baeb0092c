"""A layer stack seen by the heat model: slabs in z (bottom to top) with constant thermal properties [SI units].

The substrate is a slab of finite thickness on a heat sink (fixed temperature at its bottom), the cover a slab with
an adiabatic top (an air cover is the adiabatic top itself). The active (gain) layer is where the Joule heat J V(J) is released, inside the opening.
"""

from __future__ import annotations

from dataclasses import dataclass

from perocav.pdk.errors import InputError
from perocav.pdk.materials.thermal import ThermalMaterial, get_thermal_material, patterned_level


@dataclass(frozen=True)
class ThermalSlab:
    """One slab: name, thickness [m], properties, whether the heat source sits in it."""

    name: str
    thickness_m: float
    material: ThermalMaterial
    heated: bool = False


@dataclass(frozen=True)
class ThermalStack:
    """Slabs bottom (substrate) to top (cover); exactly one heated slab."""

    slabs: tuple[ThermalSlab, ...]

    def __post_init__(self) -> None:
        if sum(s.heated for s in self.slabs) != 1:
            raise InputError("the stack needs exactly one heated (gain) layer", field="layers",
                             allowed="one layer with role 'gain' and thickness > 0")

    @property
    def heated_index(self) -> int:
        return next(i for i, s in enumerate(self.slabs) if s.heated)


def _level(layer) -> ThermalMaterial:
    field = f"layers.{layer.name}.material"
    teeth = get_thermal_material(layer.material, field=field)
    if layer.fill_material is None:
        return teeth
    fill = get_thermal_material(layer.fill_material, field=f"layers.{layer.name}.fill_material")
    return patterned_level(teeth=teeth, fill=fill, teeth_fraction=layer.fill_fraction)


def thermal_stack_from_stack(*, stack, substrate_thickness_um: float = 1000.0,
                             cover_thickness_um: float = 100.0) -> ThermalStack:
    """PDK ``Stack`` -> ``ThermalStack``: zero-thickness levels dropped, the gain layer heated."""
    for field, value in (("substrate_thickness_um", substrate_thickness_um), ("cover_thickness_um", cover_thickness_um)):
        if not (isinstance(value, (int, float)) and 1.0 <= value <= 1e5):
            raise InputError(f"{value!r} is outside the range", field=field, allowed="1-1e5 um")
    if stack.gain_layer is None:
        raise InputError(f"stack {stack.name!r} has no gain layer to heat", field="layers",
                         allowed="a layer with role 'gain'")
    slabs = [ThermalSlab("substrate", substrate_thickness_um * 1e-6,
                         get_thermal_material(stack.substrate, field="substrate"))]
    for layer in stack.layers:
        if layer.thickness_nm > 0:
            slabs.append(ThermalSlab(layer.name, layer.thickness_nm * 1e-9, _level(layer), layer.role == "gain"))
    cover = get_thermal_material(stack.cover, field="cover")
    if cover.name != "air":  # air's effusivity is 0.4 % of glass's: an adiabatic top is exact to that level
        slabs.append(ThermalSlab("cover", cover_thickness_um * 1e-6, cover))
    return ThermalStack(tuple(slabs))


def homogeneous_stack(*, material: ThermalMaterial, source_thickness_m: float, depth_m: float) -> ThermalStack:
    """Half-space test case: a thin heated top slab over ``depth_m`` of the same material, no cover."""
    return ThermalStack((ThermalSlab("bulk", depth_m, material), ThermalSlab("source", source_thickness_m, material, True)))
