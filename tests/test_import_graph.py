"""The import graph of the four rooms, read from the source (every import that runs: at module top or inside a
function; ``if TYPE_CHECKING:`` blocks, which never run, are left out): the rooms import one way
(pdk <- layout <- fdtd <- designs) and no module imports itself back through others."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.paths import REPO_ROOT

ROOMS = ("pdk", "layout", "fdtd", "designs")


def _module(path: Path) -> str:
    parts = list(path.relative_to(REPO_ROOT).with_suffix("").parts)
    return "perocav." + ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph() -> dict[str, set[str]]:
    """module -> the perocav modules it imports (``from X import Y`` counts X, and X.Y when Y is a module)."""
    files = {_module(p): p for room in ROOMS for p in sorted((REPO_ROOT / room).rglob("*.py"))}
    graph = {}
    for name, path in files.items():
        deps, tree = set(), ast.parse(path.read_text())
        hints = {id(n) for top in tree.body if isinstance(top, ast.If) and "TYPE_CHECKING" in ast.unparse(top.test)
                 for n in ast.walk(top)}
        for node in ast.walk(tree):
            if id(node) in hints:
                continue
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                deps |= {node.module, *(f"{node.module}.{a.name}" for a in node.names)}
            elif isinstance(node, ast.Import):
                deps |= {a.name for a in node.names}
        graph[name] = {d for d in deps if d in files and d != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan, iterative)."""
    index, low, on, stack, out, counter = {}, {}, set(), [], [], [0]

    def visit(root: str) -> None:
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter[0]
        counter[0] += 1
        stack.append(root)
        on.add(root)
        while work:
            v, children = work[-1]
            w = next(children, None)
            if w is not None:
                if w not in index:
                    index[w] = low[w] = counter[0]
                    counter[0] += 1
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(sorted(graph[w]))))
                elif w in on:
                    low[v] = min(low[v], index[w])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop()
                    on.discard(w)
                    comp.append(w)
                    if w == v:
                        break
                if len(comp) > 1:
                    out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_rooms_import_one_way():
    rank = {room: i for i, room in enumerate(ROOMS)}
    graph = import_graph()
    back = sorted(f"{m} -> {d}" for m, deps in graph.items() for d in deps
                  if rank[d.split(".")[1]] > rank[m.split(".")[1]])
    assert len(graph) > 150 and not back, back


def test_no_import_cycles():
    assert not cycles(import_graph())


def test_cycle_finder_finds_a_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert cycles(graph) == [["a", "b", "c"]]


def test_imports_sit_at_module_top_unless_marked_lazy():
    """The real graph is visible: an import inside a function is allowed only where it must stay lazy, and then it
    says why on its line (``# lazy: loads meep`` / ``meent``: the analytic paths and the design evaluation import
    without them). The commands (``designs/cli/``) import inside their bodies by rule (``perocav --help`` and
    ``validate`` start without pandas, gdsfactory and the solvers), stated in ``designs/cli/__init__.py``."""
    unmarked = []
    for room in ROOMS:
        for path in sorted((REPO_ROOT / room).rglob("*.py")):
            rel = path.relative_to(REPO_ROOT).as_posix()
            if rel.startswith("designs/cli/"):
                continue
            lines = path.read_text().splitlines()
            for fn in ast.walk(ast.parse("\n".join(lines))):
                if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    unmarked += [f"{rel}:{st.lineno}" for st in ast.walk(fn)
                                 if isinstance(st, (ast.Import, ast.ImportFrom))
                                 and "# lazy:" not in "\n".join(lines[st.lineno - 1:st.end_lineno])]
    assert not unmarked, unmarked
    assert "lazy" in (REPO_ROOT / "designs" / "cli" / "__init__.py").read_text()
