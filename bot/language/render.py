"""Serialisation for `vigil parse … --json` (DESIGN.md §8)."""

from __future__ import annotations

import json

from bot.language.model import ParsedIntent


def intent_json(parsed: ParsedIntent) -> str:
    """One JSON object, keys in the §8 order (intent, task, title, owner, due, …), nulls kept."""
    return json.dumps(parsed.as_json(), ensure_ascii=False)

