"""Every rule of DESIGN.md §4, one module each, registered by explicit id.

Importing this package registers them all; the list below is the catalogue.
"""

from engine.rules import overdue  # noqa: F401
from engine.rules.base import registry

__all__ = ["registry"]
