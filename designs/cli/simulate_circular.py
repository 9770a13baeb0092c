"""``perocav simulate ring|disk|circular-dfb``: cylindrical (r, z, m) FDTD of the circular cells under a stack."""

from __future__ import annotations

import dataclasses
from typing import Optional

import typer

from perocav.designs.cli._common import check_wavelength, parse_overrides, print_json
from perocav.pdk.errors import InputError

M_MAX = 2000


def parse_m(*, m: Optional[list[int]], m_range: Optional[str], default: tuple[int, ...]) -> tuple[int, ...]:
    """``--m`` (repeatable) and/or ``--m-range A:B`` (inclusive) -> sorted unique azimuthal orders."""
    out = set(m or [])
    if m_range:
        a, sep, b = m_range.partition(":")
        try:
            lo, hi = int(a), int(b)
            if not sep or lo > hi:
                raise ValueError
        except ValueError:
            raise InputError(f"{m_range!r} is not A:B", field="--m-range", allowed="A:B with 0 <= A <= B") from None
        if hi - lo > 50:
            raise InputError(f"{m_range!r} spans {hi - lo + 1} orders", field="--m-range", allowed="at most 51 orders")
        out.update(range(lo, hi + 1))
    if not out:
        out = set(default)
    if not out:
        raise InputError("no azimuthal order given", field="--m", allowed="--m M (repeatable) or --m-range A:B")
    bad = [x for x in out if not 0 <= x <= M_MAX]
    if bad:
        raise InputError(f"{bad[0]}", field="--m", allowed=f"0..{M_MAX}")
    return tuple(sorted(out))


def _run(family: str, component, *, stack: str, thickness, m, m_range, default_m, wavelength_min_nm,
         wavelength_max_nm, resolution, ring_down_um, split_q, convergence_factor, as_json, force=False) -> None:
    from perocav.fdtd.circular import simulate_circular
    from perocav.pdk.stack_file import resolve_stack

    s = resolve_stack(stack, thickness_nm=parse_overrides(thickness, option="--thickness"))
    for v, opt in ((wavelength_min_nm, "--wavelength-min-nm"), (wavelength_max_nm, "--wavelength-max-nm")):
        check_wavelength(v, option=opt)
    peak = s.emission_wavelength_nm
    lo = wavelength_min_nm or (0.94 * peak if peak else None)
    hi = wavelength_max_nm or (1.06 * peak if peak else None)
    if lo is None or hi is None or not lo < hi:
        raise InputError(f"[{lo}, {hi}]", field="--wavelength-min-nm/--wavelength-max-nm",
                         allowed="min < max (nm); defaults: the stack's emission wavelength +- 6 %")
    from perocav.fdtd.meep.pixels import check_resolution, min_resolution_px_per_um

    if resolution is None:
        resolution = min_resolution_px_per_um(stack=s)
    if not 0 < resolution <= 2000:  # NaN fails too; beyond 2000 px/um MEEP's grid overflows or never ends
        raise InputError(f"{resolution}", field="--resolution", allowed="0 < px/um <= 2000")
    check_resolution(stack=s, resolution_px_per_um=resolution, force=force)  # 4 px across the thinnest level
    if not 0 < ring_down_um <= 1e5:
        raise InputError(f"{ring_down_um}", field="--ring-down-um", allowed="0 < um/c <= 1e5")
    if convergence_factor is not None and not (1 < convergence_factor and resolution * convergence_factor <= 2000):
        raise InputError(f"{convergence_factor}", field="--convergence-factor",
                         allowed=f"> 1, with resolution x factor <= 2000 px/um (<= {2000 / resolution:.3g})")
    if convergence_factor is not None and not convergence_factor > 1:
        raise InputError(f"{convergence_factor}", field="--convergence-factor", allowed="> 1 (or omit)")
    ms = parse_m(m=m, m_range=m_range, default=default_m)
    from perocav.designs.cli._console import progress_lines
    from perocav.fdtd.meep.quiet import quiet_meep

    title = f"MEEP FDTD (r, z) of the {family}, m = {', '.join(map(str, ms))}, {resolution:g} px/um"
    with progress_lines(title), quiet_meep():
        sim = simulate_circular(component=component, stack=s, family=family, m_values=ms, wavelength_min_nm=lo,
                                wavelength_max_nm=hi, resolution_px_per_um=resolution, ring_down_um=ring_down_um,
                                split_q=split_q, convergence_factor=convergence_factor)
    record = {
        "family": family, "stack": s.name, "cell": component.name, "m": list(ms),
        "wavelength_min_nm": lo, "wavelength_max_nm": hi, "gain_peak_nm": sim.gain_peak_nm,
        "modes": [dataclasses.asdict(x) for x in sim.modes],
        "nearest_gain_peak": [dataclasses.asdict(x) for x in sim.nearest_gain_peak],
        "band_edge": [dataclasses.asdict(x) for x in sim.band_edge],
        "converged": sim.converged, "resolution_px_per_um": sim.resolution_px_per_um,
        "wall_time_s": sim.wall_time_s, "status": {str(k): v for k, v in sim.status.items()},
    }
    if resolution < min_resolution_px_per_um(stack=s) - 1e-9:
        record["warnings"] = [f"forced: {resolution:g} px/um is below the {min_resolution_px_per_um(stack=s):g} px/um "
                              "pixel rule (4 px across the thinnest level)"]
    _show(record, sim, as_json)


