"""Layer stacks (bottom to top) with thicknesses in nm: the spec shared by slab solver, layout and FDTD."""

from __future__ import annotations

from typing import Annotated, Literal, Union

import numpy as np
from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, field_validator, model_validator

from perocav.pdk.bounds import MAX_THICKNESS_NM, StrictModel, ThicknessNm
from perocav.pdk.errors import InputError
from perocav.pdk.layer_map import layer_by_name
from perocav.pdk.materials import resolve_material

Role = Literal["grating", "contact", "transport", "gain", "interlayer", "metal", "cladding"]


class ConstantIndex(StrictModel):
    """A non-dispersive, passive material ``{n, k}``: n > 0, k >= 0 (k > 0 absorbs; gain is the gain model's).
    n < 1 is allowed: metals and transparent conductors in the infrared (Ag at 780 nm: n 0.14, k 4.5)."""

    n: float = Field(gt=0, le=20, allow_inf_nan=False)
    k: float = Field(0.0, ge=0, le=20, allow_inf_nan=False)


def _material_kind(value) -> str | None:
    if isinstance(value, str):
        return "material-name"
    if isinstance(value, (dict, ConstantIndex)):
        return "material-nk"
    return None


#: A material: a library name (``SiO2``) or a constant index ``{n, k}``.
MaterialSpec = Annotated[Union[Annotated[str, Tag("material-name")], Annotated[ConstantIndex, Tag("material-nk")]],
                         Discriminator(_material_kind, custom_error_type="material",
                                       custom_error_message="not a material name or {n, k}")]


def _check_material(value: MaterialSpec) -> MaterialSpec:
    resolve_material(value)  # raises InputError for unknown names
    return value


class StackLayer(StrictModel):
    """One level of the stack. Patterned levels (``fill_material`` set) are teeth of ``material`` in
    ``fill_material``; analytic models see them as a volume average with ``fill_fraction`` of teeth."""

    name: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    material: MaterialSpec
    thickness_nm: ThicknessNm
    role: Role = "cladding"
    layer: str | None = None  # GDS layer name (perocav.pdk.LAYER) that patterns this level
    fill_material: MaterialSpec | None = None
    fill_fraction: float = Field(default=0.5, gt=0, lt=1)

    @field_validator("material", "fill_material")
    @classmethod
    def _known_material(cls, v: MaterialSpec | None) -> MaterialSpec | None:
        return v if v is None else _check_material(v)

    @field_validator("layer")
    @classmethod
    def _known_layer(cls, v: str | None) -> str | None:
        if v is not None:
            layer_by_name(v)
        return v

    @model_validator(mode="after")
    def _grating_has_fill(self) -> "StackLayer":
        if self.role == "grating" and self.fill_material is None:  # every solver draws teeth in this fill
            raise InputError(f"grating level {self.name!r} has no fill_material", field="fill_material", relative=True,
                             allowed="the material between the teeth (e.g. the substrate's)")
        return self

    def index(self, *, wavelength_nm: float) -> complex:
        """Complex index of the level (volume-averaged permittivity for a patterned level)."""
        n_mat = resolve_material(self.material).nk(wavelength_nm=wavelength_nm, field_name=f"{self.name}.wavelength_nm")
        if self.fill_material is None:
            return complex(n_mat)
        n_fill = resolve_material(self.fill_material).nk(wavelength_nm=wavelength_nm)
        f = self.fill_fraction
        return complex(np.sqrt(f * n_mat**2 + (1 - f) * n_fill**2))


