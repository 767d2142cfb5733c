"""engine/ is pure: no IO layers, no clock."""

from __future__ import annotations

import ast
from pathlib import Path

ENGINE = Path(__file__).resolve().parents[2] / "engine"
FORBIDDEN_MODULES = ("sqlalchemy", "storage", "bot", "adapters")
FORBIDDEN_CALLS = {("datetime", "now"), ("datetime", "utcnow"), ("time", "time"),
                   ("date", "today"), ("datetime", "today")}


def _violations(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        found += [f"{path.name}: imports {n}" for n in names
                  if n.split(".")[0] in FORBIDDEN_MODULES]
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", "")
            if (name, node.func.attr) in FORBIDDEN_CALLS:
                found.append(f"{path.name}: calls {name}.{node.func.attr}()")
    return found


def test_engine_is_pure():
    files = sorted(ENGINE.rglob("*.py"))
    assert files
    assert [v for f in files for v in _violations(f)] == []


def test_the_purity_check_would_catch_a_clock(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("import datetime\nfrom storage import db\nx = datetime.datetime.now()\n")
    assert len(_violations(bad)) == 2
