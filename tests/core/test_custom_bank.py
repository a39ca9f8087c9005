"""The user's own questions: CRUD, TOML/CSV import and export, hostile files."""

from __future__ import annotations

import csv
import dataclasses
from pathlib import Path

import pytest

from coach.core.bank import Question, load_bank, load_banks
from coach.core.bank_problems import BankFileError
from coach.core.custom_bank import CSV_COLUMNS, CustomBank, export_bank, import_bank_file
from coach.errors import BankError

BANKS = Path(__file__).resolve().parents[1] / "data" / "banks"

MINE = Question(
    id="",
    text="Tell me about a time you calmed down an upset customer.",
    category="behavioural",
    difficulty="medium",
    answer_seconds=120,
    listen_for=("A specific customer and problem", "What you said and did", "The outcome"),
    follow_ups=("What would you do if they were still unhappy?",),
    roles=("retail-hospitality", "customer-service"),
    star=True,
    tips=("Keep it short.",),
)


def test_add_edit_delete_persist_as_a_valid_bank(tmp_path: Path) -> None:
    bank = CustomBank(tmp_path)
    assert bank.questions() == []
    added = bank.add(MINE)
    assert added.id.startswith("my-") and added.bank_id == "my-questions"
    second = bank.add(dataclasses.replace(MINE, text="Why do you want to work in retail?"))
    assert second.id != added.id
    bank.update(dataclasses.replace(added, text="Describe an upset customer you helped."))
    bank.delete(second.id)
    reloaded = CustomBank(tmp_path).questions()  # a fresh object reads the file
    assert [q.text for q in reloaded] == ["Describe an upset customer you helped."]
    assert reloaded[0].roles == MINE.roles and reloaded[0].star
    # The saved file is an ordinary bank the app loads next to the built-in ones.
    banks, problems = load_banks([tmp_path])
    assert [b.id for b in banks] == ["my-questions"]
    assert not [p for p in problems if p.severity == "error"]


def test_invalid_or_unknown_questions_are_refused_with_the_bank_message(tmp_path: Path) -> None:
    bank = CustomBank(tmp_path)
    with pytest.raises(BankFileError, match=r"answer_seconds.*outside 15\.\.300"):
        bank.add(dataclasses.replace(MINE, answer_seconds=5))
    with pytest.raises(BankFileError, match=r"text.*must not be empty"):
        bank.add(dataclasses.replace(MINE, text="  "))
    assert bank.questions() == []  # nothing half-saved
    added = bank.add(MINE)
    with pytest.raises(BankError, match="already exists"):
        bank.add(dataclasses.replace(MINE, id=added.id))
    with pytest.raises(BankError, match="no question"):
        bank.update(dataclasses.replace(MINE, id="my-unknown"))
    with pytest.raises(BankError, match="no question"):
        bank.delete("my-unknown")


def test_toml_export_import_round_trip(tmp_path: Path) -> None:
    source = load_bank(BANKS / "valid.toml")
    exported = export_bank(source.questions, tmp_path / "export" / "team-bank.toml")
    assert load_bank(exported).questions == tuple(
        dataclasses.replace(q, bank_id="team-bank") for q in source.questions
    )
    dest = tmp_path / "user"
    imported, problems = import_bank_file(exported, dest)
    assert [q.text for q in imported.questions] == [q.text for q in source.questions]
    assert imported.path.parent == dest and load_bank(imported.path).id == imported.id
    # Importing the same file again never overwrites: ids get a suffix, with warnings.
    again, problems = import_bank_file(exported, dest)
    assert again.id != imported.id and again.path != imported.path
    assert {q.id for q in again.questions}.isdisjoint(q.id for q in imported.questions)
    assert problems and all(p.severity == "warning" for p in problems)


def test_csv_export_import_round_trip_keeps_every_field(tmp_path: Path) -> None:
    source = load_bank(BANKS / "valid.toml").questions
    exported = export_bank(source, tmp_path / "bank.csv")
    with exported.open(newline="", encoding="utf-8") as handle:
        header = next(csv.reader(handle))
    assert tuple(header[: len(CSV_COLUMNS)]) == CSV_COLUMNS
    imported, problems = import_bank_file(exported, tmp_path / "user")
    assert not [p for p in problems if p.severity == "error"]
    strip = [dataclasses.replace(q, id="", bank_id="") for q in imported.questions]
    assert strip == [dataclasses.replace(q, id="", bank_id="") for q in source]