class Stack(StrictModel):
    """A planar stack: substrate (semi-infinite, below), layers bottom to top, cover (semi-infinite, above)."""

    name: str = Field(min_length=1, max_length=200)
    description: str = ""
    substrate: MaterialSpec
    cover: MaterialSpec = "air"
    layers: tuple[StackLayer, ...] = Field(min_length=1, max_length=1000)
    emission_wavelength_nm: float | None = Field(default=None, gt=0, le=1e5, allow_inf_nan=False)
    #: (low, high) nm: the user's filter on where resonances are solved. None: the window is a result of the gain
    #: layer's spectrum (where g(lambda, N) can exceed a loss floor; ``fdtd.models.spectral_gain.stack_window``),
    #: else emission_wavelength_nm +- 4 %. (The pdk cannot import the spectrum: it is resolved at the fdtd level.)
    gain_window_nm: tuple[float, float] | None = None
    #: Treat the gain layer as lossless (the pumped layer's re-absorption is offset by its gain).
    gain_layer_lossless: bool = True

    @field_validator("substrate", "cover")
    @classmethod
    def _known_cladding(cls, v: MaterialSpec) -> MaterialSpec:
        return _check_material(v)

    @model_validator(mode="after")
    def _unique_names(self) -> "Stack":
        names = [layer.name for layer in self.layers]
        dup = {n for n in names if names.count(n) > 1}
        if dup:
            raise InputError(f"layer name {sorted(dup)[0]!r} is used twice", field="layers", relative=True,
                             allowed="unique layer names")
        if sum(layer.role == "gain" for layer in self.layers) > 1:
            raise InputError("more than one layer has role 'gain'", field="layers", relative=True,
                             allowed="at most one gain layer")
        return self

    @field_validator("gain_window_nm")
    @classmethod
    def _window(cls, v: tuple[float, float] | None) -> tuple[float, float] | None:
        if v is not None and not (0 < v[0] < v[1] < 1e5):
            raise ValueError("gain_window_nm needs 0 < low < high (nm)")
        return v

    @property
    def gain_layer(self) -> str | None:
        """Name of the gain layer, if any."""
        return next((layer.name for layer in self.layers if layer.role == "gain"), None)

    def layer(self, name: str) -> StackLayer:
        """Layer by name; unknown names raise InputError."""
        for layer in self.layers:
            if layer.name == name:
                return layer
        raise InputError(f"no layer {name!r} in stack {self.name!r}", field="layer", allowed=", ".join(self.layer_names))

    @property
    def layer_names(self) -> tuple[str, ...]:
        return tuple(layer.name for layer in self.layers)

    def with_thicknesses(self, thickness_nm: dict[str, float] | None = None, **kw: float) -> "Stack":
        """Copy with some layer thicknesses overridden (nm); 0 removes a level from the optical model."""
        new = {**(thickness_nm or {}), **kw}
        for key, value in new.items():
            self.layer(key)
            if not isinstance(value, (int, float)) or isinstance(value, bool) or not (0 <= value <= MAX_THICKNESS_NM):
                raise InputError(f"{value!r} is not a thickness", field=f"{key}.thickness_nm",
                                 allowed=f"0-{MAX_THICKNESS_NM:g} nm")
        layers = tuple(l.model_copy(update={"thickness_nm": float(new.get(l.name, l.thickness_nm))}) for l in self.layers)
        return self.model_copy(update={"layers": layers})

    def optical_layers(self) -> tuple[StackLayer, ...]:
        """Layers with nonzero thickness, bottom to top."""
        return tuple(layer for layer in self.layers if layer.thickness_nm > 0)

    def index_profile(self, *, wavelength_nm: float) -> "IndexProfile":
        """Complex indices of substrate, each nonzero layer and cover at one wavelength."""
        layers = self.optical_layers()
        if not layers:
            raise InputError("all layers have zero thickness", field="layers", allowed="at least one layer > 0 nm")
        n = []
        for layer in layers:
            value = layer.index(wavelength_nm=wavelength_nm)
            if layer.role == "gain" and self.gain_layer_lossless:
                value = complex(value.real, 0.0)
            n.append(value)
        sub = resolve_material(self.substrate, field="substrate").nk(wavelength_nm=wavelength_nm, field_name="substrate")
        cov = resolve_material(self.cover, field="cover").nk(wavelength_nm=wavelength_nm, field_name="cover")
        return IndexProfile(
            names=tuple(l.name for l in layers),
            thickness_nm=tuple(l.thickness_nm for l in layers),
            n_layers=tuple(n),
            n_substrate=complex(sub),
            n_cover=complex(cov),
            wavelength_nm=float(wavelength_nm),
        )


class IndexProfile(BaseModel):
    """Stack resolved at one wavelength: complex indices and thicknesses (nm), bottom to top."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    names: tuple[str, ...]
    thickness_nm: tuple[float, ...]
    n_layers: tuple[complex, ...]
    n_substrate: complex
    n_cover: complex
    wavelength_nm: float

