"""Vigil's application layer: services, lifecycle, jobs, simulator, CLI."""
