"""The gain window of a stack, and the spectrum's choice among several resonances in it.

Order: the stack's ``gain_window_nm`` (the user's filter) wins; else the window of the gain layer's perovskite
spectrum (``window.gain_window_nm``); else emission_wavelength_nm +- 4 % (a gain layer without a spectrum). The pdk
cannot import the spectrum (import order pdk <- fdtd), so this is the one place that resolves it."""

from __future__ import annotations

import numpy as np

from perocav.fdtd.models.spectral_gain.params import band_edge
from perocav.fdtd.models.spectral_gain.threshold import N_CEILING_PER_CM3
from perocav.fdtd.models.spectral_gain.window import (LOSS_FLOOR_PER_CM, WINDOW_TEMPERATURE_K, GainWindow,
                                                      gain_window_nm, onset_density_per_cm3)
from perocav.pdk.errors import InputError
from perocav.pdk.stack import Stack

#: half-width of the emission fallback window, relative
EMISSION_HALF_WIDTH = 0.04


def stack_perovskite(stack: Stack) -> str | None:
    """The gain layer's material name when it has a gain spectrum, else None."""
    gain = stack.gain_layer
    mat = stack.layer(gain).material if gain else None
    return mat if isinstance(mat, str) and band_edge(mat) is not None else None


def stack_gain_window(*, stack: Stack, temperature_k: float = WINDOW_TEMPERATURE_K,
                      max_density_per_cm3: float = N_CEILING_PER_CM3,
                      loss_floor_per_cm: float = LOSS_FLOOR_PER_CM) -> GainWindow:
    """The window [nm] where ``stack``'s resonances are solved (see the module's order)."""
    pero = stack_perovskite(stack)
    spectrum = dict(perovskite=pero, temperature_k=float(temperature_k), max_density_per_cm3=float(max_density_per_cm3),
                    loss_floor_per_cm=float(loss_floor_per_cm))
    if stack.gain_window_nm is not None:
        lo, hi = stack.gain_window_nm
        return GainWindow(low_nm=float(lo), high_nm=float(hi), source="user",
                          reason=f"gain window {lo:g}-{hi:g} nm: the stack's gain_window_nm (user filter)", **spectrum)
    if pero is not None:
        return gain_window_nm(perovskite=pero, temperature_k=temperature_k, max_density_per_cm3=max_density_per_cm3,
                              loss_floor_per_cm=loss_floor_per_cm)
    if stack.emission_wavelength_nm:
        lam = stack.emission_wavelength_nm
        lo, hi = (1 - EMISSION_HALF_WIDTH) * lam, (1 + EMISSION_HALF_WIDTH) * lam
        return GainWindow(low_nm=lo, high_nm=hi, source="emission", reason=f"gain window {lo:.1f}-{hi:.1f} nm: "
                          f"emission_wavelength_nm +- {EMISSION_HALF_WIDTH:.0%} (the gain layer has no spectrum)",
                          **spectrum)
    raise InputError(f"stack {stack.name!r} has no gain spectrum, gain_window_nm or emission_wavelength_nm",
                     field="gain_window_nm", allowed="(low, high) nm")


def resolve_gain_window(*, stack: Stack, window_nm=None) -> GainWindow:
    """``window_nm`` as a ``GainWindow``: None -> ``stack_gain_window``; a GainWindow as is; (low, high) nm -> a
    "caller" window that keeps the stack's spectrum (at the defaults) for the choice among roots."""
    if window_nm is None:
        return stack_gain_window(stack=stack)
    if isinstance(window_nm, GainWindow):
        return window_nm
    lo, hi = (float(x) for x in window_nm)
    return GainWindow(low_nm=lo, high_nm=hi, source="caller", reason=f"gain window {lo:g}-{hi:g} nm: given by the "
                      "caller", perovskite=stack_perovskite(stack))


def favoured_root(*, window: GainWindow, roots_nm) -> tuple[int, str]:
    """(index, note) of the root the spectrum favours among ``roots_nm`` [nm] (several in the window): the one where
    the material gain reaches the window's loss floor at the lowest density. (0, "") for one root; an InputError
    for several without a spectrum or where none reaches the floor."""
    roots = np.asarray(roots_nm, dtype=float)
    if roots.size == 1:
        return 0, ""
    listed = ", ".join(f"{r:.2f}" for r in roots)
    if window.perovskite is None or roots.size == 0:
        raise InputError(f"{roots.size} Bragg roots ({listed} nm) in the {window.reason}", field="period_nm",
                         allowed="a period with one root in the window")
    n = onset_density_per_cm3(perovskite=window.perovskite, wavelength_nm=roots,
                              gain_per_cm_target=window.loss_floor_per_cm, temperature_k=window.temperature_k,
                              max_density_per_cm3=window.max_density_per_cm3)
    i = int(np.argmin(n))
    if not np.isfinite(n[i]):
        raise InputError(f"no lasing: none of the {roots.size} Bragg roots ({listed} nm) reaches "
                         f"{window.loss_floor_per_cm:g} 1/cm of gain below {window.max_density_per_cm3:.2g} cm^-3",
                         field="period_nm", allowed="a period with a root in the gain window")
    others = ", ".join(f"{r:.2f} nm: {x:.2e}" for j, (r, x) in enumerate(zip(roots, n)) if j != i)
    note = (f"{roots.size} Bragg roots in the window ({listed} nm): {roots[i]:.2f} nm chosen, where g reaches "
            f"{window.loss_floor_per_cm:g} 1/cm at the lowest density ({n[i]:.2e} cm^-3; {others} cm^-3)")
    return i, note

