"""Independent check of the slab solver: finite-volume discretisation of the 1D mode equation on a
non-uniform grid with nodes on every interface, solved as a sparse (generalised) eigenproblem.

TE:  d2E/dz2 + k0^2 eps E = beta^2 E
TM:  d/dz((1/eps) dH/dz) + k0^2 H = beta^2 H / eps
Dirichlet walls ``margin_nm`` beyond the outer interfaces. Second-order accurate in ``step_nm``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import eigs

from perocav.pdk.stack import IndexProfile


@dataclass(frozen=True)
class FdMode:
    """Mode from the finite-difference solver; ``confinement`` is the field fraction per region."""

    neff: complex
    loss_per_cm: float
    confinement: dict[str, float]


def _grid(profile: IndexProfile, step_nm: float, margin_nm: float, clad_step_nm: float):
    bounds = np.concatenate([[-margin_nm, 0.0], np.cumsum(profile.thickness_nm), [sum(profile.thickness_nm) + margin_nm]])
    nodes, cell_region = [bounds[0]], []
    n_regions = len(bounds) - 1
    for r in range(n_regions):
        a, b = bounds[r], bounds[r + 1]
        h = clad_step_nm if r in (0, n_regions - 1) else step_nm
        n = max(4, int(np.ceil((b - a) / h)))
        pts = np.linspace(a, b, n + 1)[1:]
        nodes.extend(pts)
        cell_region.extend([r] * n)
    return np.array(nodes), np.array(cell_region)


def solve_slab_fd(
    *, profile: IndexProfile, pol: str = "TE", step_nm: float = 0.25, margin_nm: float = 2500.0,
    clad_step_nm: float = 1.0, n_candidates: int = 8,
) -> FdMode:
    """Fundamental guided mode (highest Re n_eff between cladding and core index) of ``profile``."""
    k0 = 2 * np.pi / profile.wavelength_nm
    eps_reg = np.array([profile.n_substrate, *profile.n_layers, profile.n_cover], dtype=complex) ** 2
    z, cell_region = _grid(profile, step_nm, margin_nm, clad_step_nm)
    h = np.diff(z)  # cell widths
    eps_cell = eps_reg[cell_region]
    inner = np.arange(1, len(z) - 1)  # Dirichlet at both walls
    hl, hr = h[inner - 1], h[inner]
    vol = 0.5 * (hl + hr)
    if pol == "TE":
        cl, cr = 1.0 / hl, 1.0 / hr
        mass = np.ones(len(inner), dtype=complex)
        pot = k0**2 * (eps_cell[inner - 1] * hl + eps_cell[inner] * hr) / (2 * vol)
    else:
        cl, cr = 1.0 / (eps_cell[inner - 1] * hl), 1.0 / (eps_cell[inner] * hr)
        mass = (hl / eps_cell[inner - 1] + hr / eps_cell[inner]) / (2 * vol)
        pot = k0**2 * np.ones(len(inner), dtype=complex)
    main = -(cl + cr) / vol + pot
    lower = (cl / vol)[1:]
    upper = (cr / vol)[:-1]
    a = sp.diags([lower, main, upper], [-1, 0, 1], format="csc") 
    a = sp.diags(1.0 / mass) @ a  # standard eigenproblem beta^2 x = M^-1 A x
    n_clad = max(profile.n_substrate.real, profile.n_cover.real)
    dielectric = [n.real for n in profile.n_layers if (n * n).real > 0]
    n_core = max(dielectric)
    sigma = (k0 * n_core) ** 2
    vals, vecs = eigs(a.tocsc(), k=n_candidates, sigma=sigma, which="LM")
    neffs = np.sqrt(vals.astype(complex)) / k0
    ok = [(i, n) for i, n in enumerate(neffs) if n_clad < n.real < n_core]
    if not ok:
        raise ValueError("finite-difference solver found no guided mode")
    i, neff = max(ok, key=lambda t: t[1].real)
    field = np.zeros(len(z), dtype=complex)
    field[inner] = vecs[:, i]
    if pol == "TE":
        e2_cell = 0.5 * (np.abs(field[:-1]) ** 2 + np.abs(field[1:]) ** 2)
    else:  # |E|^2 = |Ex|^2 + |Ez|^2 with Ex ~ (1/(k0 eps)) dH/dz, Ez ~ (neff/eps) H
        dh = np.diff(field) / h
        hm2 = 0.5 * (np.abs(field[:-1]) ** 2 + np.abs(field[1:]) ** 2)
        e2_cell = (np.abs(dh) ** 2 / k0**2 + abs(neff) ** 2 * hm2) / np.abs(eps_cell) ** 2
    weight = e2_cell * h
    total = weight.sum()
    names = ("substrate", *profile.names, "cover")
    conf = {name: float(weight[cell_region == r].sum() / total) for r, name in enumerate(names)}
    loss = float(2 * (2 * np.pi / (profile.wavelength_nm * 1e-7)) * neff.imag)
    return FdMode(neff=complex(neff), loss_per_cm=loss, confinement=conf)
