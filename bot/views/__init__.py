"""Plain-text views of tasks and violation changes, shared by every platform."""
