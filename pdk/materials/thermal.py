"""Thermal material data: conductivity k [W/(m K)], density rho [kg/m^3], specific heat cp [J/(kg K)] near 300 K,
each number with its own source, and the temperature range [K] in which the values are meant to hold.

The transient heat model (perocav.fdtd.models.thermal.thermal) treats these as temperature-independent (a linear model:
temperature rise scales with dissipated power). Values for thin films differ from bulk; the notes say where.
"""

from __future__ import annotations

from dataclasses import dataclass

from perocav.pdk.errors import InputError

INCROPERA = "Incropera, DeWitt, Bergman, Lavine, Fundamentals of Heat and Mass Transfer, 6th ed. (Wiley 2007)"


@dataclass(frozen=True)
class ThermalMaterial:
    """Constant thermal properties of one material, with one citation per number and a valid range [K]."""

    name: str
    conductivity_w_per_m_k: float
    density_kg_per_m3: float
    specific_heat_j_per_kg_k: float
    conductivity_source: str
    density_source: str
    specific_heat_source: str
    temperature_min_k: float
    temperature_max_k: float
    note: str = ""

    @property
    def volumetric_heat_capacity_j_per_m3_k(self) -> float:
        return self.density_kg_per_m3 * self.specific_heat_j_per_kg_k

    @property
    def diffusivity_m2_per_s(self) -> float:
        return self.conductivity_w_per_m_k / self.volumetric_heat_capacity_j_per_m3_k

    @property
    def effusivity_w_s05_per_m2_k(self) -> float:
        """sqrt(k rho cp): sets the surface temperature of a half-space under a heat flux."""
        return (self.conductivity_w_per_m_k * self.volumetric_heat_capacity_j_per_m3_k) ** 0.5


def _m(name, k, rho, cp, ks, rs, cs, tmin, tmax, note=""):
    return ThermalMaterial(name, k, rho, cp, ks, rs, cs, tmin, tmax, note)


