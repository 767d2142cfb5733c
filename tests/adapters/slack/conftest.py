"""Slack adapter fixtures (defined in slack_harness)."""

from slack_harness import conversation, fake, slack_fresh, slack_http

__all__ = ["conversation", "fake", "slack_fresh", "slack_http"]
