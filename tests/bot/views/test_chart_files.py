"""Chat charts: '$' in titles stays text, files live in a private folder and go after sending."""

from __future__ import annotations

import stat
from pathlib import Path

from views_data import NOW, build, request

from bot.charts import chart_dir, discard_chart
from bot.services import tasks as task_svc
from bot.views.gantt import gantt


def test_a_title_with_dollar_signs_draws_the_chart(uow):
    with uow() as u:
        pf = build(u, "small")
        task_svc.create_task(u, pf.ws, NOW, pf.people["marcus"], r"Budget $\frac{$ and $x^2$",
                             owner_id=pf.people["marcus"])
        task_svc.create_task(u, pf.ws, NOW, pf.people["marcus"], r"Unclosed $\frac{",
                             owner_id=pf.people["marcus"])
        out = gantt(request(u, pf, "marcus"))
    assert out.image_path and Path(out.image_path).stat().st_size > 1000
    discard_chart(out.image_path)


def test_chat_charts_are_private_and_deleted_after_sending(uow, tmp_path):
    with uow() as u:
        pf = build(u, "small")
        out = gantt(request(u, pf, "marcus"))
    path = Path(out.image_path or "")
    assert path.parent == chart_dir()
    assert stat.S_IMODE(chart_dir().stat().st_mode) == 0o700  # nobody else can list or read
    discard_chart(path)
    assert not path.exists()
    mine = tmp_path / "keep.png"  # a file the user asked for (vigil gantt --out) stays
    mine.write_bytes(b"png")
    discard_chart(mine)
    assert mine.exists()
