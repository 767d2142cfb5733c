"""Parents and dependencies between imported rows, and the order to create them in."""

from __future__ import annotations

from bot.dataio.convert import Row
from bot.dataio.reading import RowError


def link(rows: list[Row], errors: list[RowError]) -> None:
    """Resolve parent and dependency references: the source's id first, else a unique title."""
    by_ref: dict[str, Row] = {}
    by_title: dict[str, list[Row]] = {}
    for r in rows:
        for key in (r.ref, *r.aliases):
            if key is None:
                continue
            if key.lower() in by_ref and key == r.ref:
                errors.append(RowError(r.line, f"id '{r.ref}' is used again "
                                               f"(first on line {by_ref[key.lower()].line})"))
            by_ref.setdefault(key.lower(), r)
        by_title.setdefault(r.title.lower(), []).append(r)

    def find(r: Row, ref: str, what: str) -> Row | None:
        hit = by_ref.get(ref.lower())
        if hit is None:
            same = by_title.get(ref.lower(), [])
            hit = same[0] if len(same) == 1 else None
        if hit is None:
            errors.append(RowError(r.line, f"{what} '{ref}' is not a task of this file"))
        elif hit is r:
            errors.append(RowError(r.line, f"a task cannot be its own {what}"))
            return None
        return hit

    for r in rows:
        if r.parent and r.parent_row is None:
            r.parent_row = find(r, r.parent, "parent")
        r.dep_rows = [d for d in (find(r, ref, "dependency") for ref in r.depends_on) if d]


def order(rows: list[Row], errors: list[RowError]) -> list[Row]:
    """Parents and dependencies before the tasks that need them; a loop is an error."""
    done: set[int] = set()
    out: list[Row] = []
    for start in rows:
        if id(start) in done:
            continue
        path: list[Row] = []
        on_path: set[int] = set()
        stack: list[tuple[Row, int]] = [(start, 0)]
        while stack:
            r, i = stack.pop()
            needs = ([r.parent_row] if r.parent_row else []) + r.dep_rows
            if i == 0:
                path.append(r)
                on_path.add(id(r))
            if i < len(needs):
                stack.append((r, i + 1))
                nxt = needs[i]
                if id(nxt) in on_path:
                    lines = ", ".join(str(p.line) for p in path[path.index(nxt):])
                    errors.append(RowError(r.line, f"parent/dependency loop: lines {lines}"))
                    return []
                if id(nxt) not in done:
                    stack.append((nxt, 0))
                continue
            path.pop()
            on_path.discard(id(r))
            done.add(id(r))
            out.append(r)
    return out
