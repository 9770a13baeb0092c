"""The gain window of a stack, and the spectrum's choice among several resonances in it.

Order: the stack's ``gain_window_nm`` (the user's filter) wins; else the window of the gain layer's perovskite
spectrum (``window.gain_window_nm``); else emission_wavelength_nm +- 4 % (a gain layer without a spectrum). The pdk
cannot import the spectrum (import order pdk <- fdtd), so this is the one place that resolves it."""

from __future__ import annotations

import math
from functools import lru_cache

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


#: wavelength step [nm] of the onset-density curve the root choice interpolates
ONSET_STEP_NM = 0.05


@lru_cache(maxsize=32)
def _onset_curve(window: GainWindow) -> tuple[np.ndarray, np.ndarray]:
    """(wavelength nm, ln N) where g first reaches the window's floor, on ``ONSET_STEP_NM`` over the window (ln N
    inf where the ceiling does not reach it)."""
    wl = np.arange(window.low_nm - ONSET_STEP_NM, window.high_nm + 2 * ONSET_STEP_NM, ONSET_STEP_NM)
    n = onset_density_per_cm3(perovskite=window.perovskite, wavelength_nm=wl,
                              gain_per_cm_target=window.loss_floor_per_cm,
                              temperature_k=window.temperature_k, max_density_per_cm3=window.max_density_per_cm3)
    return wl, np.log(n)


def onset_ln_density(*, window: GainWindow, roots_nm) -> np.ndarray:
    """ln of the density [cm^-3] at which g reaches the window's loss floor at each root (any shape; NaN roots
    and wavelengths the ceiling does not reach: inf), interpolated on the window's cached onset curve."""
    wl, ln_n = _onset_curve(window)
    r = np.asarray(roots_nm, dtype=float)
    finite = np.isfinite(ln_n)
    out = np.interp(np.nan_to_num(r, nan=wl[0] - 1.0), wl, np.where(finite, ln_n, 1e3), left=np.inf, right=np.inf)
    return np.where(np.isfinite(r) & (out < 1e2), out, np.inf)


def _note(window: GainWindow, roots: np.ndarray, ln_n: np.ndarray, i: int) -> str:
    listed = ", ".join(f"{r:.2f}" for r in roots)
    others = ", ".join(f"{r:.2f} nm: {math.exp(x):.2e}" if math.isfinite(x) else f"{r:.2f} nm: above the ceiling"
                       for j, (r, x) in enumerate(zip(roots, ln_n)) if j != i)
    return (f"{roots.size} Bragg roots in the window ({listed} nm): {roots[i]:.2f} nm chosen, where g reaches "
            f"{window.loss_floor_per_cm:g} 1/cm at the lowest density ({math.exp(ln_n[i]):.2e} cm^-3; {others} cm^-3)")


def favoured_root(*, window: GainWindow, roots_nm) -> tuple[int, str]:
    """(index, note) of the root the spectrum favours among ``roots_nm`` [nm] (several in the window): the one where
    the material gain reaches the window's loss floor at the lowest density. (0, "") for one root; an InputError
    for several without a spectrum or where none reaches the floor."""
    roots = np.asarray(roots_nm, dtype=float)
    roots = roots[np.isfinite(roots)]
    if roots.size == 1:
        return 0, ""
    listed = ", ".join(f"{r:.2f}" for r in roots)
    if window.perovskite is None or roots.size == 0:
        raise InputError(f"{roots.size} Bragg roots ({listed} nm) in the {window.reason}", field="period_nm",
                         allowed="a period with one root in the window")
    ln_n = onset_ln_density(window=window, roots_nm=roots)
    i = int(np.argmin(ln_n))
    if not np.isfinite(ln_n[i]):
        raise InputError(f"no lasing: none of the {roots.size} Bragg roots ({listed} nm) reaches "
                         f"{window.loss_floor_per_cm:g} 1/cm of gain below {window.max_density_per_cm3:.2g} cm^-3",
                         field="period_nm", allowed="a period with a root in the gain window")
    return i, _note(window, roots, ln_n, i)


def favoured_roots(*, window: GainWindow, roots_nm: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``favoured_root`` for many designs at once: ``roots_nm`` (N, K) NaN-padded -> (chosen root nm, NaN where no
    choice can be made; notes, '' for one root)."""
    roots = np.asarray(roots_nm, dtype=float)
    count = np.isfinite(roots).sum(axis=1)
    if window.perovskite is None:
        return np.where(count == 1, roots[:, 0], np.nan), np.full(roots.shape[0], "", dtype=object)
    ln_n = onset_ln_density(window=window, roots_nm=roots)
    i = np.argmin(ln_n, axis=1)
    best = ln_n[np.arange(i.size), i]
    chosen = np.where(np.isfinite(best) | (count == 1), roots[np.arange(i.size), i], np.nan)
    notes = np.full(roots.shape[0], "", dtype=object)
    for j in np.flatnonzero((count > 1) & np.isfinite(best)):
        keep = np.isfinite(roots[j])
        notes[j] = _note(window, roots[j][keep], ln_n[j][keep], int(np.argmin(ln_n[j][keep])))
    return chosen, notes
