"""The conversation as ``vigil run`` and the console use it: log records carry ids."""

from __future__ import annotations

import logging
import time

from bot.conversation import Conversation
from bot.messages import Incoming, Outgoing
from bot.observe.logs import log_context

log = logging.getLogger("vigil.conversation")


def _task_id(incoming: Incoming) -> object:
    if incoming.action is None:
        return None
    return incoming.action.args.get("task")


class ObservedConversation(Conversation):
    """``Conversation`` whose log records name the workspace, person and task handled.

    One INFO line per message or button press (what kind and how long it
    took, never what was typed).
    """

    def handle(self, incoming: Incoming) -> Outgoing:
        with log_context(workspace_id=incoming.workspace_id, person_id=incoming.person_id,
                         task_id=_task_id(incoming)):
            started = time.perf_counter()
            out = super().handle(incoming)
            what = (f"button {incoming.action.action}" if incoming.action is not None
                    else "message")
            log.info("%s handled in %.0f ms", what, (time.perf_counter() - started) * 1000)
            return out