def _show(record, sim, as_json: bool) -> None:
    if as_json:
        print_json(record)
        return
    family, stack = record["family"], record["stack"]
    typer.echo(f"{family} under {stack}: {len(sim.modes)} mode(s), resolution {sim.resolution_px_per_um:g} px/um, "
               f"{sim.wall_time_s:.1f} s, converged {sim.converged}")
    for x in sim.modes:
        typer.echo(f"  m={x.m:4d}  lambda={x.wavelength_nm:9.2f} nm  Q={x.q:10.1f}  Q_rad={x.q_rad:10.1f}  "
                   f"Q_abs={x.q_abs:10.1f}  Gamma={x.confinement:.3f}  converged={x.converged}")


def _common():
    return dict(
        stack=typer.Option("transparent_CsPbBr3", "--stack", help="Built-in stack name or stack YAML file."),
        thickness=typer.Option(None, "--thickness", help="Override a layer thickness: NAME=NM (repeatable)."),
        m=typer.Option(None, "--m", help="Azimuthal order (repeatable)."),
        m_range=typer.Option(None, "--m-range", help="Azimuthal orders A:B (inclusive)."),
        wavelength_min_nm=typer.Option(None, "--wavelength-min-nm", help="Band start [nm] (default peak - 6 %)."),
        wavelength_max_nm=typer.Option(None, "--wavelength-max-nm", help="Band end [nm] (default peak + 6 %)."),
        resolution=typer.Option(None, "--resolution", help="MEEP resolution [px/um]; default 4 px across the "
                                "thinnest layer (the pixel rule)."),
        force=typer.Option(False, "--force", help="Allow fewer than 4 px across the thinnest layer."),
        ring_down_um=typer.Option(150.0, "--ring-down-um", help="Ring-down after the source [um/c]."),
        split_q=typer.Option(True, "--split-q/--no-split-q", help="Re-run with lossless contacts: Q_rad, Q_abs."),
        convergence_factor=typer.Option(None, "--convergence-factor", help="Re-run at this x resolution to check."),
        as_json=typer.Option(False, "--json", help="Print one JSON object."),
    )