def test_formula_cells_are_text_inside_and_neutralised_on_export(tmp_path: Path) -> None:
    evil = dataclasses.replace(
        MINE,
        id="my-evil",
        text="=cmd|' /C calc'!A0 what do you say to this?",
        tips=("@SUM(1+1)",),
        listen_for=("+1 for honesty", "-2 for blame"),
    )
    bank = CustomBank(tmp_path / "user")
    stored = bank.add(evil)
    assert stored.text.startswith("=cmd")  # stored as plain text, nothing evaluated
    out = export_bank([stored], tmp_path / "evil.csv")
    with out.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    cells = [cell for row in rows[1:] for cell in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@")], cells
    assert "'=cmd" in rows[1][1]
    back, _ = import_bank_file(out, tmp_path / "other")
    assert back.questions[0].text == stored.text
    assert back.questions[0].tips == ("@SUM(1+1)",)
    assert back.questions[0].listen_for == ("+1 for honesty", "-2 for blame")


def _write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    return path


GOOD_ROW = [
    "imp-01", "What motivates you at work?", "motivation", "easy", "90",
    "Specific motivators | Link to the job", "Can you give an example?", "any", "",
]  # fmt: skip


def test_csv_problems_point_at_rows_and_bad_rows_are_skipped(tmp_path: Path) -> None:
    bad_row = list(GOOD_ROW)
    bad_row[0], bad_row[4], bad_row[2] = "imp-02", "ninety", "hobbies"
    path = _write_csv(tmp_path / "mixed.csv", [list(CSV_COLUMNS), GOOD_ROW, [""] * 9, bad_row])
    bank, problems = import_bank_file(path, tmp_path / "user")
    assert [q.id for q in bank.questions] == ["imp-01"]
    errors = [p for p in problems if p.severity == "error"]
    assert {p.field for p in errors} == {"answer_seconds", "category"}
    assert {p.line for p in errors} == {4}  # CSV line of the bad row (after a blank row)
    assert all(str(p.path) == str(path) for p in errors)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"question,answer\nhello,world\n", "header"),
        (",".join(CSV_COLUMNS).encode() + b'\n"unclosed,x\n', "CSV|no usable"),
        (b"\xff\xfe\x00bad bytes", "UTF-8"),
        (b"", "header"),
    ],
)  # fmt: skip
def test_broken_csv_files_are_rejected_with_a_message(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "broken.csv"
    path.write_bytes(content)
    with pytest.raises(BankFileError, match=message):
        import_bank_file(path, tmp_path / "user")
    assert not (tmp_path / "user").exists() or not list((tmp_path / "user").iterdir())


def test_huge_files_are_rejected_before_parsing(tmp_path: Path) -> None:
    huge = tmp_path / "huge.csv"
    with huge.open("w", encoding="utf-8") as handle:
        handle.write(",".join(CSV_COLUMNS) + "\n")
        handle.write(",".join(GOOD_ROW) + "\n")
        handle.write("x" * (3 * 1024 * 1024))
    with pytest.raises(BankFileError, match="limited to 2 MB"):
        import_bank_file(huge, tmp_path / "user")


@pytest.mark.parametrize("name", ["bad_toml.toml", "wrong_schema_version.toml"])
def test_broken_toml_banks_are_rejected_like_built_in_ones(tmp_path: Path, name: str) -> None:
    with pytest.raises(BankFileError) as caught:
        import_bank_file(BANKS / name, tmp_path / "user")
    assert caught.value.problems


def test_a_bad_question_in_a_toml_bank_is_skipped_and_reported(tmp_path: Path) -> None:
    bank, problems = import_bank_file(BANKS / "missing_field.toml", tmp_path / "user")
    assert [q.id for q in bank.questions] == ["test-missing-field-01"]
    errors = [p for p in problems if p.severity == "error"]
    assert [(p.question_id, p.field) for p in errors] == [("test-missing-field-02", "listen_for")]
    assert load_bank(bank.path).questions == bank.questions


def test_python_or_unknown_files_are_never_imported(tmp_path: Path) -> None:
    script = tmp_path / "bank.py"
    marker = tmp_path / "ran"
    script.write_text(f"open({str(marker)!r}, 'w').write('x')\n")
    with pytest.raises(BankError, match=r"\.toml or \.csv"):
        import_bank_file(script, tmp_path / "user")
    with pytest.raises(BankError, match=r"\.toml or \.csv"):
        export_bank([], tmp_path / "out.xlsx")
    assert not marker.exists()
