"""Slack adapter: Bolt AsyncApp listeners, Block Kit rendering, the DM port, the runner."""
