"""Guided modes of a planar multilayer (complex indices, TE and TM) by a transfer-matrix pole search.

Geometry: layers along z (bottom to top) between a semi-infinite substrate and cover; the mode
propagates along x as exp(i (beta x - omega t)), beta = k0 n_eff. k > 0 in n + i k absorbs, so a lossy
mode has Im(n_eff) > 0 and intensity loss alpha = 2 k0 Im(n_eff).

Method: the lossless problem (real parts of eps) is solved first by bracketing sign changes of the real
characteristic function; the chosen root is then followed by secant steps while the imaginary parts of eps
are switched on gradually (homotopy). This finds the fundamental guided mode robustly even with metals
(the TM surface-plasmon branch, n_eff above every dielectric index, is excluded from "fundamental").
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.integrate import simpson
from scipy.optimize import brentq

from perocav.pdk.errors import InputError
from perocav.pdk.stack import IndexProfile


class NoGuidedModeError(ValueError):
    """The stack guides no mode of the requested order and polarization at this wavelength."""


@dataclass(frozen=True)
class SlabMode:
    """One guided mode. Lengths in nm; loss in 1/cm (intensity)."""

    pol: str
    order: int
    wavelength_nm: float
    neff: complex
    names: tuple[str, ...]  # "substrate", layers..., "cover"
    #: field-fraction confinement int_layer |E|^2 / int |E|^2 (all E components)
    confinement: dict[str, float]
    #: power-weighted confinement (Visser et al., IEEE JQE 33, 1763 (1997)): Re(n_j) int_j |E|^2 / int Re(E x H*).x;
    #: the exact factor for modal gain (g_modal = Gamma_power * g_material), > field fraction in high-index cores
    confinement_power: dict[str, float]
    z_nm: np.ndarray = field(repr=False)
    e_abs2: np.ndarray = field(repr=False)  # |E|^2 on z_nm, normalised to max 1
    #: transverse field on z_nm: E_y (TE) or H_y (TM), complex, phase-fixed so its peak is real positive
    field_u: np.ndarray = field(repr=False, default=None)
    interfaces_nm: tuple[float, ...] = ()

    @property
    def loss_per_cm(self) -> float:
        """Modal intensity loss alpha = 2 k0 Im(n_eff) [1/cm]; negative means net modal gain."""
        return float(2 * (2 * np.pi / (self.wavelength_nm * 1e-7)) * self.neff.imag)


def _sinc_d(q: np.ndarray, d: float) -> np.ndarray:
    """sin(q d) / q, well defined at q = 0."""
    x = q * d
    return np.where(np.abs(x) < 1e-8, d * (1 - x * x / 6), np.sin(x) / np.where(q == 0, 1, q))


class _Problem:
    def __init__(self, profile: IndexProfile, pol: str, t: float):
        self.k0 = 2 * np.pi / profile.wavelength_nm  # 1/nm
        eps = lambda n: complex(n) ** 2  # noqa: E731
        full = [eps(profile.n_substrate), *map(eps, profile.n_layers), eps(profile.n_cover)]
        self.eps = np.array([e.real + 1j * t * e.imag for e in full])
        self.d = np.array(profile.thickness_nm, dtype=float)
        self.pol = pol

    def p(self, eps: complex) -> complex:
        return 1.0 if self.pol == "TE" else 1.0 / eps

    def gamma(self, eps: complex, neff: complex) -> complex:
        """Decay constant k0 sqrt(neff^2 - eps) with Re >= 0 (scalar form of ``gamma_v``)."""
        return complex(self.gamma_v(eps, np.asarray(neff, dtype=complex)))

    def gamma_v(self, eps: complex, neff: np.ndarray) -> np.ndarray:
        g = self.k0 * np.sqrt(neff * neff - eps + 0j)
        return np.where(g.real >= 0, g, -g)

    def char(self, neff):
        """Coefficient of the growing wave in the cover, for a wave decaying into the substrate
        (scalar or array of n_eff), normalised by the field size at the cover."""
        neff_a = np.asarray(neff, dtype=complex)
        e = self.eps
        u = np.ones_like(neff_a)
        w = self.p(e[0]) * self.gamma_v(e[0], neff_a)
        for eps_j, d in zip(e[1:-1], self.d):
            q = self.k0 * np.sqrt(eps_j - neff_a * neff_a + 0j)
            c, s = np.cos(q * d), _sinc_d(q, d)
            pj = self.p(eps_j)
            u, w = c * u + s / pj * w, -pj * q * q * s * u + c * w
        scale = np.maximum(np.maximum(np.abs(u), np.abs(w)), 1e-300)
        out = (w + self.p(e[-1]) * self.gamma_v(e[-1], neff_a) * u) / scale
        return complex(out) if np.ndim(neff) == 0 else out

    def bottom_values(self, neff: complex) -> list[tuple[complex, complex]]:
        """(U, p dU/dz) at the bottom of each layer and at the cover interface (last entry)."""
        e = self.eps
        u, w = 1.0 + 0j, self.p(e[0]) * self.gamma(e[0], neff)
        out = [(u, w)]
        for eps_j, d in zip(e[1:-1], self.d):
            q = self.k0 * np.sqrt(eps_j - neff * neff + 0j)
            c, s = np.cos(q * d), _sinc_d(q, d)
            pj = self.p(eps_j)
            u, w = c * u + s / pj * w, -pj * q * q * s * u + c * w
            out.append((u, w))
        return out

    def region_fields(self, neff: complex, j: int, dz: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(U, p dU/dz) in region j (0 substrate, 1..N layers, N+1 cover) at distance dz from its
        lower interface (substrate: dz <= 0 measured from z = 0)."""
        e, starts = self.eps, self.bottom_values(neff)
        if j == 0:
            g = self.gamma(e[0], neff)
            u = np.exp(g * dz)
            return u, self.p(e[0]) * g * u
        u0, w0 = starts[j - 1]
        if j == len(e) - 1:
            g = self.gamma(e[-1], neff)
            u = u0 * np.exp(-g * dz)
            return u, -self.p(e[-1]) * g * u
        q = self.k0 * np.sqrt(e[j] - neff * neff + 0j)
        pj = self.p(e[j])
        c = np.cos(q * dz)
        s = np.sin(q * dz) / q if abs(q) > 1e-12 else dz
        return c * u0 + s / pj * w0, -pj * q * q * s * u0 + c * w0


