"""Item 6 of #13: recurring work starts as easily as it reads."""

from __future__ import annotations

from datetime import timedelta


def test_the_backup_defaults_to_the_owners_manager_and_can_be_changed(chat):
    chat.say("marcus", "invite Priya and Sam")
    chat.say("marcus", "Priya reports to me")
    out = chat.say("marcus", "every monday 9am: payroll check @priya")
    assert "Added #1 Payroll check" in out.text
    assert "🔁 Repeats every Monday at 09:00" in out.text
    assert "FREQ=" not in out.text
    assert "Backup: Marcus (Priya's manager), so it still happens when Priya is away." in out.text
    asked = chat.press("marcus", "Change backup", out)
    assert "Who should be the backup for #1 Payroll check?" in asked.text
    changed = chat.press("marcus", "Sam", asked)
    assert "Sam is now the backup for #1" in changed.text


def test_without_a_manager_vigil_asks_for_the_backup(chat):
    chat.say("marcus", "invite Priya and Sam")
    out = chat.say("marcus", "every monday 9am: payroll check @sam")
    assert "Added #1 Payroll check" in out.text and "Recurring work needs" not in out.text
    assert "Who should be the backup for #1 Payroll check?" in out.text
    assert "Priya" in [b.label for b in out.buttons]
    assert "Priya is now the backup for #1" in chat.say("marcus", "Priya").text


def test_the_help_example_works_for_the_speaker(chat):
    chat.say("marcus", "invite Sam")
    out = chat.say("marcus", "every Monday 9am: payroll check")
    assert "Added #1 Payroll check" in out.text and "owner Marcus" in out.text


def test_every_month_on_the_last_day_lands_on_the_last_day(chat):
    chat.say("marcus", "invite Priya")
    chat.say("marcus", "Priya reports to me")
    out = chat.say("marcus", "every month on the last day: close the books @priya")
    assert "🔁 Repeats every month on the last day" in out.text
    assert "next cycle starts Thu 31 Dec" in out.text


def test_cycles_without_a_time_start_inside_working_hours(chat):
    chat.say("marcus", "invite Sam")
    chat.clock.advance(timedelta(hours=-7, minutes=-22))  # set up at 02:08 at night
    out = chat.say("marcus", "every month on the last day: close the books @sam backup @marcus")
    assert "next cycle starts Thu 31 Dec 09:00" in out.text
