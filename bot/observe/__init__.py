"""Running Vigil as a service: logs, metrics, health, supervised connections."""