def _real_roots(prob: _Problem, lo: float, hi: float, n_grid: int = 3000) -> list[float]:
    """Roots of the (real) lossless characteristic function in (lo, hi), descending."""
    x = np.linspace(hi, lo, n_grid + 2)[1:-1]
    f = prob.char(x).real
    roots = []
    for i in range(len(x) - 1):
        if np.sign(f[i]) != np.sign(f[i + 1]) and np.isfinite(f[i]) and np.isfinite(f[i + 1]):
            r = brentq(lambda v: prob.char(v).real, x[i + 1], x[i], xtol=1e-14, rtol=1e-14)
            # a pole of char (from the normalisation) also changes sign: keep true zeros only
            if abs(prob.char(r)) < 1e-6:
                roots.append(r)
    return roots


def _secant(prob: _Problem, guess: complex, tol: float = 1e-13, max_iter: int = 60) -> complex:
    x0, x1 = guess, guess * (1 + 1e-7) + 1e-9
    f0, f1 = prob.char(x0), prob.char(x1)
    for _ in range(max_iter):
        if f1 == f0:
            break
        x2 = x1 - f1 * (x1 - x0) / (f1 - f0)
        x0, f0, x1, f1 = x1, f1, x2, prob.char(x2)
        if abs(x1 - x0) < tol * max(1.0, abs(x1)):
            break
    return x1


def _track(profile: IndexProfile, pol: str, neff: complex, n_clad: float) -> complex:
    """Follow a lossless root while the imaginary parts of eps grow from 0 to 1 (adaptive steps)."""
    lossy = any(complex(n).imag != 0 for n in (*profile.n_layers, profile.n_substrate, profile.n_cover))
    if not lossy:
        return neff
    t, dt = 0.0, 1.0 / 16
    while t < 1.0 and dt > 1e-5:
        t_new = min(1.0, t + dt)
        prob = _Problem(profile, pol, t=t_new)
        cand = _secant(prob, neff)
        ok = (
            np.isfinite(cand)
            and abs(prob.char(cand)) < 1e-8
            and abs(cand - neff) < 0.02 + 0.5 * abs(cand.imag - neff.imag)
            and cand.real > n_clad
        )
        if ok:
            t, neff, dt = t_new, cand, min(dt * 1.5, 0.25)
        else:
            dt /= 2
    if t < 1.0:
        raise NoGuidedModeError(f"could not follow the {pol} mode into the lossy stack (stopped at {t:.3f} of the loss)")
    return neff


def solve_slab_mode(
    *, profile: IndexProfile, pol: str = "TE", order: int = 0, margin_nm: float | None = None, n_z: int = 4001
) -> SlabMode:
    """Guided mode ``order`` (0 = fundamental) of a resolved stack. Raises NoGuidedModeError if none."""
    pol = pol.upper()
    if pol not in ("TE", "TM"):
        raise InputError(f"{pol!r} is not a polarization", field="pol", allowed="TE, TM")
    lossless = _Problem(profile, pol, t=0.0)
    eps_r = lossless.eps.real
    n_clad = np.sqrt(max(eps_r[0], eps_r[-1], 0.0))
    dielectric = eps_r[eps_r > 0]
    n_core = np.sqrt(dielectric.max())
    if n_core <= n_clad + 1e-12:
        raise NoGuidedModeError(f"no layer has an index above the claddings ({n_clad:.4f})")
    roots = _real_roots(lossless, float(n_clad) + 1e-10, float(n_core) - 1e-10)
    if len(roots) <= order:
        raise NoGuidedModeError(
            f"{pol}{order} is not guided at {profile.wavelength_nm:g} nm ({len(roots)} guided {pol} mode(s))"
        )
    neff = _track(profile, pol, complex(roots[order]), float(n_clad))
    prob = _Problem(profile, pol, t=1.0)
    if not np.isfinite(neff) or abs(prob.char(neff)) > 1e-6:
        raise NoGuidedModeError(f"mode tracking failed for {pol}{order} (|char| = {abs(prob.char(neff)):.2e})")
    if n_z == 0:
        return neff
    return _assemble(prob, profile, pol, order, neff, margin_nm, n_z)


