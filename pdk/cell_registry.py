"""Cell factories that the layout package registers with the PDK when it is imported; the PDK never imports it.

A source is a zero-argument callable returning ``{cell name: cell function}``. It is called when the PDK is built
(``get_pdk``) and, for a source registered after that, at registration: whether ``activate()`` comes before or
after the cell package's import, the active PDK holds its cells. No gdsfactory import here."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

CellTable = Mapping[str, Callable[..., Any]]

_SOURCES: list[Callable[[], CellTable]] = []
_SINKS: list[Callable[[CellTable], None]] = []


def register_cell_source(source: Callable[[], CellTable]) -> None:
    """Add ``source`` (idempotent); a PDK built already receives its cells at once."""
    if source in _SOURCES:
        return
    _SOURCES.append(source)
    for sink in _SINKS:
        sink(source())


def registered_cells() -> dict[str, Callable[..., Any]]:
    """Every registered cell: name -> cell function (later sources win a name clash)."""
    table: dict[str, Callable[..., Any]] = {}
    for source in _SOURCES:
        table.update(source())
    return table


def on_new_cells(sink: Callable[[CellTable], None]) -> None:
    """Call ``sink(table)`` for each source registered from now on (the built PDK adds late cells this way)."""
    _SINKS.append(sink)
