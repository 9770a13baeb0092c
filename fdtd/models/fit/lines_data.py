"""What a lines fit needs (``LinesData``) and the parameters it fits (``GratingParams``), as frozen records."""

from __future__ import annotations

from dataclasses import dataclass, replace

#: the parameters a fit may free, in this order
PARAM_NAMES = ("n_eff", "group_index", "kappa_per_cm", "loss_per_cm")
#: the default free parameters (the issue's interface)
DEFAULT_FREE = ("n_eff", "group_index", "kappa_per_cm")
#: most measured lines: the assignment search tries every ordered choice of modes (C(2 (n + 1), n) of them)
MAX_LINES = 6


@dataclass(frozen=True)
class GratingParams:
    """Effective index at the Bragg wavelength, mode group index, |kappa| [1/cm], modal loss [1/cm]."""

    n_eff: float
    group_index: float
    kappa_per_cm: float
    loss_per_cm: float = 0.0

    def values(self, names) -> list[float]:
        return [float(getattr(self, n)) for n in names]

    def with_values(self, names, values) -> "GratingParams":
        return replace(self, **{n: float(v) for n, v in zip(names, values)})


@dataclass(frozen=True)
class LinesData:
    """Measured lines of one uniform grating: Bragg order, period [nm], length [um], lasing wavelengths [nm] with
    one standard deviation [nm], optional cold-cavity linewidths (FWHM) [nm] with theirs, the fixed radiation
    coupling h [1/cm], the free parameters and start (or fixed) values (None: from the lines)."""

    order: int
    period_nm: float
    length_um: float
    lines_nm: tuple[float, ...]
    lines_sigma_nm: float = 0.02
    linewidths_nm: tuple[float, ...] | None = None
    linewidths_sigma_nm: tuple[float, ...] | None = None
    h_per_cm: float = 0.0
    free: tuple[str, ...] = DEFAULT_FREE
    n_eff: float | None = None
    group_index: float | None = None
    kappa_per_cm: float | None = None
    loss_per_cm: float = 0.0

    def __post_init__(self) -> None:
        if not 1 <= len(self.lines_nm) <= MAX_LINES:
            raise ValueError(f"lines_nm has {len(self.lines_nm)} lines: 1 to {MAX_LINES} allowed")
        unknown = set(self.free) - set(PARAM_NAMES)
        if unknown or not self.free:
            raise ValueError(f"free={self.free}: a non-empty subset of {PARAM_NAMES}")
        if self.linewidths_nm is not None and len(self.linewidths_nm) != len(self.lines_nm):
            raise ValueError("linewidths_nm needs one width per line")
        if "loss_per_cm" in self.free and self.linewidths_nm is None:
            raise ValueError("loss_per_cm shifts no line: it needs linewidths_nm")
        fixed = [n for n in PARAM_NAMES[:3] if n not in self.free and getattr(self, n) is None]
        if fixed:
            raise ValueError(f"{', '.join(fixed)} not free: give the fixed value")
        if self.n_data < len(self.free):
            raise ValueError(f"{self.n_data} data for {len(self.free)} free parameters")

    @property
    def n_data(self) -> int:
        return len(self.lines_nm) * (1 if self.linewidths_nm is None else 2)

    @property
    def widths_sigma_nm(self) -> tuple[float, ...]:
        """One standard deviation per linewidth [nm] (default: 10 % of the width, at least lines_sigma_nm)."""
        if self.linewidths_sigma_nm is not None:
            return tuple(self.linewidths_sigma_nm)
        return tuple(max(0.1 * w, self.lines_sigma_nm) for w in self.linewidths_nm or ())
