"""The "My questions" editor on a private data folder: CRUD, inline validation, import, export."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from coach import paths
from coach.core.bank import Question, load_bank, load_builtin_banks
from coach.core.custom_bank import CSV_COLUMNS, CUSTOM_BANK_FILE, CUSTOM_BANK_ID
from coach.core.settings import InterviewSettings
from coach.errors import DeviceError
from coach.ports import RecorderPort
from coach.ui.question_editor import QuestionEditor
from coach.ui.setup_view import SetupView
from coach.ui.tasks import TaskRunner


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("COACH_DATA_DIR", str(tmp_path / "data"))
    return paths.user_questions_dir()


def _editor(qtbot: QtBot, runner: TaskRunner, folder: Path) -> QuestionEditor:
    editor = QuestionEditor(runner, folder)
    qtbot.addWidget(editor)
    qtbot.waitUntil(runner.is_idle)
    return editor


def _fill(editor: QuestionEditor, text: str, listen: str = "a result\nwhat you did") -> None:
    editor.new_question()
    editor.text_edit.setPlainText(text)
    editor.category_box.setCurrentIndex(editor.category_box.findData("situational"))
    editor.subcategory_edit.setText("pressure")
    editor.difficulty_box.setCurrentText("hard")
    editor.answer_box.setValue(90)
    editor.star_check.setChecked(False)
    editor.listen_edit.setPlainText(listen)
    editor.follow_edit.setPlainText("What would you do differently?")
    editor.tips_edit.setPlainText("Keep it short")


def _save(qtbot: QtBot, editor: QuestionEditor, runner: TaskRunner) -> None:
    editor.save_button.click()
    qtbot.waitUntil(runner.is_idle)


def test_questions_are_added_changed_deleted_and_reloaded(
    qtbot: QtBot, runner: TaskRunner, folder: Path
) -> None:
    editor = _editor(qtbot, runner, folder)
    assert editor.question_list.count() == 0
    _fill(editor, "You have two deadlines on the same day. What do you do?")
    with qtbot.waitSignal(editor.banks_changed):
        _save(qtbot, editor, runner)
    assert editor.shown_errors() == {}
    saved = load_bank(folder / CUSTOM_BANK_FILE).questions
    assert len(saved) == 1
    q = saved[0]
    assert q.text == "You have two deadlines on the same day. What do you do?"
    assert (q.category, q.subcategory, q.difficulty, q.answer_seconds, q.star) == (
        "situational", "pressure", "hard", 90, False,
    )  # fmt: skip
    assert q.listen_for == ("a result", "what you did") and q.tips == ("Keep it short",)
    assert q.id.startswith("my-") and editor.id_edit.isReadOnly()

    editor.text_edit.setPlainText("You have three deadlines on the same day. What do you do?")
    editor.roles_list.item(0).setCheckState(editor.roles_list.item(0).checkState().Unchecked)
    healthcare = next(
        editor.roles_list.item(i)
        for i in range(editor.roles_list.count())
        if editor.roles_list.item(i).text() == "healthcare"
    )
    healthcare.setCheckState(healthcare.checkState().Checked)
    _save(qtbot, editor, runner)
    again = load_bank(folder / CUSTOM_BANK_FILE).questions
    assert [x.id for x in again] == [q.id]
    assert again[0].text.startswith("You have three") and again[0].roles == ("healthcare",)

    _fill(editor, "Tell me about a time you calmed an upset relative.")
    _save(qtbot, editor, runner)
    reopened = _editor(qtbot, runner, folder)  # a fresh editor reads what is on disk
    texts = [reopened.question_list.item(i).text() for i in range(reopened.question_list.count())]
    assert texts == [again[0].text, "Tell me about a time you calmed an upset relative."]

    reopened.question_list.setCurrentRow(0)
    assert reopened.text_edit.toPlainText() == again[0].text  # selecting fills the form
    reopened.delete_question(q.id)
    qtbot.waitUntil(runner.is_idle)
    left = load_bank(folder / CUSTOM_BANK_FILE).questions
    assert [x.text for x in left] == ["Tell me about a time you calmed an upset relative."]
    assert reopened.question_list.count() == 1


def test_validator_messages_are_shown_next_to_the_fields(
    qtbot: QtBot, runner: TaskRunner, folder: Path
) -> None:
    editor = _editor(qtbot, runner, folder)
    _fill(editor, "", listen="only one point")
    editor.follow_edit.clear()
    _save(qtbot, editor, runner)
    errors = editor.shown_errors()
    assert set(errors) >= {"text", "listen_for", "follow_ups"}
    assert "2 to 4" in errors["listen_for"]
    assert editor.field_errors["text"].isVisibleTo(editor)
    assert "Not saved" in editor.form_problem.text()
    assert not (folder / CUSTOM_BANK_FILE).exists()

    editor.text_edit.setPlainText("Why this ward?")
    editor.listen_edit.setPlainText("motivation\nknowledge of the ward")
    editor.follow_edit.setPlainText("What else?")
    _save(qtbot, editor, runner)
    assert editor.shown_errors() == {}
    assert (folder / CUSTOM_BANK_FILE).exists()


GOOD_ROW = [
    "csv-good", "Describe your best shift.", "behavioural", "easy", "120",
    "the situation | the result", "What made it good?", "any", "",
]  # fmt: skip
BAD_ROW = [
    "csv-bad", "A bad question.", "behavioural", "impossible", "120",
    "only one", "Why?", "any", "",
]  # fmt: skip


def _write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    return path


def test_importing_a_broken_csv_lists_the_problems(
    qtbot: QtBot, runner: TaskRunner, folder: Path, tmp_path: Path
) -> None:
    editor = _editor(qtbot, runner, folder)
    mixed = _write_csv(tmp_path / "Ward questions.csv", [list(CSV_COLUMNS), GOOD_ROW, BAD_ROW])
    with qtbot.waitSignal(editor.banks_changed):
        editor.import_file(mixed)
    qtbot.waitUntil(runner.is_idle)
    lines = editor.report_lines()
    assert editor.report_list.isVisibleTo(editor)
    bad = [line for line in lines if "csv-bad" in line]
    assert bad and all("line 3" in line for line in bad)  # the CSV row of the bad question
    assert any("difficulty" in line for line in bad) and any("listen_for" in line for line in bad)
    assert "Imported 1 question" in editor.status_label.text()
    imported = [p for p in folder.glob("*.toml") if p.name != CUSTOM_BANK_FILE]
    assert len(imported) == 1
    assert [q.id for q in load_bank(imported[0]).questions] == ["csv-good"]

    headerless = _write_csv(tmp_path / "no-header.csv", [GOOD_ROW])
    editor.import_file(headerless)
    qtbot.waitUntil(runner.is_idle)
    assert "Nothing was imported" in editor.status_label.text()
    assert any("header" in line for line in editor.report_lines())


@pytest.mark.parametrize("suffix", [".toml", ".csv"])
def test_export_round_trip(
    qtbot: QtBot, runner: TaskRunner, folder: Path, tmp_path: Path, suffix: str
) -> None:
    editor = _editor(qtbot, runner, folder)
    _fill(editor, "Tell me about a time you had to say =no= to a senior colleague.")
    _save(qtbot, editor, runner)
    _fill(editor, "-What would you do if a patient refused their medication?")
    _save(qtbot, editor, runner)
    mine = load_bank(folder / CUSTOM_BANK_FILE).questions

    dest = tmp_path / "out" / f"shared{suffix}"
    editor.export_to(dest)
    qtbot.waitUntil(runner.is_idle)
    assert dest.is_file() and str(dest) in editor.status_label.text()

    other = tmp_path / "other-user"
    friend = QuestionEditor(runner, other)
    qtbot.addWidget(friend)
    friend.import_file(dest)
    qtbot.waitUntil(runner.is_idle)
    [bank_file] = list(other.glob("*.toml"))
    back = load_bank(bank_file).questions

    def fields(q: Question) -> tuple[object, ...]:
        return (q.text, q.category, q.subcategory, q.difficulty, q.answer_seconds, q.star,
                q.listen_for, q.follow_ups, q.roles, q.tips)  # fmt: skip

    assert [fields(q) for q in back] == [fields(q) for q in mine]


def test_setup_screen_offers_saved_questions(
    qtbot: QtBot, runner: TaskRunner, folder: Path
) -> None:
    banks, _ = load_builtin_banks()

    def no_recorder(_name: str | None) -> RecorderPort:
        raise DeviceError("not used")

    view = SetupView(banks, runner, no_recorder, list, list, InterviewSettings(), folder)
    qtbot.addWidget(view)
    editor = view.bank_panel.open_question_editor()
    assert isinstance(editor, QuestionEditor)
    qtbot.waitUntil(runner.is_idle)
    _fill(editor, "What would you do on your first day here?")
    _save(qtbot, editor, runner)
    qtbot.waitUntil(lambda: view.bank_box.findData(CUSTOM_BANK_ID) > 0)
    view.bank_box.setCurrentIndex(view.bank_box.findData(CUSTOM_BANK_ID))
    assert view.chosen_questions()[0].text == "What would you do on your first day here?"