_TABLE: dict[str, ThermalMaterial] = {m.name: m for m in (
    _m("MAPbI3", 0.50, 4149.0, 300.0,
       "Pisoni et al., J. Phys. Chem. Lett. 5, 2488 (2014): 0.5 W/(m K) at room temperature (single crystal)",
       "from the tetragonal cell of Poglitsch & Weber, J. Chem. Phys. 87, 6373 (1987): a 8.855 A, c 12.659 A, Z 4",
       "Onoda-Yamamuro, Matsuo, Suga, J. Phys. Chem. Solids 51, 1383 (1990): ~0.30 J/(g K) near 300 K",
       162.0, 327.0, "tetragonal phase (162-327 K); polycrystalline films can be lower in k (~0.3 W/(m K))"),
    _m("CsPbBr3", 0.42, 4835.0, 215.0,
       "Lee et al., PNAS 114, 8693 (2017): 0.42 W/(m K) (nanowires, room temperature)",
       "from the orthorhombic cell of Stoumpos et al., Cryst. Growth Des. 13, 2722 (2013): 8.207 x 11.757 x 8.255 A, Z 4",
       "Dulong-Petit limit 3R per atom (5 atoms, 579.8 g/mol): 215 J/(kg K)",
       100.0, 361.0, "orthorhombic phase below ~361 K"),
    _m("ITO", 4.0, 7140.0, 331.0,
       "Yagi et al., J. Vac. Sci. Technol. A 23, 1180 (2005): sputtered ITO films 3.95-5.86 W/(m K)",
       "Indium tin oxide, In2O3 bixbyite density 7.14 g/cm^3 (CRC Handbook of Chemistry and Physics)",
       "In2O3 Cp 92 J/(mol K) at 298 K (NIST-JANAF, Chase 1998) / 277.6 g/mol",
       200.0, 600.0, "thin-film value; amorphous films can be ~2 W/(m K)"),
    _m("SiO2", 1.38, 2220.0, 745.0,
       f"{INCROPERA}, Table A.3, fused silica at 300 K", f"{INCROPERA}, Table A.3", f"{INCROPERA}, Table A.3",
       200.0, 1200.0, "fused silica / glass substrate; used for thermal SiO2 films too"),
    _m("Si3N4", 16.0, 2400.0, 691.0,
       f"{INCROPERA}, Table A.2, silicon nitride at 300 K", f"{INCROPERA}, Table A.2", f"{INCROPERA}, Table A.2",
       200.0, 1500.0, "bulk value; PECVD/LPCVD films are ~2 W/(m K) (upper bound for the grating teeth)"),
    _m("TiO2", 8.4, 4157.0, 710.0,
       f"{INCROPERA}, Table A.2, polycrystalline titanium dioxide", f"{INCROPERA}, Table A.2", f"{INCROPERA}, Table A.2",
       200.0, 1200.0, "bulk value; ALD films ~1 W/(m K)"),
    _m("Al2O3", 46.0, 3970.0, 765.0,
       f"{INCROPERA}, Table A.2, sapphire at 300 K", f"{INCROPERA}, Table A.2", f"{INCROPERA}, Table A.2",
       200.0, 1500.0, "bulk sapphire; ALD films ~1.5 W/(m K)"),
    _m("ZnO", 60.0, 5606.0, 494.0,
       "Ozgur et al., J. Appl. Phys. 98, 041301 (2005), Table I: 0.6-1.16 W/(cm K)",
       "Ozgur et al., J. Appl. Phys. 98, 041301 (2005), Table I",
       "Ozgur et al., J. Appl. Phys. 98, 041301 (2005), Table I",
       200.0, 600.0, "bulk single crystal; nanoparticle ETL films are far lower"),
    _m("PEDOT:PSS", 0.30, 1000.0, 1400.0,
       "Liu et al., Macromolecules 48, 585 (2015): through-plane ~0.3 W/(m K)",
       "Clevios PH1000 data sheet (Heraeus): solid density ~1.0 g/cm^3",
       "typical amorphous polymer, Wunderlich, Thermal Analysis of Polymeric Materials (Springer 2005): ~1.4 J/(g K)",
       200.0, 400.0),
    _m("Ag", 429.0, 10500.0, 235.0,
       f"{INCROPERA}, Table A.1, pure silver at 300 K", f"{INCROPERA}, Table A.1", f"{INCROPERA}, Table A.1",
       100.0, 1200.0, "bulk; thin films ~50-70 % of bulk"),
    _m("Au", 317.0, 19300.0, 129.0,
       f"{INCROPERA}, Table A.1, pure gold at 300 K", f"{INCROPERA}, Table A.1", f"{INCROPERA}, Table A.1",
       100.0, 1200.0, "bulk"),
    _m("Al", 237.0, 2702.0, 903.0,
       f"{INCROPERA}, Table A.1, pure aluminium at 300 K", f"{INCROPERA}, Table A.1", f"{INCROPERA}, Table A.1",
       100.0, 800.0, "bulk"),
    _m("air", 0.0263, 1.1614, 1007.0,
       f"{INCROPERA}, Table A.4, air at 300 K, 1 atm", f"{INCROPERA}, Table A.4", f"{INCROPERA}, Table A.4",
       100.0, 1000.0, "conduction only (no convection: irrelevant on ns-ms time scales)"),
)}

#: PDK optical material names that share another entry's thermal data
_ALIASES: dict[str, str] = {
    "ITO_Konig": "ITO", "ITO_thick": "ITO", "ITO_Drude": "ITO", "MAPbI3_Ball": "MAPbI3",
}


def thermal_material_names() -> tuple[str, ...]:
    """Material names with thermal data (aliases included)."""
    return tuple(_TABLE) + tuple(_ALIASES)


def get_thermal_material(name: object, *, field: str = "material") -> ThermalMaterial:
    """Thermal data of a PDK material name; a name without thermal data raises InputError naming ``field``."""
    key = _ALIASES.get(name, name) if isinstance(name, str) else None
    if key not in _TABLE:
        shown = name if isinstance(name, str) else f"{name!r} (a constant-index material)"
        raise InputError(f"no thermal data for material {shown}", field=field,
                         allowed=", ".join(thermal_material_names()))
    return _TABLE[key]


def patterned_level(*, teeth: ThermalMaterial, fill: ThermalMaterial, teeth_fraction: float) -> ThermalMaterial:
    """A grating level as one material: k in parallel (heat flows along the teeth, an upper bound) and
    the volume-averaged heat capacity (the density carries it; cp is set to 1 J/(kg K))."""
    f = teeth_fraction
    k = f * teeth.conductivity_w_per_m_k + (1 - f) * fill.conductivity_w_per_m_k
    c = f * teeth.volumetric_heat_capacity_j_per_m3_k + (1 - f) * fill.volumetric_heat_capacity_j_per_m3_k
    src = f"volume average of {teeth.name} ({f:g}) and {fill.name}"
    return ThermalMaterial(f"{teeth.name}|{fill.name}", k, c, 1.0, src, src, src,
                           max(teeth.temperature_min_k, fill.temperature_min_k),
                           min(teeth.temperature_max_k, fill.temperature_max_k), "patterned level")
