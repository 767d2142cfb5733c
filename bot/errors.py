"""Errors a person can read: the message says what was wrong and nothing changed."""


class VigilError(ValueError):
    """Bad input or a refused action; the transaction is rolled back."""


class NotFound(VigilError):
    """A referenced task, person or project does not exist in this workspace."""
