"""Exporting the review of a real analysed session: HTML, a readable PDF and the audio copies."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader
from pytestqt.qtbot import QtBot

from coach.core.session_store import SessionStore
from coach.review.model import HEADINGS
from coach.ui.review_view import ReviewView
from coach.ui.tasks import TaskRunner
from tests.ui.test_review_view import Built, build_analysed_session


@pytest.fixture(scope="module")
def exported_session(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build_analysed_session(tmp_path_factory.mktemp("export") / "sessions")


@pytest.fixture
def view(qtbot: QtBot, exported_session: Built) -> Iterator[ReviewView]:
    runner = TaskRunner()

    def no_player() -> object:
        raise AssertionError("exporting plays nothing")

    v = ReviewView(runner, SessionStore(exported_session.root), no_player)  # type: ignore[arg-type]
    qtbot.addWidget(v)
    v.resize(1040, 720)
    v.show()
    v.show_session(exported_session.folder)
    qtbot.waitUntil(lambda: v.loaded is not None and runner.is_idle(), timeout=20000)
    yield v
    runner.shutdown()


def _normalised(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_export_writes_html_pdf_and_audio(
    qtbot: QtBot, view: ReviewView, exported_session: Built, tmp_path: Path
) -> None:
    percents: list[int] = []
    view.exporter.progress.connect(lambda _text, p: percents.append(p))
    out = tmp_path / "report"
    with qtbot.waitSignal(view.exporter.finished, timeout=60000):
        view.export_to(out, include_audio=True)
    result = view.last_export
    assert result is not None and view.export_button.isEnabled()
    assert percents == sorted(percents) and percents[-1] == 100 and len(percents) >= 4

    html = result.html.read_text(encoding="utf-8")
    for heading in HEADINGS:
        assert heading.replace('"', "&quot;") in html or heading in html
    # Self-contained: every image is embedded, nothing points at a file or the network.
    images = re.findall(r'<img[^>]+src="([^"]+)"', html)
    assert images and all(src.startswith("data:image/png;base64,") for src in images)
    assert len(images) >= 1 + len(view.loaded.review.answers)  # type: ignore[union-attr]

    reader = PdfReader(str(result.pdf))
    text = _normalised(" ".join(page.extract_text() or "" for page in reader.pages))
    for heading in HEADINGS:
        assert heading in text, heading
    assert view.loaded is not None
    for answer in view.loaded.review.answers:
        assert answer.question in text
    assert any(page.images for page in reader.pages), "the charts are missing from the PDF"

    sources = [
        exported_session.folder / t.audio for q in view.loaded.session.questions for t in q.takes
    ]
    assert sorted(p.name for p in result.audio) == sorted(p.name for p in sources)
    for copy in result.audio:
        assert copy.read_bytes() == (exported_session.folder / copy.name).read_bytes()


def test_export_without_audio_and_to_an_unwritable_place(
    qtbot: QtBot, view: ReviewView, tmp_path: Path
) -> None:
    with qtbot.waitSignal(view.exporter.finished, timeout=60000):
        view.export_to(tmp_path / "plain", include_audio=False)
    assert view.last_export is not None and view.last_export.audio == ()
    assert not list((tmp_path / "plain").glob("*-audio"))

    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with qtbot.waitSignal(view.exporter.failed, timeout=60000) as failed:
        view.export_to(blocker / "report", include_audio=False)
    assert "Could not save the report" in failed.args[0]
    assert view.export_button.isEnabled() and not view.exporter.busy
    assert "Could not save the report" in view.status.text()


def test_export_draws_the_charts_stored_with_the_analyses(
    qtbot: QtBot, view: ReviewView, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The analysis worker stored each take's curves: exporting decodes no audio for them."""
    import coach.ui.report_export as report_export

    recomputed: list[Path] = []
    real = report_export.compute_trace
    monkeypatch.setattr(
        report_export, "compute_trace", lambda path, m=(): recomputed.append(path) or real(path, m)
    )
    with qtbot.waitSignal(view.exporter.finished, timeout=60000):
        view.export_to(tmp_path / "report", include_audio=False)
    assert view.last_export is not None and view.last_export.pdf.stat().st_size > 0
    assert recomputed == []
