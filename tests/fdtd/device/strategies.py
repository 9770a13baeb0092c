"""Random device section lists for the engine's property tests (hypothesis): 1-4 sections of 10-90 um, |kappa|
40-300 /cm of either sign, 2nd-order radiation from ``radiations``, random phases, pumped sections with a small gain
offset and unpumped ones with a loss up to 300 /cm; at least one section pumped."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from hypothesis import strategies as st

from perocav.fdtd.models.device.sections import DeviceSection


def floats(lo: float, hi: float):
    """Floats in [lo, hi] without subnormals (MEEP's -ffast-math flushes them once it is imported)."""
    return st.floats(lo, hi, allow_subnormal=False)


@st.composite
def devices(draw, radiations: tuple[float, ...] = (0.0, 5.0, 25.0)) -> list[DeviceSection]:
    n = draw(st.integers(1, 4))
    out = []
    for _ in range(n):
        pumped = draw(st.booleans())
        out.append(DeviceSection(
            length_um=draw(floats(10, 90)), kappa_per_cm=draw(st.sampled_from([-1.0, 1.0])) * draw(floats(40, 300)),
            radiation_per_cm=draw(st.sampled_from(radiations)),
            radiation_reactive_per_cm=draw(st.sampled_from([0.0, -4.0])), phase_rad=draw(floats(-np.pi, np.pi)),
            pumped=pumped, gain_per_cm=draw(floats(-10, 10)) if pumped else draw(floats(-300, 0)),
            detuning_offset_per_cm=draw(st.sampled_from([0.0, 15.0]))))
    if not any(s.pumped for s in out):
        out[0] = replace(out[0], pumped=True, gain_per_cm=0.0)
    return out


@st.composite
def lossy_devices(draw, loss_max_per_cm: float = 15000.0) -> list[DeviceSection]:
    """2-5 sections of 10-80 um as a diode with a perovskite's self-absorption: unpumped losses 50 ..
    ``loss_max_per_cm`` (log-uniform; MAPbI3's sub-gap absorption at the line reaches ~1e4 /cm modal), pumped
    sections with their non-zone share absorbing (offsets down to -0.7 x that), Bragg offsets; one pumped at least."""
    n = draw(st.integers(2, 5))
    log_lo, log_hi = np.log(50.0), np.log(loss_max_per_cm)
    out = []
    for _ in range(n):
        pumped = draw(st.booleans())
        loss = float(np.exp(draw(floats(log_lo, log_hi))))
        out.append(DeviceSection(
            length_um=draw(floats(10, 80)), kappa_per_cm=draw(st.sampled_from([-1.0, 1.0])) * draw(floats(20, 300)),
            radiation_per_cm=draw(st.sampled_from((0.0, 10.0, 30.0))),
            radiation_reactive_per_cm=draw(st.sampled_from([0.0, -3.0])), phase_rad=draw(floats(-np.pi, np.pi)),
            pumped=pumped, gain_per_cm=-(draw(floats(0.0, 0.7)) * loss if pumped else loss),
            detuning_offset_per_cm=draw(st.sampled_from([0.0, 20.0]))))
    if not any(s.pumped for s in out):
        out[n // 2] = replace(out[n // 2], pumped=True, gain_per_cm=0.0)
    return out


#: stack layer names the random splits draw from
LAYER_NAMES = ("perovskite", "ito_bottom", "ito_top", "htl")


@st.composite
def layer_splits(draw, sections) -> list[tuple[tuple[str, float], ...]]:
    """Each section's loss -gain_per_cm split into 1-3 parts of distinct random layers with random weights (the
    ``layer_loss_per_cm`` the budget takes), summing to it."""
    out = []
    for s in sections:
        names = draw(st.lists(st.sampled_from(LAYER_NAMES), min_size=1, max_size=3, unique=True))
        w = np.array([draw(floats(0.05, 1.0)) for _ in names])
        out.append(tuple((n, float(-s.gain_per_cm * x)) for n, x in zip(names, w / w.sum())))
    return out
