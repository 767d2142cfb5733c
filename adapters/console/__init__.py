"""A terminal chat on the embedded database: a real adapter of the same core."""

from adapters.console.adapter import ConsoleAdapter

__all__ = ["ConsoleAdapter"]
