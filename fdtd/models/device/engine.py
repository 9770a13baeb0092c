"""Lasing modes of one device made of sections (physics.md section 8, ``sections``): the zeros of T22 of the
product of the sections' transfer matrices in (g_p, delta), R = 0 at the left end, S = 0 at the right, no facet
reflections. 2D real Newton (``newton``) from every point of a seed grid in (y, x) (the grid of
``dfb.cmt_dfb._search``), the window of ``window``; modes sorted by threshold (ties by detuning)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np

from perocav.fdtd.models.device.newton import newton_2d
from perocav.fdtd.models.device.sections import DeviceSection, check_device
from perocav.fdtd.models.device.transfer import SectionArrays
from perocav.fdtd.models.device.window import Y_WINDOWS, Scales, accepted, device_scales

#: two roots closer than this in (y, x) are one
SAME_ROOT = 1e-7


@dataclass(frozen=True)
class DeviceMode:
    """A lasing mode at threshold: the modal intensity gain of the pumped sections g_p [1/cm] (before their offsets),
    the detuning delta [1/cm] common to all sections, and every section's intensity gain at threshold [1/cm]."""

    threshold_modal_gain_per_cm: float
    detuning_per_cm: float
    section_gain_per_cm: tuple[float, ...]


@dataclass(frozen=True)
class DeviceModes:
    """The lowest modes by threshold; the gain margin (2nd minus 1st threshold [1/cm], inf with one mode); total and
    pumped length [um]."""

    modes: tuple[DeviceMode, ...]
    gain_margin_per_cm: float
    length_um: float
    pumped_length_um: float

    def to_dict(self) -> dict:
        d = asdict(self)
        d["gain_margin_per_cm"] = None if not np.isfinite(self.gain_margin_per_cm) else self.gain_margin_per_cm
        return d


def device_arrays(sections: Sequence[DeviceSection], *, n_modes: int,
                  delta_window_per_cm: float | None) -> tuple[SectionArrays, Scales]:
    """Coefficients and search scales of one device (N = 1)."""
    names = ("length_um", "kappa_per_cm", "radiation_per_cm", "radiation_reactive_per_cm", "pumped", "gain_per_cm",
             "detuning_offset_per_cm")
    cols = {n: np.array([[float(getattr(s, n)) for s in sections]]) for n in names}
    return SectionArrays.from_sections(sections), device_scales(**cols, n_modes=n_modes,
                                                                delta_window_per_cm=delta_window_per_cm)


def _roots(arr: SectionArrays, sc: Scales, y_max: float) -> list[tuple[float, float]]:
    """All distinct modes (g_p, delta) inside the window y <= y_max, by threshold then detuning."""
    ys = np.concatenate([[0.02, 0.2], np.arange(0.6, y_max + 1e-9, 0.6)])
    xs = np.arange(-sc.x_max[0], sc.x_max[0] + 1e-9, np.pi / 4)
    yy, xx = (v.ravel() for v in np.meshgrid(ys, xs, indexing="ij"))
    res = newton_2d(arr, g_p=sc.g_of_y(yy), delta=xx * sc.delta_unit, g_unit=sc.g_unit[0],
                    delta_unit=sc.delta_unit[0])
    ok = accepted(sc, g_p=res.g_p, delta=res.delta, converged=res.converged, y_max=y_max)
    y, x = sc.y_of_g(res.g_p[ok]), res.delta[ok] * sc.length_cm[0]
    _, first = np.unique(np.round(np.stack([y, x], axis=1), 9), axis=0, return_index=True)  # the exact repeats
    y, x = y[first], x[first]
    order = np.lexsort((x, np.round(y, 9)))
    kept: list[tuple[float, float]] = []
    for i in order:
        if all(abs(y[i] - a) + abs(x[i] - b) >= SAME_ROOT * max(1.0, abs(y[i]), abs(x[i])) for a, b in kept):
            kept.append((float(y[i]), float(x[i])))
    return [(float(sc.g_of_y(a)[0]), float(b / sc.length_cm[0])) for a, b in kept]


def device_modes(*, sections: Sequence[DeviceSection], n_modes: int = 3,
                 delta_window_per_cm: float | None = None) -> DeviceModes:
    """The ``n_modes`` lowest-threshold lasing modes of the device (fewer when the widest window holds fewer);
    ``delta_window_per_cm`` bounds |delta| [1/cm] (default: the stopbands plus pi (n/2 + 3) / L)."""
    secs = check_device(sections)
    if n_modes < 1:
        raise ValueError(f"n_modes={n_modes} must be >= 1")
    if delta_window_per_cm is not None and not delta_window_per_cm > 0:
        raise ValueError(f"delta_window_per_cm={delta_window_per_cm} must be > 0")
    arr, sc = device_arrays(secs, n_modes=n_modes, delta_window_per_cm=delta_window_per_cm)
    roots: list[tuple[float, float]] = []
    for y_max in Y_WINDOWS:
        roots = _roots(arr, sc, y_max)
        if len(roots) >= n_modes:
            break
    modes = tuple(DeviceMode(threshold_modal_gain_per_cm=g, detuning_per_cm=d,
                             section_gain_per_cm=tuple(s.gain_per_cm + (g if s.pumped else 0.0) for s in secs))
                  for g, d in roots[:n_modes])
    margin = modes[1].threshold_modal_gain_per_cm - modes[0].threshold_modal_gain_per_cm if len(modes) > 1 else np.inf
    return DeviceModes(modes=modes, gain_margin_per_cm=float(margin), length_um=float(sc.length_cm[0] * 1e4),
                       pumped_length_um=float(sc.pumped_cm[0] * 1e4))
