"""The content coach through the real window: Settings' language-model group, the review's
content prompts with ▶ moments, the answer view's STAR breakdown, the tailored-questions picker.

The answer is real speech: espeak-ng reads a STAR story (with a blaming sentence) and the
Whisper test model transcribes it. Content feedback comes from the rules engine here (these
tests are about the screens); the language model's mechanics are tested in tests/content.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from coach.analysis.worker import analyze_path
from coach.content.catalogue import CATALOGUE
from coach.content.tailored import Proposal
from coach.core.session import AskedQuestion, Take
from coach.core.session_store import SessionStore
from coach.core.settings import InterviewSettings
from coach.practice.content_coach import ContentCoach
from coach.ui.app_settings import load_settings, open_settings, update_settings
from coach.ui.language_model_group import NO_MODEL
from coach.ui.main_window import MainWindow
from coach.ui.tailored_dialog import NO_MODEL as NO_MODEL_TO_TAILOR
from tests.helpers.llm_models import smollm2_path
from tests.helpers.sound import RATE, SpeakerTap, coverage, load_16k
from tests.helpers.whisper_model import build_whisper_base

SHOTS = Path("/tmp/shots/contentapp")
QUESTION = "Tell me about a time you improved a process."
STORY = (
    "When I joined my last team, our releases took two full days. "
    "My task was to make them faster without breaking anything. "
    "Our manager never planned anything, so the delays were his fault. "
    "I automated the build and I wrote a deployment script for each service. "
    "As a result, we cut the release time by eighty percent."
)


def shot(widget: object, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    widget.grab().save(str(SHOTS / name))  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def story_take(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with q01-take1.flac (espeak-ng), its Whisper analysis and rules content."""
    folder = tmp_path_factory.mktemp("story")
    wav = folder / "story.wav"
    subprocess.run(["espeak-ng", "-s", "150", "-w", str(wav), STORY], check=True)
    audio, rate = sf.read(wav, dtype="float32")
    sf.write(folder / "q01-take1.flac", audio, rate, format="FLAC")
    model = build_whisper_base(tmp_path_factory.mktemp("whisper") / "base")
    analysis = analyze_path(str(folder / "q01-take1.flac"), "whisper", str(model))
    (folder / "q01-take1.analysis.json").write_text(json.dumps(analysis))
    ContentCoach(None).feedback_and_save(QUESTION, folder / "q01-take1.flac", analysis,
                                         behavioural=True)  # fmt: skip
    return folder


def story_session(story_take: Path) -> Path:
    """A finished session in the window's data folder holding the story take."""
    store = SessionStore(Path(str(load_data_dir())) / "sessions")
    session = store.create(
        InterviewSettings(), [AskedQuestion("q-process", QUESTION, "behavioural", star=True)],
        "Content practice",
    )  # fmt: skip
    folder = store.folder(session)
    for name in ("q01-take1.flac", "q01-take1.analysis.json", "q01-take1.content.json"):
        shutil.copy(story_take / name, folder / name)
    duration = sf.info(folder / "q01-take1.flac").duration
    session.questions[0].takes.append(
        Take(audio="q01-take1.flac", duration_s=duration, started_at="2024-05-01T10:00:00",
             analysis="q01-take1.analysis.json")
    )  # fmt: skip
    store.finish(session)
    return folder


def load_data_dir() -> Path:
    from coach import paths

    return paths.data_dir()


@pytest.fixture(scope="module")
def smollm2() -> Path:
    return smollm2_path()


@pytest.fixture
def no_model_afterwards() -> Iterator[None]:
    """The test ini is shared by the process: leave no language model set for other tests."""
    yield
    update_settings(open_settings(), llm_model=None)