def register(simulate_app: typer.Typer) -> None:
    c = _common()

    @simulate_app.command("ring")
    def ring(outer_radius_um: float = typer.Option(5.0, "--outer-radius-um"),
             width_nm: float = typer.Option(500, "--width-nm"),
             stack: str = c["stack"], thickness: Optional[list[str]] = c["thickness"],
             m: Optional[list[int]] = c["m"], m_range: Optional[str] = c["m_range"],
             wavelength_min_nm: Optional[float] = c["wavelength_min_nm"],
             wavelength_max_nm: Optional[float] = c["wavelength_max_nm"], resolution: Optional[float] = c["resolution"],
             ring_down_um: float = c["ring_down_um"], split_q: bool = c["split_q"],
             convergence_factor: Optional[float] = c["convergence_factor"], as_json: bool = c["as_json"],
             force: bool = c["force"]) -> None:
        """Whispering-gallery ring (ring_resonator cell) in cylindrical coordinates."""
        from perocav.layout.ring_resonator import ring_resonator
        from perocav.pdk import activate

        activate()
        _run("ring", ring_resonator(outer_radius_um=outer_radius_um, width_nm=width_nm), stack=stack,
             thickness=thickness, m=m, m_range=m_range, default_m=(), wavelength_min_nm=wavelength_min_nm,
             wavelength_max_nm=wavelength_max_nm, resolution=resolution, ring_down_um=ring_down_um,
             split_q=split_q, convergence_factor=convergence_factor, as_json=as_json, force=force)

    @simulate_app.command("disk")
    def disk(radius_um: float = typer.Option(5.0, "--radius-um"),
             stack: str = c["stack"], thickness: Optional[list[str]] = c["thickness"],
             m: Optional[list[int]] = c["m"], m_range: Optional[str] = c["m_range"],
             wavelength_min_nm: Optional[float] = c["wavelength_min_nm"],
             wavelength_max_nm: Optional[float] = c["wavelength_max_nm"], resolution: Optional[float] = c["resolution"],
             ring_down_um: float = c["ring_down_um"], split_q: bool = c["split_q"],
             convergence_factor: Optional[float] = c["convergence_factor"], as_json: bool = c["as_json"],
             force: bool = c["force"]) -> None:
        """Whispering-gallery disk (disk_resonator cell) in cylindrical coordinates."""
        from perocav.layout.disk_resonator import disk_resonator
        from perocav.pdk import activate

        activate()
        _run("disk", disk_resonator(radius_um=radius_um), stack=stack, thickness=thickness, m=m, m_range=m_range,
             default_m=(), wavelength_min_nm=wavelength_min_nm, wavelength_max_nm=wavelength_max_nm,
             resolution=resolution, ring_down_um=ring_down_um, split_q=split_q,
             convergence_factor=convergence_factor, as_json=as_json, force=force)

    @simulate_app.command("circular-dfb")
    def circular_dfb(period_nm: float = typer.Option(250, "--period-nm"),
                     duty_cycle: float = typer.Option(0.5, "--duty-cycle"),
                     n_rings: int = typer.Option(20, "--n-rings"),
                     center_radius_nm: float = typer.Option(500, "--center-radius-nm"),
                     disk_radius_nm: float = typer.Option(0, "--disk-radius-nm"),
                     stack: str = c["stack"], thickness: Optional[list[str]] = c["thickness"],
                     m: Optional[list[int]] = c["m"], m_range: Optional[str] = c["m_range"],
                     wavelength_min_nm: Optional[float] = c["wavelength_min_nm"],
                     wavelength_max_nm: Optional[float] = c["wavelength_max_nm"], resolution: Optional[float] = c["resolution"],
                     ring_down_um: float = c["ring_down_um"], split_q: bool = c["split_q"],
                     convergence_factor: Optional[float] = c["convergence_factor"],
                     as_json: bool = c["as_json"], force: bool = c["force"]) -> None:
        """Circular ("bullseye") DFB grating (circular_grating cell): band-edge modes at m = 0, 1 by default."""
        from perocav.layout.circular_grating import circular_grating
        from perocav.pdk import activate

        activate()
        comp = circular_grating(period_nm=period_nm, duty_cycle=duty_cycle, n_rings=n_rings,
                                center_radius_nm=center_radius_nm, disk_radius_nm=disk_radius_nm)
        _run("circular-dfb", comp, stack=stack, thickness=thickness, m=m, m_range=m_range, default_m=(0, 1),
             wavelength_min_nm=wavelength_min_nm, wavelength_max_nm=wavelength_max_nm, resolution=resolution,
             ring_down_um=ring_down_um, split_q=split_q, convergence_factor=convergence_factor, as_json=as_json, force=force)
