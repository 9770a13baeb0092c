"""A 5 x 7 pixel font drawn as squares, so labels on a lithography level obey its width/space rules:
every stroke is one pixel wide and every gap at least one pixel; diagonal-only pixel contacts are filled. Or as
separate dots (``dotted_region``): letters without holes."""

from __future__ import annotations

import klayout.db as kdb

#: Rows top to bottom, '#' = filled pixel.
GLYPHS: dict[str, tuple[str, ...]] = {
    "0": (" ### ", "#   #", "#  ##", "# # #", "##  #", "#   #", " ### "),
    "1": ("  #  ", " ##  ", "  #  ", "  #  ", "  #  ", "  #  ", " ### "),
    "2": (" ### ", "#   #", "    #", "   # ", "  #  ", " #   ", "#####"),
    "3": ("#####", "   # ", "  #  ", "   # ", "    #", "#   #", " ### "),
    "4": ("   # ", "  ## ", " # # ", "#  # ", "#####", "   # ", "   # "),
    "5": ("#####", "#    ", "#### ", "    #", "    #", "#   #", " ### "),
    "6": ("  ## ", " #   ", "#    ", "#### ", "#   #", "#   #", " ### "),
    "7": ("#####", "    #", "   # ", "  #  ", " #   ", " #   ", " #   "),
    "8": (" ### ", "#   #", "#   #", " ### ", "#   #", "#   #", " ### "),
    "9": (" ### ", "#   #", "#   #", " ####", "    #", "   # ", " ##  "),
    "A": (" ### ", "#   #", "#   #", "#####", "#   #", "#   #", "#   #"),
    "B": ("#### ", "#   #", "#   #", "#### ", "#   #", "#   #", "#### "),
    "C": (" ### ", "#   #", "#    ", "#    ", "#    ", "#   #", " ### "),
    "D": ("#### ", "#   #", "#   #", "#   #", "#   #", "#   #", "#### "),
    "E": ("#####", "#    ", "#    ", "#### ", "#    ", "#    ", "#####"),
    "F": ("#####", "#    ", "#    ", "#### ", "#    ", "#    ", "#    "),
    "G": (" ### ", "#   #", "#    ", "# ###", "#   #", "#   #", " ####"),
    "H": ("#   #", "#   #", "#   #", "#####", "#   #", "#   #", "#   #"),
    "I": (" ### ", "  #  ", "  #  ", "  #  ", "  #  ", "  #  ", " ### "),
    "J": ("  ###", "   # ", "   # ", "   # ", "   # ", "#  # ", " ##  "),
    "K": ("#   #", "#  # ", "# #  ", "##   ", "# #  ", "#  # ", "#   #"),
    "L": ("#    ", "#    ", "#    ", "#    ", "#    ", "#    ", "#####"),
    "M": ("#   #", "## ##", "# # #", "# # #", "#   #", "#   #", "#   #"),
    "N": ("#   #", "#   #", "##  #", "# # #", "#  ##", "#   #", "#   #"),
    "O": (" ### ", "#   #", "#   #", "#   #", "#   #", "#   #", " ### "),
    "P": ("#### ", "#   #", "#   #", "#### ", "#    ", "#    ", "#    "),
    "Q": (" ### ", "#   #", "#   #", "#   #", "# # #", "#  # ", " ## #"),
    "R": ("#### ", "#   #", "#   #", "#### ", "# #  ", "#  # ", "#   #"),
    "S": (" ####", "#    ", "#    ", " ### ", "    #", "    #", "#### "),
    "T": ("#####", "  #  ", "  #  ", "  #  ", "  #  ", "  #  ", "  #  "),
    "U": ("#   #", "#   #", "#   #", "#   #", "#   #", "#   #", " ### "),
    "V": ("#   #", "#   #", "#   #", "#   #", "#   #", " # # ", "  #  "),
    "W": ("#   #", "#   #", "#   #", "# # #", "# # #", "# # #", " # # "),
    "X": ("#   #", "#   #", " # # ", "  #  ", " # # ", "#   #", "#   #"),
    "Y": ("#   #", "#   #", " # # ", "  #  ", "  #  ", "  #  ", "  #  "),
    "Z": ("#####", "    #", "   # ", "  #  ", " #   ", "#    ", "#####"),
    "-": ("     ", "     ", "     ", "#####", "     ", "     ", "     "),
    "_": ("     ", "     ", "     ", "     ", "     ", "     ", "#####"),
    ".": ("     ", "     ", "     ", "     ", "     ", " ##  ", " ##  "),
    "/": ("    #", "    #", "   # ", "  #  ", " #   ", "#    ", "#    "),
    " ": ("     ",) * 7,
}
ROWS, COLS = 7, 5
SUPPORTED = "".join(sorted(GLYPHS))


def _pixels(glyph: tuple[str, ...]) -> set[tuple[int, int]]:
    """Filled (row, col) pixels, with diagonal-only contacts bridged so no two squares touch at a corner."""
    on = {(r, c) for r, line in enumerate(glyph) for c, ch in enumerate(line) if ch == "#"}
    changed = True
    while changed:
        changed = False
        for r, c in sorted(on):
            for dc in (-1, 1):
                if (r + 1, c + dc) in on and (r + 1, c) not in on and (r, c + dc) not in on:
                    on.add((r + 1, c))
                    changed = True
    return on


def text_region(text: str, pixel_nm: int) -> kdb.Region:
    """Merged region (nm) of ``text`` (upper-cased) with its lower-left corner at (0, 0); one pixel
    between characters. Unknown characters raise KeyError."""
    region = kdb.Region()
    for i, ch in enumerate(text.upper()):
        x0 = i * (COLS + 1) * pixel_nm
        for r, c in _pixels(GLYPHS[ch]):
            y = (ROWS - 1 - r) * pixel_nm
            region.insert(kdb.Box(x0 + c * pixel_nm, y, x0 + (c + 1) * pixel_nm, y + pixel_nm))
    return region.merged()


def dotted_region(text: str, dot_nm: int, space_nm: int) -> kdb.Region:
    """``text`` as separate square dots of side ``dot_nm`` on a ``dot_nm + space_nm`` pitch, lower left at (0, 0)."""
    pitch = dot_nm + space_nm
    region = kdb.Region()
    for i, ch in enumerate(text.upper()):
        x0 = i * (COLS + 1) * pitch
        for r, c in _pixels(GLYPHS[ch]):
            y = (ROWS - 1 - r) * pitch
            region.insert(kdb.Box(x0 + c * pitch, y, x0 + c * pitch + dot_nm, y + dot_nm))
    return region
