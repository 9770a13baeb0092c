"""``perocav simulate ring|disk|circular-dfb``: cylindrical (r, z, m) FDTD of the circular cells under a stack."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Optional

import typer

from perocav.designs.cli._common import check_wavelength, parse_overrides, print_json
from perocav.designs.cli._console import progress_lines
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


@dataclass(frozen=True)
class CircularOptions:
    """Options every ``perocav simulate ring|disk|circular-dfb`` takes, as given (None: the default); see
    ``_common`` for their help texts and units."""

    stack: str
    thickness: Optional[list[str]]
    m: Optional[list[int]]
    m_range: Optional[str]
    wavelength_min_nm: Optional[float]
    wavelength_max_nm: Optional[float]
    resolution: Optional[float]
    ring_down_um: float
    split_q: bool
    convergence_factor: Optional[float]
    as_json: bool
    force: bool


def _options(arguments: dict) -> CircularOptions:
    """The shared options out of a command's arguments (``locals()`` on entry: the names of ``_common``)."""
    return CircularOptions(**{f.name: arguments[f.name] for f in dataclasses.fields(CircularOptions)})


def _run(family: str, component, opts: CircularOptions, *, default_m: tuple[int, ...]) -> None:
    """Check the options, run the cylindrical FDTD of ``component`` quietly, print the result."""
    from perocav.fdtd.circular import simulate_circular
    from perocav.fdtd.circular_settings import CIRCULAR_FDTD, CircularSettings
    from perocav.pdk.stack_file import resolve_stack

    s = resolve_stack(opts.stack, thickness_nm=parse_overrides(opts.thickness, option="--thickness"))
    lo, hi = _band_nm(s, opts)
    resolution = _checked_resolution(s, opts)
    ms = parse_m(m=opts.m, m_range=opts.m_range, default=default_m)
    factor = opts.convergence_factor
    from perocav.fdtd.run_env import quiet_meep

    title = f"MEEP FDTD (r, z) of the {family}, m = {', '.join(map(str, ms))}, {resolution:g} px/um"
    with progress_lines(title), quiet_meep():
        sim = simulate_circular(component=component, stack=s, family=family, wavelength_min_nm=lo, wavelength_max_nm=hi,
                                settings=dataclasses.replace(CIRCULAR_FDTD, resolution_px_per_um=resolution,
                                                             ring_down_um=opts.ring_down_um, converge=factor is not None),
                                circular=CircularSettings(m_values=ms, split_q=opts.split_q,
                                                          convergence_factor=factor or 1.5))
    record = _record(sim, family=family, stack=s, component=component, ms=ms, band_nm=(lo, hi),
                     resolution_px_per_um=resolution)
    _show(record, sim, opts.as_json)


def _band_nm(s, opts: CircularOptions) -> tuple[float, float]:
    """The wavelength band [nm]: the options, or the stack's emission wavelength +- 6 %."""
    for v, opt in ((opts.wavelength_min_nm, "--wavelength-min-nm"), (opts.wavelength_max_nm, "--wavelength-max-nm")):
        check_wavelength(v, option=opt)
    peak = s.emission_wavelength_nm
    lo = opts.wavelength_min_nm or (0.94 * peak if peak else None)
    hi = opts.wavelength_max_nm or (1.06 * peak if peak else None)
    if lo is None or hi is None or not lo < hi:
        raise InputError(f"[{lo}, {hi}]", field="--wavelength-min-nm/--wavelength-max-nm",
                         allowed="min < max (nm); defaults: the stack's emission wavelength +- 6 %")
    return lo, hi


def _checked_resolution(s, opts: CircularOptions) -> float:
    """The resolution [px/um] (default: the pixel rule's), checked with the ring-down and convergence options."""
    from perocav.fdtd.run_env import check_resolution, min_resolution_px_per_um

    resolution = opts.resolution
    if resolution is None:
        resolution = min_resolution_px_per_um(stack=s)
    if not 0 < resolution <= 2000:  # NaN fails too; beyond 2000 px/um MEEP's grid overflows or never ends
        raise InputError(f"{resolution}", field="--resolution", allowed="0 < px/um <= 2000")
    check_resolution(stack=s, resolution_px_per_um=resolution, force=opts.force)  # 4 px across the thinnest level
    if not 0 < opts.ring_down_um <= 1e5:
        raise InputError(f"{opts.ring_down_um}", field="--ring-down-um", allowed="0 < um/c <= 1e5")
    factor = opts.convergence_factor
    if factor is not None and not (1 < factor and resolution * factor <= 2000):  # NaN fails too
        raise InputError(f"{factor}", field="--convergence-factor",
                         allowed=f"> 1, with resolution x factor <= 2000 px/um (<= {2000 / resolution:.3g})")
    return resolution


