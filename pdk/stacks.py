"""The PDK's layer stacks. Thicknesses (nm) live only here; override per call with ``get_stack(..., thickness_nm=)``."""

from __future__ import annotations

from typing import Callable

from perocav.pdk.errors import InputError
from perocav.pdk.stack import Stack, StackLayer

#: gain material -> emission wavelength (nm) used as the default design wavelength
PEROVSKITES: dict[str, float] = {"MAPbI3": 780.0, "CsPbBr3": 525.0}

def _grating(*, thickness_nm: float = 50.0) -> StackLayer:
    # Si3N4 teeth etched into and planarized with SiO2 (embedded grating)
    return StackLayer(
        name="grating", material="Si3N4", fill_material="SiO2", fill_fraction=0.5,
        thickness_nm=thickness_nm, role="grating", layer="GRATING",
    )


def _perovskite(gain: str, thickness_nm: float = 150.0) -> StackLayer:
    return StackLayer(name="perovskite", material=gain, thickness_nm=thickness_nm, role="gain", layer="PEROVSKITE")


def transparent(gain: str) -> Stack:
    """Reference device: SiO2 / embedded grating / 20 nm ITO / [HTL] / perovskite / [ETL] / 20 nm ITO / air."""
    return Stack(
        name=f"transparent_{gain}",
        description="transparent PeLED: thin (20 nm) ITO contacts over a substrate-embedded grating",
        substrate="SiO2",
        cover="air",
        layers=(
            _grating(),
            StackLayer(name="ito_bottom", material="ITO", thickness_nm=20, role="contact", layer="ITO_BOTTOM"),
            StackLayer(name="htl", material="PEDOT:PSS", thickness_nm=0, role="transport"),
            _perovskite(gain),
            StackLayer(name="etl", material="ZnO", thickness_nm=0, role="transport"),
            StackLayer(name="ito_top", material="ITO", thickness_nm=20, role="contact", layer="ITO_TOP"),
        ),
        emission_wavelength_nm=PEROVSKITES[gain],
    )


def conventional(gain: str) -> Stack:
    """Conventional PeLED: glass / 150 nm ITO anode / 40 nm PEDOT:PSS / perovskite / 40 nm ZnO / 100 nm Ag / air."""
    return Stack(
        name=f"conventional_{gain}",
        description="conventional PeLED: thick ITO anode and an opaque Ag cathode",
        substrate="SiO2",
        cover="air",
        layers=(
            StackLayer(name="ito_anode", material="ITO_thick", thickness_nm=150, role="contact", layer="ITO_BOTTOM"),
            StackLayer(name="htl", material="PEDOT:PSS", thickness_nm=40, role="transport"),
            _perovskite(gain),
            StackLayer(name="etl", material="ZnO", thickness_nm=40, role="transport"),
            StackLayer(name="cathode", material="Ag", thickness_nm=100, role="metal", layer="METAL"),
        ),
        emission_wavelength_nm=PEROVSKITES[gain],
    )


def electrode_free(gain: str) -> Stack:
    """Electrode-free waveguide: SiO2 / embedded grating / perovskite / air."""
    return Stack(
        name=f"electrode_free_{gain}",
        description="perovskite on the embedded grating, no contacts",
        substrate="SiO2",
        cover="air",
        layers=(_grating(), _perovskite(gain)),
        emission_wavelength_nm=PEROVSKITES[gain],
    )


def grating_above(gain: str) -> Stack:
    """Grating on top: SiO2 / perovskite / 20 nm ITO interlayer / 50 nm TiO2 grating in air / air."""
    return Stack(
        name=f"grating_above_{gain}",
        description="grating above the stack over a 20 nm ITO interlayer (Goldberg et al., ACS Photonics 2023)",
        substrate="SiO2",
        cover="air",
        layers=(
            _perovskite(gain),
            StackLayer(name="ito_interlayer", material="ITO", thickness_nm=20, role="interlayer", layer="ITO_TOP"),
            StackLayer(
                name="grating", material="TiO2", fill_material="air", fill_fraction=0.5,
                thickness_nm=50, role="grating", layer="GRATING",
            ),
        ),
        emission_wavelength_nm=PEROVSKITES[gain],
    )


STACK_KINDS: dict[str, Callable[[str], Stack]] = {
    "transparent": transparent,
    "conventional": conventional,
    "electrode_free": electrode_free,
    "grating_above": grating_above,
}


def stack_names() -> tuple[str, ...]:
    """Every built-in stack name: ``KIND`` (MAPbI3) and ``KIND_GAIN`` for each perovskite."""
    return tuple(STACK_KINDS) + tuple(f"{k}_{g}" for k in STACK_KINDS for g in PEROVSKITES)


def get_stack(name: str, *, thickness_nm: dict[str, float] | None = None) -> Stack:
    """Built-in stack by name (``transparent``, ``transparent_CsPbBr3``, ...), thicknesses overridable (nm)."""
    kind, gain = name, "MAPbI3"
    for g in PEROVSKITES:
        if name.endswith(f"_{g}"):
            kind, gain = name[: -len(g) - 1], g
    if kind not in STACK_KINDS:
        raise InputError(f"unknown stack {name!r}", field="stack", allowed=", ".join(stack_names()) + ", or a YAML file")
    stack = STACK_KINDS[kind](gain)
    return stack.with_thicknesses(thickness_nm) if thickness_nm else stack
