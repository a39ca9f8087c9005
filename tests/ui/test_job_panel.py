"""Tailoring to a job on the three real postings: terms, role guess, and fitting questions."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from coach.core.bank import Question
from coach.ui.job_panel import JobPanel
from coach.ui.setup_view import SetupView
from coach.ui.tasks import TaskRunner

POSTINGS = Path(__file__).resolve().parents[1] / "data" / "postings"
CASES = [
    ("registered_nurse.txt", {"healthcare"}),
    ("software_engineer.txt", {"software"}),
    ("retail_supervisor.txt", {"retail-hospitality", "manager"}),
]


@pytest.fixture
def view(setup_view: SetupView) -> SetupView:
    setup_view.source_tabs.setCurrentWidget(setup_view.job_panel)
    return setup_view


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", text.lower()))


def _fits(question: Question, roles: set[str]) -> bool:
    return "any" in question.roles or bool(roles & set(question.roles))


@pytest.mark.parametrize(("posting", "roles"), CASES)
def test_posting_gives_terms_role_and_questions_that_fit(
    qtbot: QtBot, view: SetupView, runner: TaskRunner, posting: str, roles: set[str]
) -> None:
    panel = view.job_panel
    panel.load_file(POSTINGS / posting)  # read on the disk lane, then analysed on its lane
    qtbot.waitUntil(lambda: panel.terms_list.count() > 0 and runner.is_idle(), timeout=20000)

    text = (POSTINGS / posting).read_text(encoding="utf-8")
    assert panel.description_edit.toPlainText().strip() == text.strip()
    terms = panel.job_terms()
    assert len(terms) >= 5
    posting_words = _words(text)
    for term in terms:  # every term is taken from this posting, not invented
        assert _words(term) <= posting_words, term
    assert panel.job_role() in roles
    assert panel.role_box.currentText() != "No particular role"

    view.count_box.setValue(6)
    with qtbot.waitSignal(view.start_requested) as signal:
        view.start_button.click()
    questions, settings, title = signal.args
    assert len(questions) == 6
    assert all(_fits(q, roles) for q in questions)
    role_specific = [q for q in questions if roles & set(q.roles)]
    assert len(role_specific) >= len(questions) // 2, "most questions should be for the role"
    assert view.job_terms() == terms
    assert view.job_role() == panel.job_role()
    assert view.job_description() == text.strip()
    assert title == text.splitlines()[0].strip()[:60] or title.endswith("…")
    assert settings.question_count == 6


def test_pasted_advert_is_analysed_when_start_is_pressed(
    qtbot: QtBot, view: SetupView, runner: TaskRunner
) -> None:
    nurse = (POSTINGS / "registered_nurse.txt").read_text(encoding="utf-8")
    view.job_panel.set_description(nurse)
    assert view.job_panel.needs_analysis()
    with qtbot.waitSignal(view.start_requested, timeout=20000) as signal:
        view.start_button.click()
    questions = signal.args[0]
    assert view.job_role() == "healthcare"
    assert any("healthcare" in q.roles for q in questions)
    assert all(_fits(q, {"healthcare"}) for q in questions)


def test_terms_can_be_added_edited_and_removed(
    qtbot: QtBot, view: SetupView, runner: TaskRunner
) -> None:
    panel = view.job_panel
    panel.set_description((POSTINGS / "software_engineer.txt").read_text(encoding="utf-8"))
    panel.find_button.click()
    qtbot.waitUntil(lambda: panel.terms_list.count() > 0 and runner.is_idle(), timeout=20000)
    before = panel.job_terms()

    panel.term_input.setText("  incident   response ")
    panel.add_button.click()
    assert panel.job_terms()[-1] == "incident response"
    panel.add_term("Incident Response")  # same term again: not duplicated
    assert panel.job_terms().count("incident response") == 1

    panel.terms_list.item(0).setText("distributed systems")  # as an in-place edit does
    assert panel.job_terms()[0] == "distributed systems"
    panel.terms_list.item(1).setText("   ")  # emptied by the user: removed
    assert before[1] not in panel.job_terms()

    panel.terms_list.setCurrentRow(0)
    panel.remove_button.click()
    assert "distributed systems" not in panel.job_terms()
    assert view.job_terms() == panel.job_terms()


def test_choosing_another_role_overrides_the_guess(
    qtbot: QtBot, view: SetupView, runner: TaskRunner
) -> None:
    panel = view.job_panel
    panel.set_description((POSTINGS / "retail_supervisor.txt").read_text(encoding="utf-8"))
    panel.find_terms()
    qtbot.waitUntil(lambda: panel.terms_list.count() > 0 and runner.is_idle(), timeout=20000)
    assert len(panel.job_roles()) >= 1
    panel.role_box.setCurrentIndex(panel.role_box.findData("teaching"))
    assert panel.job_roles() == ["teaching"]
    with qtbot.waitSignal(view.start_requested) as signal:
        view.start_button.click()
    assert all(_fits(q, {"teaching"}) for q in signal.args[0])


def test_docx_advert_is_read(qtbot: QtBot, tmp_path: Path, runner: TaskRunner) -> None:
    import docx

    document = docx.Document()
    for line in (POSTINGS / "registered_nurse.txt").read_text(encoding="utf-8").splitlines():
        document.add_paragraph(line)
    path = tmp_path / "nurse.docx"
    document.save(str(path))
    panel = JobPanel(runner)
    qtbot.addWidget(panel)
    panel.load_file(path)
    qtbot.waitUntil(lambda: panel.terms_list.count() > 0 and runner.is_idle(), timeout=20000)
    assert panel.job_role() == "healthcare"


def test_unreadable_file_and_clear(qtbot: QtBot, tmp_path: Path, runner: TaskRunner) -> None:
    panel = JobPanel(runner)
    qtbot.addWidget(panel)
    bad = tmp_path / "advert.odt"
    bad.write_bytes(b"PK\x03\x04 not an advert")
    panel.load_file(bad)
    qtbot.waitUntil(runner.is_idle)
    assert ".docx" in panel.status_label.text()  # the message says which files work
    assert not panel.has_job()

    panel.set_description("Data analyst\nBuild SQL dashboards and statistics reports.")
    panel.find_terms()
    qtbot.waitUntil(lambda: runner.is_idle() and panel.terms_list.count() > 0)
    assert panel.has_job() and panel.job_role() == "data"
    panel.clear()
    assert not panel.has_job()
    assert panel.job_terms() == [] and panel.job_description() == "" and panel.job_role() == ""
