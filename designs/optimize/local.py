"""The local stage after the TPE trials: from the best trial a line scan of each variable in turn across its whole
range (``scan_points`` evenly spaced values, the others at the best point so far: it crosses flat stretches and
finds a variable's other basins, each scanned the same way from its best line point), then a compass (pattern)
search from the best point found. Each poll moves every variable by +-h of its range (one batch of up to 2 x variables points,
snapped to the variable's step, whole numbers for integers, clipped to its bounds); the best point of the poll
becomes the centre when it ranks better, else h halves, down to ``min_step``. Pure bookkeeping: the caller's
``evaluate`` computes the points' ranks (feasible first, then the least violation, then the sampler's score)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np
from optuna.distributions import IntDistribution

#: a point's rank: (summed constraint violation, score); smaller is better
Rank = tuple[float, float]


@dataclass(frozen=True)
class Box:
    """The variables' bounds and grain (their ``step``; 1 for integers; 0: continuous), in their own units."""

    names: tuple[str, ...]
    low: tuple[float, ...]
    high: tuple[float, ...]
    grain: tuple[float, ...]
    integer: tuple[bool, ...]


def box_of(distributions: dict) -> Box:
    """The box of optuna distributions (``search.distributions``)."""
    names = tuple(distributions)
    ds = [distributions[n] for n in names]
    return Box(names=names, low=tuple(float(d.low) for d in ds), high=tuple(float(d.high) for d in ds),
               grain=tuple(float(d.step or 0.0) for d in ds), integer=tuple(isinstance(d, IntDistribution) for d in ds))


def point_key(box: Box, values: dict) -> tuple:
    """A hashable key of a point's values (rounded to 1e-9 of the range)."""
    return tuple(round((float(values[n]) - lo) / (hi - lo), 9) for n, lo, hi in zip(box.names, box.low, box.high))


def to_unit(box: Box, values: dict) -> np.ndarray:
    """The point in the unit cube."""
    return np.array([(float(values[n]) - lo) / (hi - lo) for n, lo, hi in zip(box.names, box.low, box.high)])


def from_unit(box: Box, u: np.ndarray) -> dict:
    """The values of a unit-cube point: snapped to each variable's grain, inside its bounds."""
    out = {}
    for name, x, lo, hi, g, is_int in zip(box.names, u, box.low, box.high, box.grain, box.integer):
        v = lo + float(np.clip(x, 0.0, 1.0)) * (hi - lo)
        if g > 0:
            v = min(hi, max(lo, lo + round((v - lo) / g) * g))
            v = round(v, 12)
        out[name] = int(round(v)) if is_int else float(v)
    return out


def _poll(box: Box, centre: dict, h: float) -> list[dict]:
    """The distinct points one step ``h`` (fraction of the range) from ``centre`` along each variable."""
    u, seen, out = to_unit(box, centre), {point_key(box, centre)}, []
    for i in range(len(box.names)):
        for sign in (1.0, -1.0):
            p = from_unit(box, u + sign * h * np.eye(len(u))[i])
            if (k := point_key(box, p)) not in seen:
                seen.add(k)
                out.append(p)
    return out


def _evaluate_new(points: list[dict], *, box: Box, memo: dict, evaluate, budget: int) -> int:
    """Evaluate the points of ``points`` not in ``memo`` (at most ``budget``) into ``memo``; how many."""
    new, keys = [], set()
    for p in points:
        if (k := point_key(box, p)) not in memo and k not in keys:
            keys.add(k)
            new.append(p)
    new = new[:budget]
    for p, r in zip(new, evaluate(new) if new else []):
        memo[point_key(box, p)] = r
    return len(new)


@dataclass(frozen=True)
class Scan:
    """A pass of line scans: the best point and its rank, the points evaluated, and the other basins the lines
    crossed (the best point of each, best first)."""

    best: dict
    rank: Rank
    spent: int
    basins: tuple[tuple[dict, Rank], ...]


def scan(start: dict, rank: Rank, *, box: Box, memo: dict, evaluate: Callable[[list[dict]], list[Rank]],
         points: int, rise: float, budget: int) -> Scan:
    """One pass of line scans: each variable in turn at ``points`` evenly spaced values of its range (the others at
    the best point so far), moving to the best. A line's other local minimum is another basin when a hill parts it
    from the line's best: a point between them whose score is above both by more than ``rise``."""
    best, best_rank, spent, basins = start, rank, 0, []
    for i in range(len(box.names)):
        u, line = to_unit(box, best), []
        for x in np.linspace(0.0, 1.0, points):
            line.append(from_unit(box, np.where(np.arange(len(u)) == i, x, u)))
        spent += _evaluate_new(line, box=box, memo=memo, evaluate=evaluate, budget=budget - spent)
        ranks = [memo.get(point_key(box, p)) for p in line]
        if any(r is None for r in ranks):
            break
        basins += [(line[j], ranks[j]) for j in _other_minima(ranks, rise)]
        j = min(range(len(line)), key=lambda k: ranks[k])
        if ranks[j] < best_rank:
            best, best_rank = line[j], ranks[j]
    return Scan(best=best, rank=best_rank, spent=spent, basins=tuple(sorted(basins, key=lambda pr: pr[1])))


def _other_minima(ranks: list[Rank], rise: float) -> list[int]:
    """Indices of a line's feasible local minima other than its best that a hill parts from the best (the highest
    score between them above both by more than ``rise``)."""
    j = min(range(len(ranks)), key=lambda k: ranks[k])
    out = []
    for k, r in enumerate(ranks):
        if k == j or r[0] > 0 or not all(r <= ranks[m] for m in (k - 1, k + 1) if 0 <= m < len(ranks)):
            continue
        between = ranks[min(j, k) + 1:max(j, k)]
        if between and max(b[1] for b in between) > max(r[1], ranks[j][1]) + rise:
            out.append(k)
    return out


def compass(start: dict, rank: Rank, *, box: Box, memo: dict, evaluate: Callable[[list[dict]], list[Rank]],
            initial_step: float, min_step: float, budget: int) -> tuple[dict, Rank, int]:
    """Compass search from ``start`` (its ``rank``); ``memo``: {point_key: rank} of the points known (grown here;
    known points cost nothing). Returns (best values, its rank, points evaluated), at most ``budget`` of them."""
    centre, best, h, spent = start, rank, initial_step, 0
    while spent < budget and h >= min_step - 1e-12:
        poll = _poll(box, centre, h)
        if not poll:
            break
        spent += _evaluate_new(poll, box=box, memo=memo, evaluate=evaluate, budget=budget - spent)
        known = [(p, memo[point_key(box, p)]) for p in poll if point_key(box, p) in memo]
        p, r = min(known, key=lambda pr: pr[1])
        if r < best:
            centre, best = p, r
        else:
            h /= 2.0
    return centre, best, spent


def rank_of(value: float, constraints) -> Rank:
    """A trial's rank from its score ``value`` and constraint violations (<= 0: satisfied)."""
    violation = sum(max(0.0, float(c)) for c in constraints)
    return (violation, float(value) if math.isfinite(value) else math.inf)
