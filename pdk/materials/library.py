"""The perocav material library: cited n,k data shipped as package data, looked up by name."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any, Callable

import yaml

from perocav.pdk.errors import InputError
from perocav.pdk.materials.material import Material, constant_material, drude_lorentz_nk
from perocav.pdk.materials.refractiveindex import read_rii

_DATA = resources.files("perocav.pdk.materials") / "data"

#: name -> (refractiveindex.info file, short description). Data: refractiveindex.info (CC0).
_RII_FILES: dict[str, tuple[str, str]] = {
    "SiO2": ("main_SiO2_nk_Malitson.yml", "fused silica (Malitson 1965)"),
    "Si3N4": ("main_Si3N4_nk_Luke.yml", "LPCVD Si3N4 (Luke et al. 2015)"),
    "TiO2": ("main_TiO2_nk_Siefke.yml", "ALD TiO2 film (Siefke et al. 2016)"),
    "Al2O3": ("main_Al2O3_nk_Malitson-o.yml", "sapphire, ordinary ray (Malitson 1962)"),
    "HfO2": ("main_HfO2_nk_Al-Kuhaili.yml", "HfO2 film (Al-Kuhaili 2004)"),
    "ZnO": ("main_ZnO_nk_Stelling.yml", "ZnO film (Stelling et al. 2017)"),
    "PEDOT:PSS": ("other_mixed_organic_PEDOT-PSS_nk_Chen.yml", "PEDOT:PSS film (Chen et al. 2015)"),
    "ITO": ("other_mixed_crystals_In2O3-SnO2_nk_Moerland.yml", "17 nm ITO film (Moerland & Hoogenboom 2016)"),
    "ITO_Konig": ("other_mixed_crystals_In2O3-SnO2_nk_Konig.yml", "72 nm ITO film (Konig et al. 2014)"),
    "ITO_thick": ("other_mixed_crystals_In2O3-SnO2_nk_Minenkov-glass.yml", "110 nm ITO film (Minenkov et al. 2024)"),
    "MAPbI3": ("other_perovskite_CH3NH3PbI3_nk_Phillips.yml", "MAPbI3 film (Phillips et al. 2015)"),
    "MAPbI3_Ball": ("other_perovskite_CH3NH3PbI3_nk_Ball.yml", "MAPbI3 film (Ball et al. 2015)"),
    "CsPbBr3": ("other_perovskite_CsPbBr3_nk_Brennan.yml", "CsPbBr3 crystal (Brennan et al. 2020)"),
    "MAPbBr3": ("other_perovskite_CH3NH3PbBr3_nk_McCleese.yml", "MAPbBr3 crystal (McCleese et al. 2016)"),
}

#: Drude ITO defaults (sputtered films; Chen et al., IEEE JQE): eps_inf, plasma and damping energies in eV.
ITO_DRUDE_DEFAULTS = {"eps_inf": 3.9, "plasma_eV": 1.15, "damping_eV": 0.10}


def _rii_material(name: str, filename: str, description: str) -> Material:
    data = read_rii(_DATA / filename)
    return Material(
        name=name,
        citation=f"{description}. {data.references} Data: refractiveindex.info ({filename}).",
        wavelength_min_nm=data.wavelength_min_um * 1000.0,
        wavelength_max_nm=data.wavelength_max_um * 1000.0,
        model="tabulated" if data._formula is None else f"formula {data._formula[0]}",
        _nk_um=data.nk,
    )


def _rakic_metal(name: str) -> Material:
    table = yaml.safe_load((_DATA / "rakic1998_metals.yml").read_text())[name]
    lo, hi = table["wavelength_range_um"]
    osc = [tuple(map(float, o)) for o in table["oscillators"]]
    return Material(
        name=name,
        citation=(
            f"{name}, Lorentz-Drude fit of A. D. Rakic et al., Appl. Opt. 37, 5271 (1998), "
            "parameters as in MEEP's materials library (meep/materials.py)."
        ),
        wavelength_min_nm=lo * 1000.0,
        wavelength_max_nm=hi * 1000.0,
        model="lorentz-drude",
        _nk_um=lambda wl_um: drude_lorentz_nk(wl_um, eps_inf=1.0, plasma_eV=table["plasma_eV"], oscillators=osc),
    )


def drude_ito(*, eps_inf: float = 3.9, plasma_eV: float = 1.15, damping_eV: float = 0.10) -> Material:
    """ITO as a Drude metal: eps = eps_inf - wp^2 / (w^2 + i g w); energies in eV. Valid 400-2000 nm."""
    for key, value in (("eps_inf", eps_inf), ("plasma_eV", plasma_eV), ("damping_eV", damping_eV)):
        if not value > 0:
            raise InputError(f"{value} must be > 0", field=key, allowed="> 0")
    return Material(
        name="ITO_Drude" if (eps_inf, plasma_eV, damping_eV) == tuple(ITO_DRUDE_DEFAULTS.values())
        else f"ITO_Drude(eps_inf={eps_inf:g},wp={plasma_eV:g}eV,g={damping_eV:g}eV)",
        citation=(
            "ITO Drude model for sputtered films (Chen et al., IEEE J. Quantum Electron.): "
            f"eps_inf={eps_inf:g}, plasma {plasma_eV:g} eV, damping {damping_eV:g} eV."
        ),
        wavelength_min_nm=400.0,
        wavelength_max_nm=2000.0,
        model="drude",
        _nk_um=lambda wl_um: drude_lorentz_nk(
            wl_um, eps_inf=eps_inf, plasma_eV=plasma_eV, oscillators=[(1.0, 0.0, damping_eV)]
        ),
    )


_FACTORIES: dict[str, Callable[[], Material]] = {
    **{name: (lambda n=name, f=f, d=d: _rii_material(n, f, d)) for name, (f, d) in _RII_FILES.items()},
    **{m: (lambda m=m: _rakic_metal(m)) for m in ("Ag", "Au", "Al")},
    "ITO_Drude": lambda: drude_ito(),
    "air": lambda: constant_material(n=1.0, k=0.0, name="air"),
}


def material_names() -> tuple[str, ...]:
    """All material names known to the PDK."""
    return tuple(_FACTORIES)


@lru_cache(maxsize=None)
def get_material(name: str) -> Material:
    """Material by PDK name; an unknown name raises InputError listing the known ones."""
    try:
        factory = _FACTORIES[name]
    except (KeyError, TypeError):
        raise InputError(f"unknown material {name!r}", field="material", allowed=", ".join(_FACTORIES)) from None
    return factory()


def resolve_material(spec: Any, *, field: str = "material") -> Material:
    """A PDK name, a ``{n, k}`` mapping, or a Material -> Material."""
    if isinstance(spec, Material):
        return spec
    if isinstance(spec, str):
        try:
            return get_material(spec)
        except InputError as err:
            raise InputError(err.problem, field=field, allowed=err.allowed) from None
    if isinstance(spec, dict) and set(spec) <= {"n", "k"} and "n" in spec:
        n, k = spec["n"], spec.get("k", 0.0)
        if not isinstance(n, (int, float)) or isinstance(n, bool) or not n > 0:
            raise InputError(f"n={n!r} must be a number > 0", field=f"{field}.n", allowed="> 0")
        if not isinstance(k, (int, float)) or isinstance(k, bool):
            raise InputError(f"k={k!r} must be a number", field=f"{field}.k", allowed="a real number (k > 0 absorbs)")
        return constant_material(n=float(n), k=float(k))
    if hasattr(spec, "n") and hasattr(spec, "k"):  # a ConstantIndex spec object
        return constant_material(n=float(spec.n), k=float(spec.k))
    raise InputError(
        f"{spec!r} is not a material", field=field, allowed=f"a PDK material name ({', '.join(_FACTORIES)}) or {{n, k}}"
    )
