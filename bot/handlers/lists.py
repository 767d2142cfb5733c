"""My Tasks (short form) and help."""

from __future__ import annotations

from bot.handlers.request import Request
from bot.messages import Outgoing, Section
from bot.views.replies import local_when
from engine.model import Severity, Task

HEALTH = {Severity.CRITICAL: "🔴", Severity.WARNING: "🟠", None: "🟢"}

HELP = """Here is what I understand (commands or plain words):
• add Send the Acme filing @sam by Friday #Acme p1 — a new task
  (also: every monday 9am, under #12, after #11, proof: photo)
• progress #14 60% — or "Acme filing is 60% done"
• done #14 — or "finished the Q3 filing"
• block #14 waiting for bank statements · unblock #14
• assign #14 @priya · due #14 next Monday · note #14 called the client
• show #14 · tasks · tasks @sam · tasks #Acme
• project add Acme @marcus due 31 Dec · people · role @sam manager · reports @sam to @marcus
• ooo until Friday backup @leo · settings · settings task.stalled.after 48h"""

EXAMPLES = ('I did not understand that. Try for example "add Send the Acme filing @sam by Friday", '
            '"Acme filing is 60% done", "done #14" or "what\'s on my plate?". Type help for more.')


def _worst(req: Request, tasks: list[Task]) -> dict[int, tuple[Severity | None, str]]:
    firing = req.uow.violations.firing(req.ws, task_ids=[t.id for t in tasks])
    worst: dict[int, tuple[Severity | None, str]] = {}
    for v in firing:
        sev = Severity(v.severity)
        current = worst.get(v.subject_id)
        if current is None or current[0] is None or sev.rank > current[0].rank:
            worst[v.subject_id] = (sev, v.rule_id.split(".", 1)[-1].replace("_", " "))
    return worst


def list_tasks(req: Request, owner: str | None, project: str | None) -> Outgoing:
    """Open tasks, most urgent first, with health colour, due date and progress."""
    if project:
        proj = req.project_ref(project)
        tasks = req.uow.tasks.list(req.ws, project_id=proj.id, active_only=True)
        title = f"Open tasks in {proj.name}"
    else:
        person = req.person_ref(owner) if owner else req.person
        tasks = req.uow.tasks.list(req.ws, owner_id=person.id, active_only=True)
        title = "Your open tasks" if person.id == req.person.id else f"{person.name}'s open tasks"
    tasks = [t for t in tasks if t.recurrence is None]
    if not tasks:
        return Outgoing.say(f"{title}: nothing open. 🎉")
    worst = _worst(req, tasks)
    far = req.now.replace(year=req.now.year + 100)

    def urgency(t: Task) -> tuple[int, object, int]:
        sev = worst.get(t.id, (None, ""))[0]
        return (-(sev.rank + 1) if sev else 0, t.due or far, t.number)

    lines = []
    for t in sorted(tasks, key=urgency)[:20]:
        sev, what = worst.get(t.id, (None, ""))
        due = local_when(req.workspace.calendar, req.tz, t.due)
        suffix = f" — {what}" if what else ""
        lines.append(f"{HEALTH[sev]} #{t.number} {t.title} · {t.progress}% · due {due}{suffix}")
    more = f"\n…and {len(tasks) - 20} more" if len(tasks) > 20 else ""
    return Outgoing((Section(f"{title} ({len(tasks)}):\n" + "\n".join(lines) + more),))


def help_text() -> Outgoing:
    return Outgoing.say(HELP)


def not_understood() -> Outgoing:
    return Outgoing.say(EXAMPLES)
