"""The optimum on the die like a swept winner: a one-row ranked table of it and the pipeline's mask export (its
bracketing DOE from ``mask.bracket`` or the default period / duty brackets, repeats, controls, DRC, manifest)."""

from __future__ import annotations

from pathlib import Path

from perocav.designs.mask_export import export_mask
from perocav.designs.records import DesignResult
from perocav.designs.table import rank_table


def optimum_to_die(spec, optimum: DesignResult, *, out_dir: Path) -> dict[str, str]:
    """Tape out ``optimum`` (its highest-fidelity result) into ``out_dir/mask``; the files written."""
    table = rank_table(spec, [optimum.point], [optimum])
    return export_mask(out_dir=out_dir, spec=spec, table=table, chosen=[optimum])