def _record(sim, *, family: str, stack, component, ms: tuple[int, ...], band_nm: tuple[float, float],
            resolution_px_per_um: float) -> dict:
    """The JSON object of the command: inputs, modes, convergence and a warning when the first resolution
    (``resolution_px_per_um``) was forced below the pixel rule."""
    from perocav.fdtd.run_env import min_resolution_px_per_um

    record = {
        "family": family, "stack": stack.name, "cell": component.name, "m": list(ms),
        "wavelength_min_nm": band_nm[0], "wavelength_max_nm": band_nm[1], "gain_peak_nm": sim.gain_peak_nm,
        "modes": [dataclasses.asdict(x) for x in sim.modes],
        "nearest_gain_peak": [dataclasses.asdict(x) for x in sim.nearest_gain_peak],
        "band_edge": [dataclasses.asdict(x) for x in sim.band_edge],
        "converged": sim.converged, "resolution_px_per_um": sim.resolution_px_per_um,
        "wall_time_s": sim.wall_time_s, "status": {str(k): v for k, v in sim.status.items()},
    }
    rule = min_resolution_px_per_um(stack=stack)
    if resolution_px_per_um < rule - 1e-9:
        record["warnings"] = [f"forced: {resolution_px_per_um:g} px/um is below the {rule:g} px/um "
                              "pixel rule (4 px across the thinnest level)"]
    return record


def _show(record, sim, as_json: bool) -> None:
    if as_json:
        print_json(record)
        return
    family, stack = record["family"], record["stack"]
    typer.echo(f"{family} under {stack}: {len(sim.modes)} mode(s), resolution {sim.resolution_px_per_um:g} px/um, "
               f"{sim.wall_time_s:.1f} s, converged {sim.converged}")
    for x in sim.modes:
        typer.echo(f"  m={x.m:4d}  lambda={x.wavelength_nm:9.2f} nm  Q={x.q:10.1f}  Q_rad={x.q_radiation:10.1f}  "
                   f"Q_abs={x.q_absorption:10.1f}  Gamma={x.confinement:.3f}  converged={x.converged}")


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


_C = _common()


def ring(outer_radius_um: float = typer.Option(5.0, "--outer-radius-um"),
         width_nm: float = typer.Option(500, "--width-nm"),
         stack: str = _C["stack"], thickness: Optional[list[str]] = _C["thickness"],
         m: Optional[list[int]] = _C["m"], m_range: Optional[str] = _C["m_range"],
         wavelength_min_nm: Optional[float] = _C["wavelength_min_nm"],
         wavelength_max_nm: Optional[float] = _C["wavelength_max_nm"], resolution: Optional[float] = _C["resolution"],
         ring_down_um: float = _C["ring_down_um"], split_q: bool = _C["split_q"],
         convergence_factor: Optional[float] = _C["convergence_factor"], as_json: bool = _C["as_json"],
         force: bool = _C["force"]) -> None:
    """Whispering-gallery ring (ring_resonator cell) in cylindrical coordinates."""
    opts = _options(locals())
    from perocav.layout.ring_resonator import ring_resonator
    from perocav.pdk import activate

    activate()
    _run("ring", ring_resonator(outer_radius_um=outer_radius_um, width_nm=width_nm), opts, default_m=())


def disk(radius_um: float = typer.Option(5.0, "--radius-um"),
         stack: str = _C["stack"], thickness: Optional[list[str]] = _C["thickness"],
         m: Optional[list[int]] = _C["m"], m_range: Optional[str] = _C["m_range"],
         wavelength_min_nm: Optional[float] = _C["wavelength_min_nm"],
         wavelength_max_nm: Optional[float] = _C["wavelength_max_nm"], resolution: Optional[float] = _C["resolution"],
         ring_down_um: float = _C["ring_down_um"], split_q: bool = _C["split_q"],
         convergence_factor: Optional[float] = _C["convergence_factor"], as_json: bool = _C["as_json"],
         force: bool = _C["force"]) -> None:
    """Whispering-gallery disk (disk_resonator cell) in cylindrical coordinates."""
    opts = _options(locals())
    from perocav.layout.disk_resonator import disk_resonator
    from perocav.pdk import activate

    activate()
    _run("disk", disk_resonator(radius_um=radius_um), opts, default_m=())


def circular_dfb(period_nm: float = typer.Option(250, "--period-nm"),
                 duty_cycle: float = typer.Option(0.5, "--duty-cycle"),
                 n_rings: int = typer.Option(20, "--n-rings"),
                 center_radius_nm: float = typer.Option(500, "--center-radius-nm"),
                 disk_radius_nm: float = typer.Option(0, "--disk-radius-nm"),
                 stack: str = _C["stack"], thickness: Optional[list[str]] = _C["thickness"],
                 m: Optional[list[int]] = _C["m"], m_range: Optional[str] = _C["m_range"],
                 wavelength_min_nm: Optional[float] = _C["wavelength_min_nm"],
                 wavelength_max_nm: Optional[float] = _C["wavelength_max_nm"],
                 resolution: Optional[float] = _C["resolution"],
                 ring_down_um: float = _C["ring_down_um"], split_q: bool = _C["split_q"],
                 convergence_factor: Optional[float] = _C["convergence_factor"],
                 as_json: bool = _C["as_json"], force: bool = _C["force"]) -> None:
    """Circular ("bullseye") DFB grating (circular_grating cell): band-edge modes at m = 0, 1 by default."""
    opts = _options(locals())
    from perocav.layout.circular_grating import circular_grating
    from perocav.pdk import activate

    activate()
    comp = circular_grating(period_nm=period_nm, duty_cycle=duty_cycle, n_rings=n_rings,
                            center_radius_nm=center_radius_nm, disk_radius_nm=disk_radius_nm)
    _run("circular-dfb", comp, opts, default_m=(0, 1))


def register(simulate_app: typer.Typer) -> None:
    simulate_app.command("ring")(ring)
    simulate_app.command("disk")(disk)
    simulate_app.command("circular-dfb")(circular_dfb)