def test_review_shows_content_prompts_with_quotes_and_plays_the_moment(
    qtbot: QtBot, window: MainWindow, story_take: Path, tmp_path: Path
) -> None:
    folder = story_session(story_take)
    transcript = json.loads((folder / "q01-take1.analysis.json").read_text())["transcript"]
    window.show_review(folder)
    view = window.review_view
    view.resize(1100, 900)
    qtbot.waitUntil(lambda: view.loaded is not None and window.runner.is_idle(), timeout=30000)
    assert view.loaded is not None
    view.show_summary()
    qtbot.wait(200)
    shot(view, "review-summary.png")
    ids = {s.heading: [p.id for p in s.prompts] for s in view.loaded.review.sections}
    assert all(any(i.startswith("content.") for i in found) for found in ids.values()), ids
    assert all("aggressive.blame" not in found for found in ids.values()), "superseded"
    content = [(b, m) for b, m in view.moment_buttons if m.label.startswith("“")]
    assert content, "content quotes come with ▶ moments"
    for _, m in content:
        assert m.label[1:-1] in transcript, f"not verbatim: {m.label}"
    reasons = [e.reason for s in view.loaded.review.sections for p in s.prompts
               for e in p.evidence if e.metric.startswith("content.")]  # fmt: skip
    assert reasons and all("the built-in rules" in r for r in reasons), "engine named"
    blame = next((b, m) for b, m in content if "fault" in m.label or "never" in m.label)
    for n, box in enumerate(view.section_boxes.values(), start=1):
        shot(box, f"review-content-section{n}.png")
    view.scroll_area.ensureWidgetVisible(blame[0])
    qtbot.wait(100)

    button, moment = blame
    take = load_16k(folder / "q01-take1.flac")
    start = int(moment.start_s * RATE)
    end = int((moment.end_s or moment.start_s + 3) * RATE)
    with SpeakerTap(tmp_path / "tap.raw") as tap:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        qtbot.wait(2500)
        view.stop_playback()
        qtbot.wait(500)
    heard = tap.samples()
    said = take[start:end]
    assert said.size > RATE and float(np.sqrt(np.mean(heard**2))) > 0.005, "something played"
    assert coverage(said[: min(said.size, 2 * RATE)], heard) > 0.5, "the quoted moment played"


def test_answer_view_shows_star_sentences_with_labels_improvement_and_outline(
    qtbot: QtBot, window: MainWindow, story_take: Path
) -> None:
    folder = story_session(story_take)
    window.show_review(folder)
    view = window.review_view
    view.resize(1100, 1000)
    qtbot.waitUntil(lambda: view.loaded is not None and window.runner.is_idle(), timeout=30000)
    view.open_answer(0)
    panel = view.answer_view.content_panel
    qtbot.waitUntil(lambda: panel.content is not None, timeout=10000)
    text = panel.toPlainText()
    assert "the built-in rules" in text
    for label in ("Situation", "Task", "Action", "Result", "Blame"):
        assert label in text, f"{label} is written, not only coloured"
    assert "better outline" in text.lower() and "One improvement" in text
    assert "href='t:" in panel.toHtml() or 'href="t:' in panel.toHtml(), "sentences play"
    shot(view, "answer-view-star.png")
    panel.resize(900, 700)
    shot(panel, "answer-view-content-panel.png")


def test_settings_language_model_group(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, smollm2: Path, no_model_afterwards: None
) -> None:
    dialog = window.history_features.open_settings()
    qtbot.waitUntil(dialog.isVisible)
    group = dialog.llm_group
    assert group.status.text() == NO_MODEL and group.path() is None
    for key, choice in CATALOGUE.items():
        assert choice.licence in group.buttons[key].text()
    assert not group.panel.isVisible(), "nothing downloads by itself"
    dialog.resize(720, 1000)
    shot(dialog, "settings-language-model.png")

    not_a_model = tmp_path / "notes.gguf"
    not_a_model.write_text("not a model")
    group.pick_file = lambda: not_a_model
    group.file_button.click()
    assert str(not_a_model) in group.status.text() and "rules" in group.status.text()
    assert group.path() is None

    group.pick_file = lambda: smollm2
    group.file_button.click()
    assert group.path() == str(smollm2)
    dialog.accept()
    assert load_settings(open_settings()).llm_model == str(smollm2)
    coach = window.history_features.services.content
    assert coach.model_path == smollm2, "the running app follows the new choice"
    group.set_path(None)


def test_tailored_questions_without_a_model_offer_nothing(qtbot: QtBot, window: MainWindow) -> None:
    panel = window.setup_view.job_panel
    panel.set_description("Warehouse supervisor. Lead a team of ten, plan stock counts.")
    panel.suggest_questions()
    dialog = panel.tailor_dialog
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.status.text() == NO_MODEL_TO_TAILOR
    assert not dialog.suggest_button.isEnabled() and dialog.list.count() == 0
    dialog.reject()


