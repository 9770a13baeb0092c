"""The input gate for YAML files: bytes -> UTF-8 text -> YAML (duplicate keys refused, alias expansion
bounded) -> a top-level mapping. Every problem is a one-line InputError naming the file (and the key)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import yaml

from perocav.pdk.errors import InputError

#: Largest YAML input file read [bytes].
MAX_FILE_BYTES = 4 * 1024 * 1024
#: Largest number of YAML nodes after alias expansion (an alias bomb stops here, in milliseconds).
MAX_EXPANDED_NODES = 200_000


class _DuplicateKey(Exception):
    def __init__(self, key, first_line: int, line: int) -> None:
        super().__init__(key)
        self.key, self.first_line, self.line = key, first_line, line


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate mapping keys and documents whose alias expansion is too large."""

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            seen: dict = {}
            for key_node, _ in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    continue
                key = self.construct_object(key_node, deep=True)
                try:
                    hash(key)
                except TypeError:
                    continue  # SafeLoader reports unhashable keys itself
                if key in seen:
                    raise _DuplicateKey(key, seen[key], key_node.start_mark.line + 1)
                seen[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep=deep)

    def get_single_node(self):
        node = super().get_single_node()
        if node is not None:
            _check_expansion(node)
        return node


def _check_expansion(root) -> None:
    """Refuse a node graph whose tree (aliases expanded) has more than MAX_EXPANDED_NODES nodes."""
    sizes: dict[int, int] = {}
    visiting: set[int] = set()
    stack: list[tuple[object, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        if id(node) in sizes:
            continue
        if not done and id(node) in visiting:
            raise _TooLarge("recursive alias")
        children = ([c for pair in node.value for c in pair] if isinstance(node, yaml.MappingNode)
                    else list(node.value) if isinstance(node, yaml.SequenceNode) else [])
        if not done:
            visiting.add(id(node))
            stack.append((node, True))
            stack.extend((c, False) for c in children if id(c) not in sizes)
            continue
        total = 1 + sum(sizes.get(id(c), 1) for c in children)
        if total > MAX_EXPANDED_NODES:
            raise _TooLarge(f"aliases expand to over {MAX_EXPANDED_NODES} nodes")
        sizes[id(node)] = total


class _TooLarge(Exception):
    pass


def decode_text(raw: bytes, *, source: str) -> str:
    """UTF-8 text of ``raw`` (a BOM is dropped); binary or non-UTF-8 data raises InputError."""
    if len(raw) > MAX_FILE_BYTES:
        raise InputError(f"file is {len(raw)} bytes", field="file", allowed=f"<= {MAX_FILE_BYTES} bytes",
                         source=source)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise InputError(f"not UTF-8 text (byte 0x{raw[err.start]:02x} at offset {err.start})", field="file",
                         allowed="a UTF-8 text file", source=source) from None
    if "\x00" in text:
        raise InputError(f"binary data (NUL byte at offset {text.index(chr(0))})", field="file",
                         allowed="a UTF-8 text file", source=source)
    return text


def read_bytes(path: str | Path, *, source: str | None = None, what: str = "file") -> bytes:
    """Bytes of the regular file ``path``, at most MAX_FILE_BYTES read whatever its size claims (a device, a
    /proc file); a folder, a device, a pipe or an unreadable file raises InputError."""
    path = Path(path)
    src = source or str(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # a pipe without a writer would block the open
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            os.close(fd)
            raise InputError("is a folder" if stat.S_ISDIR(mode) else "not a regular file (a device, pipe or socket)",
                             field="file", allowed=f"a {what}", source=src)
        with os.fdopen(fd, "rb") as fh:
            raw = fh.read(MAX_FILE_BYTES + 1)
    except OSError as err:
        raise InputError(f"cannot read file ({err.strerror})", field="file", allowed=f"a readable {what}",
                         source=src) from None
    if len(raw) > MAX_FILE_BYTES:
        raise InputError(f"file is more than {MAX_FILE_BYTES} bytes", field="file", allowed=f"<= {MAX_FILE_BYTES} bytes",
                         source=src)
    return raw


def parse_yaml_mapping(raw: bytes, *, source: str, keys_hint: str) -> dict:
    """Top-level mapping of the YAML document ``raw`` (bytes of a file named ``source``)."""
    text = decode_text(raw, source=source)
    try:
        doc = yaml.load(text, Loader=_StrictLoader)  # noqa: S506 (a SafeLoader subclass)
    except _DuplicateKey as err:
        raise InputError(f"key given twice (lines {err.first_line} and {err.line})", field=str(err.key),
                         allowed="each key once per mapping", source=source) from None
    except _TooLarge as err:
        raise InputError(str(err.args[0]), field="file",
                         allowed=f"<= {MAX_EXPANDED_NODES} nodes after alias expansion", source=source) from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = " ".join(str(getattr(err, "problem", None) or err).split())
        raise InputError(f"{where}malformed YAML: {problem}", field="file", allowed="valid YAML",
                         source=source) from None
    except RecursionError:
        raise InputError("nesting too deep", field="file", allowed="valid YAML", source=source) from None
    if not isinstance(doc, dict):
        raise InputError("top level must be a mapping", field="file", allowed=keys_hint, source=source)
    return doc


def read_yaml_mapping(path: str | Path, *, keys_hint: str) -> dict:
    """Parsed top-level mapping of ``path``; ``keys_hint`` lists the expected keys for the error line."""
    return parse_yaml_mapping(read_bytes(path, what="YAML file"), source=str(path), keys_hint=keys_hint)
