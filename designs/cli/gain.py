"""``perocav gain MATERIAL``: the perovskite's material gain spectrum g(lambda) at one carrier density and
temperature (negative: absorption), its quasi-Fermi-level splitting and its peak (``fdtd.models.spectral_gain``)."""

from __future__ import annotations

import typer

from perocav.designs.cli._common import print_json
from perocav.pdk.errors import InputError

#: densities the command takes [cm^-3] (0 is the unexcited film: pass a small N for it; above: no film survives)
DENSITY_RANGE_PER_CM3 = (1e12, 1e20)


def gain(
    material: str = typer.Argument(..., help="A PDK perovskite: MAPbI3, MAPbI3_Ball or CsPbBr3."),
    density_per_cm3: float = typer.Option(1e18, "--density-per-cm3", help="Carrier density N (electrons = holes) [cm^-3]."),
    temperature_k: float = typer.Option(300.0, "--temperature-k", help="Film temperature [K]."),
    loss_per_cm: float = typer.Option(0.0, "--loss-per-cm", help="Report the band where g exceeds this [1/cm]."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Material gain spectrum g(lambda, N, T) [1/cm] of a perovskite (negative = absorption), Delta_mu and peak."""
    import math

    from perocav.fdtd.models.spectral_gain.params import ALIASES, band_edge
    from perocav.fdtd.models.spectral_gain.spectrum import TEMPERATURE_RANGE_K, gain_band_nm, gain_spectrum

    edge = band_edge(material)
    if edge is None:
        raise InputError(f"{material!r} has no gain spectrum", field="MATERIAL", allowed=", ".join(ALIASES))
    lo, hi = DENSITY_RANGE_PER_CM3
    if not (math.isfinite(density_per_cm3) and lo <= density_per_cm3 <= hi):
        raise InputError(f"density {density_per_cm3:g} cm^-3 is out of range", field="--density-per-cm3",
                         allowed=f"{lo:g} to {hi:g} cm^-3")
    t_lo, t_hi = TEMPERATURE_RANGE_K
    if not (math.isfinite(temperature_k) and t_lo <= temperature_k <= t_hi):
        raise InputError(f"temperature {temperature_k:g} K is out of range", field="--temperature-k",
                         allowed=f"{t_lo:g} to {t_hi:g} K")
    if not (math.isfinite(loss_per_cm) and 0 <= loss_per_cm <= 1e5):
        raise InputError(f"loss {loss_per_cm:g} 1/cm is out of range", field="--loss-per-cm", allowed="0 to 1e5 1/cm")
    from perocav.fdtd.models.spectral_gain.window import gain_window_nm

    s = gain_spectrum(edge=edge, density_per_cm3=density_per_cm3, temperature_k=temperature_k)
    band = gain_band_nm(spectrum=s, loss_per_cm=loss_per_cm)
    window = gain_window_nm(perovskite=material, temperature_k=temperature_k)  # at the density ceiling
    if as_json:
        print_json({"material": material, "density_per_cm3": s.density_per_cm3, "temperature_k": s.temperature_k,
                    "wavelength_nm": list(s.wavelength_nm), "gain_per_cm": list(s.gain_per_cm),
                    "delta_mu_ev": s.delta_mu_ev, "gap_ev": edge.gap_ev, "peak_wavelength_nm": s.peak_wavelength_nm,
                    "peak_gain_per_cm": s.peak_gain_per_cm, "loss_per_cm": loss_per_cm,
                    "gain_band_nm": list(band) if band else None, "gain_window_nm": list(window.window_nm),
                    "gain_window_reason": window.reason})
        return
    typer.echo(f"{material} at N = {s.density_per_cm3:.3g} cm^-3, T = {s.temperature_k:g} K: "
               f"Delta_mu = {s.delta_mu_ev:.4f} eV (gap {edge.gap_ev:.3f} eV)")
    typer.echo(f"gain peak: {s.peak_gain_per_cm:.0f} 1/cm at {s.peak_wavelength_nm:.2f} nm")
    typer.echo(f"g > {loss_per_cm:g} 1/cm: " + (f"{band[0]:.2f}-{band[1]:.2f} nm" if band else "nowhere"))
    typer.echo(window.reason)
    typer.echo(f"{'wavelength [nm]':>16} {'g [1/cm]':>12}")
    for wl, g in zip(s.wavelength_nm[::20], s.gain_per_cm[::20]):
        typer.echo(f"{wl:16.2f} {g:12.1f}")


def register(app: typer.Typer) -> None:
    app.command("gain")(gain)
