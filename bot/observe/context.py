"""The conversation as ``vigil run`` and the console use it: log records carry ids."""

from __future__ import annotations

from bot.conversation import Conversation
from bot.messages import Incoming, Outgoing
from bot.observe.logs import log_context


def _task_id(incoming: Incoming) -> object:
    if incoming.action is None:
        return None
    return incoming.action.args.get("task")


class ObservedConversation(Conversation):
    """``Conversation`` whose log records name the workspace, person and task handled."""

    def handle(self, incoming: Incoming) -> Outgoing:
        with log_context(workspace_id=incoming.workspace_id, person_id=incoming.person_id,
                         task_id=_task_id(incoming)):
            return super().handle(incoming)
