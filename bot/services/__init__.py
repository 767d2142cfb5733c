"""Use cases: each takes a unit of work, applies one change and re-evaluates."""
