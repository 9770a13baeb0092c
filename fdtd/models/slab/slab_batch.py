"""TE0 guided modes of many planar stacks at once (numpy, vectorised over designs): the same characteristic
function and secant as ``fdtd.models.slab.slab_modes`` (transfer matrix, decaying substrate wave, growing cover wave), started
from a close guess instead of a root search, plus the mode's layer integrals in closed form (Gauss-Legendre in
the layers, exact exponential tails).

Shapes: ``eps`` is (N, R) complex permittivity of substrate, layers bottom to top, cover (R = layers + 2);
``thickness_nm`` is (R - 2,); ``wavelength_nm`` and n_eff are (N,). Lengths nm, TE only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: Gauss-Legendre nodes per layer for the field integrals (exact to ~1e-15 for |q d| < ~10)
GAUSS_NODES = 32


def _gamma(k0: np.ndarray, eps: np.ndarray, neff: np.ndarray) -> np.ndarray:
    """k0 sqrt(n_eff^2 - eps) with Re >= 0 (decaying branch), as ``slab_modes._Problem.gamma_v``."""
    g = k0 * np.sqrt(neff * neff - eps + 0j)
    return np.where(g.real >= 0, g, -g)


def _sinc_d(q: np.ndarray, d: float) -> np.ndarray:
    x = q * d
    return np.where(np.abs(x) < 1e-8, d * (1 - x * x / 6), np.sin(x) / np.where(q == 0, 1, q))


def char_te(*, eps: np.ndarray, thickness_nm: np.ndarray, k0: np.ndarray, neff: np.ndarray) -> np.ndarray:
    """Normalised growing-wave coefficient in the cover (zero at a guided mode), per design."""
    u = np.ones_like(neff)
    w = _gamma(k0, eps[:, 0], neff)
    for j, d in enumerate(thickness_nm, start=1):
        q = k0 * np.sqrt(eps[:, j] - neff * neff + 0j)
        c, s = np.cos(q * d), _sinc_d(q, d)
        u, w = c * u + s * w, -q * q * s * u + c * w
    scale = np.maximum(np.maximum(np.abs(u), np.abs(w)), 1e-300)
    return (w + _gamma(k0, eps[:, -1], neff) * u) / scale


def solve_te0(*, eps: np.ndarray, thickness_nm: np.ndarray, wavelength_nm: np.ndarray, guess: np.ndarray,
              tol: float = 1e-13, max_iter: int = 60) -> tuple[np.ndarray, np.ndarray]:
    """Secant iteration (as ``slab_modes._secant``) from ``guess`` for every design: (n_eff, ok). ``ok`` is False
    where it did not converge to a root (|char| > 1e-9) or left the guess by more than 0.03 (another mode)."""
    k0 = 2 * np.pi / np.asarray(wavelength_nm, dtype=float)
    guess = np.asarray(guess, dtype=complex)
    x0, x1 = guess.copy(), guess * (1 + 1e-7) + 1e-9
    f = lambda x, idx: char_te(eps=eps[idx], thickness_nm=thickness_nm, k0=k0[idx], neff=x)  # noqa: E731
    every = np.arange(len(guess))
    f0, f1 = f(x0, every), f(x1, every)
    active = np.ones(len(guess), dtype=bool)
    with np.errstate(all="ignore"):
        for _ in range(max_iter):
            idx = np.flatnonzero(active)
            if idx.size == 0:
                break
            same = f1[idx] == f0[idx]
            x2 = x1[idx] - f1[idx] * (x1[idx] - x0[idx]) / np.where(same, 1.0, f1[idx] - f0[idx])
            x2 = np.where(same, x1[idx], x2)
            x0[idx], f0[idx] = x1[idx], f1[idx]
            x1[idx] = x2
            f1[idx] = f(x2, idx)
            done = same | (np.abs(x1[idx] - x0[idx]) < tol * np.maximum(1.0, np.abs(x1[idx])))
            active[idx[done]] = False
        res = np.abs(f(x1, every))
    ok = np.isfinite(x1) & (res < 1e-9) & (np.abs(x1 - guess) < 0.03)
    return x1, ok


@dataclass(frozen=True)
class ModeIntegrals:
    """Per design: int |E|^2 of every region (N, R) (tails to infinity), int E over each layer (N, R) (0 for the
    claddings), int Re(E e^{-i phi})^2 over everything (N,), phi = phase of E at its |E| maximum."""

    e2: np.ndarray
    e1: np.ndarray
    re2_total: np.ndarray
    phase: np.ndarray


def mode_integrals(*, eps: np.ndarray, thickness_nm: np.ndarray, wavelength_nm: np.ndarray,
                   neff: np.ndarray) -> ModeIntegrals:
    """Layer integrals of the TE mode E_y(z) (substrate value 1 at z = 0, as ``slab_modes``) for every design."""
    n, r = eps.shape
    k0 = 2 * np.pi / np.asarray(wavelength_nm, dtype=float)
    x, wq = np.polynomial.legendre.leggauss(GAUSS_NODES)
    g_sub, g_cov = _gamma(k0, eps[:, 0], neff), _gamma(k0, eps[:, -1], neff)
    e2, e1 = np.zeros((n, r)), np.zeros((n, r), dtype=complex)
    fields = []  # (N, nodes) complex E in each layer, with weights
    u, w = np.ones(n, dtype=complex), g_sub.astype(complex)
    for j, d in enumerate(thickness_nm, start=1):
        q = k0 * np.sqrt(eps[:, j] - neff * neff + 0j)
        t = 0.5 * d * (x + 1.0)  # nodes in [0, d]
        qt = q[:, None] * t[None, :]
        s_t = np.where(np.abs(qt) < 1e-8, t[None, :], np.sin(qt) / np.where(q == 0, 1, q)[:, None])
        e = np.cos(qt) * u[:, None] + s_t * w[:, None]
        wt = 0.5 * d * wq
        e2[:, j], e1[:, j] = (np.abs(e) ** 2) @ wt, e @ wt
        fields.append((e, wt))
        c, s = np.cos(q * d), _sinc_d(q, d)
        u, w = c * u + s * w, -q * q * s * u + c * w
    e2[:, 0] = 1.0 / (2 * g_sub.real)
    e2[:, -1] = np.abs(u) ** 2 / (2 * g_cov.real)
    every = np.concatenate([f[0] for f in fields] + [np.ones((n, 1)), u[:, None]], axis=1)
    peak = every[np.arange(n), np.argmax(np.abs(every), axis=1)]
    rot = np.abs(peak) / peak  # e^{-i phi}
    re2 = sum(((f[0] * rot[:, None]).real ** 2) @ f[1] for f in fields)
    re2 = re2 + _tail_re2(rot, g_sub) + _tail_re2(u * rot, g_cov)
    return ModeIntegrals(e2=e2, e1=e1, re2_total=re2, phase=np.angle(peak))


def _tail_re2(a: np.ndarray, g: np.ndarray) -> np.ndarray:
    """int_0^inf Re(a e^{-g t})^2 dt = (Re(a^2 / (2 g)) + |a|^2 / (2 Re g)) / 2."""
    return 0.5 * ((a * a / (2 * g)).real + np.abs(a) ** 2 / (2 * g.real))
