"""Reading an export file: size and encoding checks, CSV records with their line numbers.

A byte-order mark (Excel, Notion) is dropped; quoted cells may hold commas and
line breaks; a file that is too big, binary, not UTF-8 or not well-formed is
refused with the reason, before anything else happens.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MAX_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class RowError:
    """One reason the file cannot be imported; ``line`` 0 is about the whole file."""

    line: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}" if self.line else self.reason


Record = tuple[int, list[str]]  # (line where the record starts, its cells)


def read_text(path: Path, max_bytes: int, errors: list[RowError]) -> str | None:
    """The file as text, or None with the reason in ``errors``."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        errors.append(RowError(0, f"cannot read {path}: {exc.strerror or exc}"))
        return None
    if size > max_bytes:
        errors.append(RowError(0, f"{path.name} is {size / 1024 / 1024:.2f} MB; the limit is "
                                  f"{max_bytes / 1024 / 1024:.0f} MB — split the file"))
        return None
    data = path.read_bytes()
    if b"\x00" in data:
        errors.append(RowError(0, f"{path.name} is not a CSV text file (it holds binary data)"))
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        errors.append(RowError(0, f"{path.name} is not UTF-8 text (byte {exc.start}); "
                                  "save it as 'CSV UTF-8'"))
        return None


def csv_records(text: str, name: str, errors: list[RowError]) -> list[Record]:
    """Every CSV record with the line it starts on; blank records are dropped."""
    records: list[Record] = []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    line = 1
    try:
        for cells in reader:
            if any(c.strip() for c in cells):
                records.append((line, cells))
            line = reader.line_num + 1
    except csv.Error as exc:
        errors.append(RowError(line, f"malformed CSV: {exc}"))
        return []
    if not records:
        errors.append(RowError(0, f"{name} is empty: it needs a header row and tasks"))
    return records


def json_document(text: str, name: str, errors: list[RowError]) -> Any:
    """The parsed JSON document, or None with the reason."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        errors.append(RowError(exc.lineno, f"{name} is not valid JSON: {exc.msg}"))
        return None


def looks_like_json(text: str) -> bool:
    return text.lstrip()[:1] in ("{", "[")
