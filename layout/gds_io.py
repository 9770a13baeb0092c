"""Deterministic, atomic GDS output: the cell hierarchy is copied into a fresh layout in a canonical
order (cells by name, layers by number) and written without timestamps, through a temporary file
that is renamed into place, so the same design always gives the same bytes and never a half file."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import klayout.db as kdb

#: Written into every GDS as the library name.
LIBNAME = "perocav"


def _collect(cell: kdb.Cell, layout: kdb.Layout, seen: dict[str, kdb.Cell]) -> None:
    if cell.name in seen:
        return
    seen[cell.name] = cell
    for ci in cell.each_child_cell():
        _collect(layout.cell(ci), layout, seen)


def canonical_layout(layout: kdb.Layout, top: kdb.Cell, *, layers: Iterable[tuple[int, int]] | None = None,
                     metadata: Mapping[str, Any] | None = None,
                     cell_metadata: Mapping[str, Mapping[str, Any]] | None = None,
                     top_name: str | None = None, cell_names: Mapping[str, str] | None = None) -> kdb.Layout:
    """Copy of ``top``'s hierarchy in a new layout: cells created in name order, layers in (layer,
    datatype) order, shapes and instances in their original order. ``layers`` keeps only those layers;
    ``metadata`` is stored as persistent layout meta info (JSON strings) under ``perocav:<key>`` and
    ``cell_metadata[cell_name]`` likewise on that cell. ``top_name`` renames the top cell, ``cell_names``
    (old -> new) any cell; cells are created in the order of their new names."""
    cells: dict[str, kdb.Cell] = {}
    _collect(top, layout, cells)
    keep = None if layers is None else set(layers)
    src_layers = sorted(
        (info.layer, info.datatype, idx)
        for idx, info in zip(layout.layer_indexes(), layout.layer_infos(), strict=True)
        if keep is None or (info.layer, info.datatype) in keep
    )
    out = kdb.Layout()
    out.dbu = layout.dbu
    dst_layer = {idx: out.layer(kdb.LayerInfo(l, d)) for l, d, idx in src_layers}
    rename = {name: (cell_names or {}).get(name, name) for name in cells}
    rename[top.name] = top_name or rename[top.name]
    if len(set(rename.values())) != len(rename):
        dup = sorted(n for n in rename.values() if list(rename.values()).count(n) > 1)[0]
        raise ValueError(f"cell name {dup!r} is used by two cells in the hierarchy")
    order = sorted(cells, key=lambda n: rename[n])
    new = {name: out.create_cell(rename[name]) for name in order}
    for name in order:
        src, dst = cells[name], new[name]
        for idx, didx in dst_layer.items():
            dst.shapes(didx).insert(src.shapes(idx))
        for inst in src.each_inst():
            arr = inst.cell_inst.dup()
            arr.cell_index = new[layout.cell(inst.cell_index).name].cell_index()
            dst.insert(arr)
        for key, value in sorted((cell_metadata or {}).get(name, {}).items()):
            dst.add_meta_info(_meta(key, value))
    for key, value in sorted((metadata or {}).items()):
        out.add_meta_info(_meta(key, value))
    return out


def _meta(key: str, value: Any) -> kdb.LayoutMetaInfo:
    return kdb.LayoutMetaInfo(f"perocav:{key}", json.dumps(value, sort_keys=True, default=str), "", True)


def component_cell_metadata(component) -> dict[str, dict[str, Any]]:  # noqa: ANN001 (gf.Component)
    """{cell name: {"function", "settings", "info"}} for ``component`` and every cell it calls."""
    out = {}
    for ci in [component.cell_index(), *component.kdb_cell.called_cells()]:
        kc = component.kcl[ci]
        out[kc.name] = {"function": kc.function_name or "", "settings": kc.settings.model_dump(),
                        "info": kc.info.model_dump()}
    return out


def _file_mode() -> int:
    """``0o666 & ~umask`` of this process."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def write_atomic(path: Path, write: Any) -> Path:
    """Call ``write(tmp_path)`` on a temporary file beside ``path``, then rename it to ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        os.chmod(tmp, _file_mode())  # follow the umask, as a plain open() would
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def write_text_atomic(path: Path, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` atomically."""
    return write_atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def write_gds(layout: kdb.Layout, path: Path, *, context_info: bool = True) -> Path:
    """Write the single top cell of ``layout`` as GDS2 with zero timestamps, atomically."""
    opts = kdb.SaveLayoutOptions()
    opts.format = "GDS2"
    opts.gds2_write_timestamps = False
    opts.gds2_libname = LIBNAME
    opts.write_context_info = context_info
    opts.gds2_write_cell_properties = False
    opts.gds2_write_file_properties = False
    opts.gds2_max_cellname_length = 32000
    opts.no_empty_cells = True
    return write_atomic(path, lambda tmp: layout.write(str(tmp), opts))


def write_component_gds(component, path: Path, *, metadata: Mapping[str, Any] | None = None,  # noqa: ANN001
                        top_name: str | None = None) -> Path:
    """Deterministic GDS of a gdsfactory component (with its metadata)."""
    layout = canonical_layout(component.kcl.layout, component.kdb_cell, metadata=metadata,
                              cell_metadata=component_cell_metadata(component), top_name=top_name)
    return write_gds(layout, path)


def read_metadata(path: Path, cell: str | None = None) -> dict[str, Any]:
    """The ``perocav:*`` meta info of a GDS written by ``write_gds`` (decoded JSON): of the layout, or
    of the cell named ``cell``."""
    layout = kdb.Layout()
    layout.read(str(path))
    source = layout if cell is None else layout.cell(cell)
    return {mi.name.removeprefix("perocav:"): json.loads(mi.value) for mi in source.each_meta_info()
            if mi.name.startswith("perocav:")}
