"""Cited parameters of the perovskites' band-edge spectra. Energies eV, absorption 1/cm, masses in m0.
What the citation search confirmed and what is an assumption: ``docs/physics.md``, "Citations and assumptions".

MAPbI3: Urbach energy 15 meV (De Wolf et al., J. Phys. Chem. Lett. 5, 1035 (2014): photothermal deflection and
Fourier-transform photocurrent spectroscopy, exponential tail over four decades); reduced mass 0.104 m0
(Miyata et al., Nat. Phys. 11, 582-587 (2015), magneto-absorption to 150 T: verified), split m_e 0.19 / m_h 0.25
in the ratio of the GW+SOC band masses of Umari, Mosconi and De Angelis (Sci. Rep. 4, 4467 (2014); the search
found the paper's preprint, not its volume/page or these two masses: unverified); room-temperature gap 1.61 eV
(physics brief section 9; the Phillips k falls through its edge at 760-775 nm). The exciton is not resolved at room
temperature (binding 16 meV at low temperature and only a few meV in the room-temperature phase, Miyata 2015;
single crystals: 12 +- 4 meV upper bound at room temperature, Yang et al., J. Phys. Chem. Lett. 8, 1851 (2017)):
no Elliott term.
CsPbBr3: exciton binding energy 33 meV and reduced mass 0.126 m0 (Yang et al., "Impact of the halide cage on the
electronic properties of fully inorganic cesium lead halide perovskites", ACS Energy Lett. 2, 1621 (2017),
magneto-transmission; the search confirmed title, authors, journal and year, not the volume/page or the two numbers;
a later high-field reflectivity study gives 32.5 meV and 0.18 m0: Phys. Status Solidi RRL (2023), arXiv 2307.07035),
split equally between electron and hole (ASSUMPTION: nearly mirror-symmetric bands; no measured split found); the
exciton line at 2.392 eV (518 nm; the Brennan k peaks at 515 nm, Brennan et al. 2020 in the PDK), gap 2.425 eV
= exciton + 33 meV;
Urbach energy 19 meV (ASSUMPTION: no cited CsPbBr3 value was found; within the 15-25 meV range assumed for films
and crystals; see physics.md's sensitivity study).
``alpha_gap_per_cm`` (absorption at the band edge) and ``edge_scale_ev`` (square-root rise of the continuum) are
fitted to the PDK's ellipsometry k above the gap (``docs/physics.md``: tolerance and plot); the MAPbI3 gap and
its alpha_gap together set where the tail lies and are the spectral model's calibration to the paper's seed
gain g0 ln(N / N_tr) (``tests/fdtd/models/spectral_gain``)."""

from __future__ import annotations

from dataclasses import dataclass

#: photoluminescence peaks the spontaneous-emission spectrum is checked against (nm, tolerance nm):
#: MAPbI3 films ~770 nm at room temperature (Xing et al., Nat. Mater. 13, 476 (2014); Stranks et al., Science 342,
#: 341 (2013)); CsPbBr3 films/crystals ~525 nm (Yakunin et al., Nat. Commun. 6, 8056 (2015): PL and ASE of
#: CsPbBr3 near 520-530 nm; the PDK's emission wavelength 525 nm). Tolerance: +-10 nm (~20 meV, the spread of
#: film-to-film reports).
PL_PEAK_NM: dict[str, tuple[float, float]] = {"MAPbI3": (770.0, 10.0), "CsPbBr3": (525.0, 10.0)}


@dataclass(frozen=True)
class BandEdge:
    """Band-edge spectrum of one perovskite (see the module's citations)."""

    name: str
    gap_ev: float
    urbach_ev: float
    alpha_gap_per_cm: float  # absorption at the band edge (continuum onset)
    edge_scale_ev: float  # alpha = alpha_gap (1 + sqrt((E - E_g) / edge_scale)) above the gap
    electron_mass_m0: float
    hole_mass_m0: float
    exciton_binding_ev: float = 0.0  # 0: no Elliott exciton line
    exciton_alpha_per_cm: float = 0.0  # peak absorption of the exciton line
    exciton_width_ev: float = 0.0  # Gaussian sigma of the exciton line
    #: calibration to the paper's seed gain: the statistics see density_scale x N (equivalently both band masses
    #: times density_scale^(-2/3)); fitted so that the peak gain equals the seed's 500 1/cm at its N = 8.2e17
    density_scale: float = 1.0

    @property
    def exciton_ev(self) -> float:
        return self.gap_ev - self.exciton_binding_ev

    @property
    def reduced_mass_m0(self) -> float:
        return self.electron_mass_m0 * self.hole_mass_m0 / (self.electron_mass_m0 + self.hole_mass_m0)


BAND_EDGES: dict[str, BandEdge] = {
    "MAPbI3": BandEdge(name="MAPbI3", gap_ev=1.61, urbach_ev=0.015, alpha_gap_per_cm=1.6e4, edge_scale_ev=0.045,
                       electron_mass_m0=0.19, hole_mass_m0=0.25, density_scale=2.10),
    "CsPbBr3": BandEdge(name="CsPbBr3", gap_ev=2.425, urbach_ev=0.019, alpha_gap_per_cm=3.3e4,
                        edge_scale_ev=0.5, electron_mass_m0=0.252, hole_mass_m0=0.252,
                        exciton_binding_ev=0.033, exciton_alpha_per_cm=4.5e4, exciton_width_ev=0.04,
                        density_scale=0.924),
}

#: PDK material names that map to a band edge (the ellipsometry variants share the film's spectrum)
ALIASES: dict[str, str] = {"MAPbI3": "MAPbI3", "MAPbI3_Ball": "MAPbI3", "CsPbBr3": "CsPbBr3"}


def band_edge(name: str) -> BandEdge | None:
    """The band edge of a PDK perovskite name (None when it has none)."""
    key = ALIASES.get(name)
    return BAND_EDGES[key] if key else None
