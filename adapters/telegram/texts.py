"""What Vigil says on Telegram outside the core's replies: the command menu and onboarding."""

from __future__ import annotations

MAX_ANSWER = 200  # answerCallbackQuery text limit

COMMANDS: tuple[tuple[str, str], ...] = (
    ("add", "Add a task: /add Send the Acme filing by Friday"),
    ("done", "Finish a task: /done #12"),
    ("progress", "Report progress: /progress #12 50%"),
    ("block", "Mark blocked: /block #12 waiting for statements"),
    ("unblock", "Unblock a task: /unblock #12"),
    ("assign", "Give a task to someone: /assign #12 @sam"),
    ("due", "Move a deadline: /due #12 next Friday"),
    ("note", "Add a note: /note #12 called the bank"),
    ("show", "Show a task: /show #12"),
    ("tasks", "My tasks, most urgent first"),
    ("board", "Kanban board"),
    ("gantt", "Timeline picture"),
    ("team", "Team portfolio (managers)"),
    ("standup", "Standup summary"),
    ("project", "Add a project: /project add Name @manager"),
    ("people", "Who is in this workspace"),
    ("role", "Set a role: /role @sam manager"),
    ("reports", "Reporting line: /reports @sam to @priya"),
    ("ooo", "Out of office: /ooo until Friday backup @sam"),
    ("settings", "Workspace settings"),
    ("invite", "Link for teammates to join"),
    ("start", "Set Vigil up in this group"),
    ("help", "What I understand"),
)

ONBOARDING_GROUP = (
    "Hi! This group is not a Vigil workspace yet. An admin of this group sends /start here "
    "to set it up — whoever does becomes Vigil's admin for the group."
)
ONBOARDING_PRIVATE = (
    "Hi! I'm Vigil: I keep track of your team's tasks and tell the right person when work "
    "slips.\n\nTo begin, add me to your team's Telegram group and send /start there, or open "
    "the invite link a teammate shares (/invite in the group prints it)."
)
PROOF_HELP = (
    "Which task is this proof for? Send the photo or file again with a caption like "
    "'#12 done', or as a reply to the task's message."
)
NOT_MEMBER = "You are not a member of this workspace, so that button is not yours to press."
NOT_MEMBER_GROUP = ("You are not in this workspace yet: write to me here once (for example "
                    "/tasks) to join, then press again.")
