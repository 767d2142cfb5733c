"""The project's packages import each other without circles.

Module-level imports count, including those under ``if TYPE_CHECKING:``
(a circle that only the type checker walks is still a circle in the design);
imports inside functions are deliberate late bindings (the CLI's commands)
and do not.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("adapters", "bot", "engine", "storage")


def _modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


def _module_level(tree: ast.Module) -> list[ast.stmt]:
    statements: list[ast.stmt] = []
    pending: list[ast.stmt] = list(tree.body)
    while pending:
        node = pending.pop()
        statements.append(node)
        if isinstance(node, ast.If | ast.Try):
            pending.extend(node.body)
            pending.extend(node.orelse)
    return statements


def _imports(node: ast.stmt, modules: dict[str, Path]) -> set[str]:
    if isinstance(node, ast.Import):
        return {a.name for a in node.names if a.name in modules}
    if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
        targets = set()
        for alias in node.names:
            sub = f"{node.module}.{alias.name}"
            targets.add(sub if sub in modules else node.module)
        return {t for t in targets if t in modules}
    return set()


def _parent_packages(name: str, targets: set[str], modules: dict[str, Path]) -> set[str]:
    """Importing ``a.b.c`` first runs ``a/b/__init__.py``: from outside package ``a.b``
    that is an import of the package too (from inside it, the package is already
    being initialised, so it is not)."""
    parents = set()
    for target in targets:
        parts = target.split(".")
        for cut in range(1, len(parts)):
            package = ".".join(parts[:cut])
            if package in modules and not (name == package or name.startswith(package + ".")):
                parents.add(package)
    return parents


def import_graph() -> dict[str, set[str]]:
    """Module -> the project modules it imports at module level."""
    modules = _modules()
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        edges: set[str] = set()
        for node in _module_level(tree):
            edges |= _imports(node, modules)
        edges |= _parent_packages(name, edges, modules)
        edges.discard(name)
        graph[name] = edges
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    found.append(sorted(group))
    return found


def test_the_detector_sees_a_circle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]


def test_a_package_init_counts_for_importers_from_outside() -> None:
    modules = {m: Path() for m in ("p", "p.a", "p.b", "q")}
    assert _parent_packages("q", {"p.a"}, modules) == {"p"}
    assert _parent_packages("p.b", {"p.a"}, modules) == set()


def test_no_module_level_import_circles() -> None:
    assert cycles(import_graph()) == []