def test_tailored_questions_from_the_real_model_are_valid_and_ticked_ones_are_asked_first(
    qtbot: QtBot, window: MainWindow, smollm2: Path
) -> None:
    coach = ContentCoach(smollm2)
    panel = window.setup_view.job_panel
    panel.engine_provider = coach.engine
    panel.set_description(
        "Warehouse supervisor\nLead a team of ten pickers, plan weekly stock counts, keep "
        "safety records and report to the operations manager."
    )
    try:
        panel.suggest_questions()
        dialog = panel.tailor_dialog
        qtbot.waitUntil(dialog.isVisible)
        dialog.suggest()
        qtbot.waitUntil(lambda: not dialog.bar.isVisible(), timeout=240000)
    finally:
        coach.close()
    assert len(dialog.proposals) <= 8
    for p in dialog.proposals:  # whatever the tiny model wrote, only valid questions are shown
        assert p.text.endswith("?") and p.text.count("?") == 1
    assert "smollm2" in dialog.status.text().lower() or "SmolLM2" in dialog.status.text()

    dialog.resize(700, 420)
    shot(dialog, "tailored-questions-real-model.png")
    bank_question = panel.bank_texts()[0]
    dialog._proposed([
        Proposal("How would you plan a weekly stock count for ten pickers?"),
        Proposal(bank_question, duplicate_of=bank_question),
    ])  # fmt: skip
    dialog.resize(700, 420)
    shot(dialog, "tailored-questions.png")
    assert dialog.list.item(1).checkState() == Qt.CheckState.Unchecked, "near-duplicate unticked"
    dialog.accept()
    s = window.setup_view
    s.source_tabs.setCurrentWidget(panel)
    first = s.chosen_questions()[0]
    assert first.text == "How would you plan a weekly stock count for ten pickers?"
    assert all(q.text != bank_question or q.bank_id != "tailored" for q in s.chosen_questions())


def test_the_outline_marks_what_the_story_is_missing_and_parts_are_labelled_in_words() -> None:
    from coach.content.rules import rules_feedback
    from coach.ui.content_panel import content_html

    story = (
        "At my last job the onboarding was pretty messy. "
        "I rewrote the onboarding guide and I set up a buddy system."
    )
    feedback = rules_feedback(QUESTION, story, behavioural=True).to_dict()
    page = content_html(feedback)
    assert "missing: " in page, "the outline shows the gaps to fill"
    assert re.search(r"STAR breakdown</b> \(missing: [A-Za-z, ]*Result\)", page), "no result"
    assert "the built-in rules" in page
    assert content_html(rules_feedback(QUESTION, "").to_dict()).count("Not measured") == 1


def test_settings_downloads_the_chosen_model_with_progress_and_checks_it(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, smollm2: Path,
    monkeypatch: pytest.MonkeyPatch, no_model_afterwards: None,
) -> None:  # fmt: skip
    """The real local range server serves the SmolLM2 file under the catalogue's URL layout;
    the default entry is swapped for one with that file's true size and SHA-256."""
    import dataclasses
    import hashlib

    from coach.content import catalogue
    from tests.helpers.range_server import RangeServer

    key = catalogue.DEFAULT_LLM
    data = smollm2.read_bytes()
    choice = dataclasses.replace(catalogue.CATALOGUE[key], file="smol.gguf", size_bytes=len(data),
                                 sha256=hashlib.sha256(data).hexdigest())  # fmt: skip
    served = tmp_path / "hub" / choice.repo / "resolve" / choice.revision / choice.file
    served.parent.mkdir(parents=True)
    served.write_bytes(data)
    monkeypatch.setitem(catalogue.CATALOGUE, key, choice)
    with RangeServer(tmp_path / "hub") as server:
        monkeypatch.setenv("COACH_MODEL_BASE_URL", server.url)
        dialog = window.history_features.open_settings()
        group = dialog.llm_group
        group.buttons[key].setChecked(True)
        group.download_button.click()
        assert group.panel.isVisible() and not group.download_button.isEnabled()
        qtbot.waitUntil(lambda: group.path() is not None, timeout=120000)
    expected = window.data_dir / "models" / "llm" / "smol.gguf"
    assert group.path() == str(expected) and expected.read_bytes() == data
    assert "downloaded and checked" in group.panel.message.text()
    dialog.accept()
    assert load_settings(open_settings()).llm_model == str(expected)