def solve_slab_neff(*, profile: IndexProfile, pol: str = "TE", order: int = 0, guess: complex | None = None) -> complex:
    """Complex n_eff of guided mode ``order`` only (no field profile): the same root as ``solve_slab_mode``.
    ``guess``: the root at a nearby wavelength; a secant from it is accepted when it lands within 0.03 (else the
    full search runs), which makes tables over a wavelength grid several times cheaper."""
    if guess is not None:
        prob = _Problem(profile, pol.upper(), t=1.0)
        cand = _secant(prob, complex(guess))
        if np.isfinite(cand) and abs(prob.char(cand)) < 1e-9 and abs(cand - guess) < 0.03:
            return complex(cand)
    return complex(solve_slab_mode(profile=profile, pol=pol, order=order, n_z=0))


def _assemble(prob: _Problem, profile: IndexProfile, pol: str, order: int, neff: complex,
              margin_nm: float | None, n_z: int) -> SlabMode:
    k0 = prob.k0
    bounds = np.concatenate([[0.0], np.cumsum(profile.thickness_nm)])
    names = ("substrate", *profile.names, "cover")
    n_reg = len(names)
    gam = [prob.gamma(prob.eps[i], neff).real for i in (0, -1)]
    tails = [12.0 / max(g, 1e-9) for g in gam]
    if margin_nm is not None:
        tails = [min(t, margin_nm) for t in tails]
    per_region = max(41, n_z // n_reg) | 1  # odd for Simpson
    z_all, e2_all, u_all, e_int, s_int = [], [], [], [], []
    for j in range(n_reg):
        if j == 0:
            z = np.linspace(-tails[0], 0.0, per_region)
            dz = z
        elif j == n_reg - 1:
            z = np.linspace(bounds[-1], bounds[-1] + tails[1], per_region)
            dz = z - bounds[-1]
        else:
            z = np.linspace(bounds[j - 1], bounds[j], per_region)
            dz = z - bounds[j - 1]
        u, w = prob.region_fields(neff, j, dz)
        eps_j = prob.eps[j]
        if pol == "TE":
            e2 = np.abs(u) ** 2
            sx = neff.real * e2  # Re(E x H*).x, eps0 = mu0 = c = 1
        else:
            ex = w / (1j * k0)  # E_x = (1 / (i omega eps)) dH_y/dz, and w = (1/eps) dH_y/dz
            ez = neff * u / eps_j  # |E_z| = (beta / (omega eps)) |H_y|
            e2 = np.abs(ex) ** 2 + np.abs(ez) ** 2
            sx = (neff / eps_j).real * np.abs(u) ** 2
        ie, is_ = simpson(e2, x=z), simpson(sx, x=z)
        if j in (0, n_reg - 1):  # exact exp(-2 g |z|) tail beyond the sampled margin
            g = gam[0 if j == 0 else 1]
            far_e, far_s = (e2[0], sx[0]) if j == 0 else (e2[-1], sx[-1])
            ie, is_ = ie + far_e / (2 * g), is_ + far_s / (2 * g)
        z_all.append(z)
        u_all.append(u)
        e2_all.append(e2)
        e_int.append(ie)
        s_int.append(is_)
    total_e, total_s = sum(e_int), sum(s_int)
    n_regions = np.sqrt(prob.eps)
    conf = {name: float(e_int[j] / total_e) for j, name in enumerate(names)}
    conf_p = {name: float(n_regions[j].real * e_int[j] / total_s) for j, name in enumerate(names)}
    z = np.concatenate(z_all)
    e2 = np.concatenate(e2_all)
    u = np.concatenate(u_all)
    peak = u[np.argmax(np.abs(u))]
    u = u * (np.abs(peak) / peak) / np.abs(peak)
    return SlabMode(
        pol=pol, order=order, wavelength_nm=profile.wavelength_nm, neff=complex(neff), names=names,
        confinement=conf, confinement_power=conf_p, z_nm=z, e_abs2=e2 / e2.max(), field_u=u,
        interfaces_nm=tuple(float(b) for b in bounds),
    )
