"""Resonances (frequency, Q) of a ring-down time series: a pure extractor, no solver.

Method: the samples are mixed down to the band centre, low-pass filtered (windowed FIR, valid part only)
and decimated, then a matrix pencil (Hua & Sarkar, IEEE TAP 1990) gives the complex poles. Convention as
MEEP / Harminv: a mode is a exp(-2 pi i f t) with complex f = f_r + i f_i, f_i < 0 for decay,
Q = f_r / (-2 f_i). Frequencies are in the units of 1 / (time unit of dt) (MEEP: 1/um).
The per-mode ``error`` is the relative spread |f_a - f_b| / |f_a| of the pole between two pencil
parameters: a noise-free, well-sampled mode gives ~1e-10, a spurious one gives large values.
"""

from __future__ import annotations

import math

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.signal import firwin


@dataclass(frozen=True)
class Resonance:
    """One resonance: freq (real part of the complex frequency, 1/time unit; MEEP: 1/um), q = Q,
    amplitude (complex, at t = 0 of the series), error (relative pole uncertainty)."""

    freq: float
    q: float
    amplitude: complex
    error: float

    @property
    def decay(self) -> float:
        """Imaginary part of the complex frequency (negative for a decaying mode)."""
        return -self.freq / (2.0 * self.q) if np.isfinite(self.q) and self.q != 0 else 0.0

    @property
    def wavelength_nm(self) -> float:
        """Vacuum wavelength (nm) when freq is in MEEP units (1/um)."""
        return 1000.0 / self.freq


def resonances_from_harminv(modes: Iterable[Sequence]) -> list[Resonance]:
    """Turn MEEP ``Harminv.modes`` (``Mode(freq, decay, Q, amp, err)`` tuples) into Resonance records,
    sorted by frequency."""
    out = []
    for m in modes:
        freq, decay, q, amp, err = m[0], m[1], m[2], m[3], m[4]
        q_val = float(q) if decay != 0 else float("inf")
        out.append(Resonance(freq=float(freq), q=q_val, amplitude=complex(amp), error=float(abs(err))))
    return sorted(out, key=lambda r: r.freq)


def _pencil_poles(y: np.ndarray, *, pencil: int, rank_tol: float, max_modes: int) -> np.ndarray:
    """Poles z_k of y_n = sum a_k z_k^n by the SVD-truncated matrix pencil."""
    n = len(y)
    rows = n - pencil
    hank = np.lib.stride_tricks.sliding_window_view(y, pencil + 1)[:rows]  # rows x (pencil + 1)
    _, s, vh = np.linalg.svd(hank, full_matrices=False)
    rank = int(np.sum(s > rank_tol * s[0]))
    rank = max(1, min(rank, max_modes, pencil))
    v = vh[:rank].T  # (pencil + 1) x rank: the rows of the Hankel matrix (1, z, z^2, ...) lie in its span
    v1, v2 = v[:-1], v[1:]
    return np.linalg.eigvals(np.linalg.pinv(v1) @ v2)


@dataclass(frozen=True)
class PencilSettings:
    """Matrix-pencil knobs: drop modes whose relative pole uncertainty exceeds ``max_error`` or whose amplitude is
    below ``rel_amp_min`` times the largest one in the band (noise poles); ``rank_tol``: singular values kept
    relative to the largest; at most ``max_modes`` poles; a pole with |Q| above ``q_lossless`` (either sign: the
    decay is below the fit's precision) is a lossless mode, Q = inf."""

    max_error: float = 1e-3
    rel_amp_min: float = 1e-3
    rank_tol: float = 1e-7
    max_modes: int = 60
    q_lossless: float = 1e7
    #: keep growing modes (a ring-down with gain above a mode's threshold): Q < 0 as Harminv reports it
    keep_growing: bool = False


@dataclass(frozen=True)
class _Filtered:
    """The mixed-down series after the low-pass / decimation: y every ``step``, its first sample at input time
    ``t0``; ``taps`` (None: unfiltered) to undo the filter's response on the amplitudes."""

    y: np.ndarray
    step: float
    t0: float
    taps: np.ndarray | None


def _check_samples(x: np.ndarray, dt: float, freq_min: float, freq_max: float) -> None:
    if x.ndim != 1 or len(x) < 16:
        raise ValueError(f"samples: need a 1D series of >= 16 values, got shape {x.shape}")
    if not np.all(np.isfinite(x)):
        raise ValueError("samples contain NaN or inf (unstable run)")
    if not (dt > 0 and 0 < freq_min < freq_max):
        raise ValueError(f"need dt > 0 and 0 < freq_min < freq_max, got dt={dt}, [{freq_min}, {freq_max}]")


