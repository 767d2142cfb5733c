"""Exceptions raised by the storage layer."""

from __future__ import annotations


class StorageError(Exception):
    """Base class of every storage error."""


class NotFound(StorageError, LookupError):
    """The row does not exist in this workspace."""


class InvalidReference(StorageError, ValueError):
    """A referenced id does not exist in the same workspace."""


class Duplicate(StorageError, ValueError):
    """A value that must be unique in the workspace is already taken."""
