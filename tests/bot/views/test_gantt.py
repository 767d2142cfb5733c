"""The Gantt PNG: opened with PIL, its size and the health colours it must show."""

from __future__ import annotations

from PIL import Image
from views_data import build, request

from bot.views.gantt import gantt, gantt_file
from bot.views.gantt_draw import TODAY_COLOUR
from bot.views.gantt_layout import PALETTE


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    return tuple(int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


def _colours(path: str) -> set[tuple[int, int, int]]:
    with Image.open(path) as im:
        assert im.format == "PNG"
        return {c[:3] for _, c in im.convert("RGB").getcolors(maxcolors=1 << 20)}


def test_small_gantt_has_every_expected_colour(uow, tmp_path):
    with uow() as u:
        pf = build(u, "small")
        out = gantt(request(u, pf, "marcus"), out_path=tmp_path / "small.png")
    assert out.image_path == str(tmp_path / "small.png")
    assert "Timeline — all projects: 6 tasks" in out.text
    with Image.open(out.image_path) as im:
        width, height = im.size
    assert width == 1500 and 400 <= height <= 800
    colours = _colours(out.image_path)
    # critical (overdue, 30% filled), on track (20%), in review (80%), done (100%)
    for category in ("critical", "on_track", "review", "done"):
        assert _rgb(PALETTE[category][1]) in colours, category
    assert _rgb(TODAY_COLOUR) in colours


def test_large_gantt_grows_taller_and_stays_a_valid_photo(uow, tmp_path):
    with uow() as u:
        pf = build(u, "large")
        u.commit()
    with uow() as u:
        out = gantt(request(u, pf, "marcus"), out_path=tmp_path / "large.png")
    with Image.open(out.image_path) as im:
        width, height = im.size
    rows = 150 - 25 + 6  # open tasks + recently done on the chart, plus project headers
    assert height >= rows * 20  # every row keeps ~26 px: legible
    assert width + height < 10000 and height / width < 20  # a chat platform accepts it
    colours = _colours(out.image_path)
    for category in ("critical", "warning", "on_track", "done", "blocked"):
        assert _rgb(PALETTE[category][1]) in colours, category


def test_gantt_of_one_project_and_from_the_command_line(uow, tmp_path):
    with uow() as u:
        pf = build(u, "small")
        u.commit()
    with uow() as u:
        out = gantt(request(u, pf, "marcus"), "Payroll", out_path=tmp_path / "p.png")
    assert "Timeline — Payroll: 2 tasks" in out.text
    path = gantt_file(uow, "test:views", tmp_path / "cli.png", project="Acme")
    assert path.exists() and path.stat().st_size > 1000


def test_gantt_with_nothing_to_draw_says_so(uow, tmp_path):
    with uow() as u:
        pf = build(u, "empty")
        out = gantt(request(u, pf, "marcus"), out_path=tmp_path / "none.png")
    assert out.image_path is None and "no open tasks to draw" in out.text