def _mix_and_decimate(x: np.ndarray, *, dt: float, fc: float, half_band: float) -> _Filtered:
    """Mix the band centre ``fc`` down to 0, low-pass to |f - fc| <~ 1.25 half_band (valid part only), decimate."""
    t = np.arange(len(x)) * dt
    y = x * np.exp(2j * np.pi * fc * t)  # component at f moves to f - fc
    band = 1.25 * half_band
    numtaps = min(int(np.ceil(4.0 / (band * dt))), len(y) // 4) | 1  # short series: wider transition
    decim = max(1, int(np.floor(1.0 / (dt * 8.0 * band))))
    if decim > 1 and numtaps >= 4 * decim:
        taps = firwin(numtaps, 1.5 * band, fs=1.0 / dt)
        yf = np.convolve(y, taps, mode="valid")
        # output m of 'valid' holds input m + numtaps - 1
        return _Filtered(y=yf[::decim], step=decim * dt, t0=(numtaps - 1) * dt, taps=taps)
    return _Filtered(y=y, step=dt, t0=0.0, taps=None)


def _stable_poles(f_a: np.ndarray, f_b: np.ndarray, *, fc: float, freq_min: float, freq_max: float, q_min: float,
                  settings: PencilSettings) -> list[tuple[complex, float, float]]:
    """(relative complex frequency, Q, error) of the poles of pencil a inside the band, decaying (or lossless),
    with Q >= q_min and confirmed by pencil b to ``settings.max_error``."""
    keep = []
    for fa in f_a:
        f_abs = fa + fc
        if not freq_min <= f_abs.real <= freq_max:
            continue
        q_abs = f_abs.real / (2.0 * abs(f_abs.imag)) if f_abs.imag != 0 else math.inf
        if q_abs > settings.q_lossless:
            q = math.inf  # lossless within the precision of the fit (a bound mode of a lossless cell)
        elif f_abs.imag > 0 and not settings.keep_growing:
            continue  # a growing mode
        else:
            q = q_abs if f_abs.imag <= 0 else -q_abs
        if abs(q) < q_min:
            continue
        err = float(np.min(np.abs(f_b - fa)) / abs(f_abs))
        if err > settings.max_error:
            continue
        keep.append((fa, q, err))
    return keep


def _with_amplitudes(keep: list[tuple[complex, float, float]], flt: _Filtered, *, fc: float, dt: float,
                     rel_amp_min: float) -> list[Resonance]:
    """Amplitudes by least squares on the filtered series, referred back to t = 0 of the input; weak ones dropped."""
    n = len(flt.y)
    rel = np.array([k[0] for k in keep])
    vander = np.exp(-2j * np.pi * np.outer(np.arange(n) * flt.step, rel))
    amps, *_ = np.linalg.lstsq(vander, flt.y, rcond=None)
    out = []
    a_max = float(np.max(np.abs(amps)))
    for (fa, q, err), a in zip(keep, amps, strict=True):
        if abs(a) < rel_amp_min * a_max:
            continue
        a0 = a * np.exp(2j * np.pi * fa * flt.t0)  # refer back to input sample 0
        if flt.taps is not None:
            k = np.arange(len(flt.taps))
            a0 /= np.sum(flt.taps * np.exp(2j * np.pi * fa * k * dt))  # filter response at this mode
        out.append(Resonance(freq=float((fa + fc).real), q=float(q), amplitude=complex(a0), error=err))
    return out


def find_resonances(*, samples: Sequence[complex] | np.ndarray, dt: float, freq_min: float, freq_max: float,
                    q_min: float = 10.0, settings: PencilSettings = PencilSettings()) -> list[Resonance]:
    """Resonances with freq_min <= freq <= freq_max in a ring-down sampled every ``dt``.

    samples: real or complex field values (e.g. MEEP ``Harminv.data``); dt: sample spacing (same time
    unit as 1/freq). Modes with Q below ``q_min`` and growing modes are dropped, and so are the uncertain and weak
    poles and the lossless ones made Q = inf as ``settings`` says (``PencilSettings``). Returns records sorted by
    frequency.
    """
    x = np.asarray(samples, dtype=complex)
    _check_samples(x, dt, freq_min, freq_max)
    fc = 0.5 * (freq_min + freq_max)
    flt = _mix_and_decimate(x, dt=dt, fc=fc, half_band=0.5 * (freq_max - freq_min))
    n = len(flt.y)
    if n < 16:
        raise ValueError(f"ring-down too short: {n} samples after filtering; run longer")
    poles = [_pencil_poles(flt.y, pencil=p, rank_tol=settings.rank_tol, max_modes=settings.max_modes)
             for p in (n // 3, n // 2)]
    f_a, f_b = (1j * np.log(z) / (2 * np.pi * flt.step) for z in poles)
    keep = _stable_poles(f_a, f_b, fc=fc, freq_min=freq_min, freq_max=freq_max, q_min=q_min, settings=settings)
    if not keep:
        return []
    out = _with_amplitudes(keep, flt, fc=fc, dt=dt, rel_amp_min=settings.rel_amp_min)
    return sorted(out, key=lambda r: r.freq)
