"""Question bank loading: real TOML files, including deliberately broken ones."""

from __future__ import annotations

import dataclasses
import difflib
import random
import shutil
from pathlib import Path

import pytest

from coach.core.bank import (
    CATEGORIES,
    DIFFICULTIES,
    ROLES,
    Bank,
    Question,
    load_bank,
    load_banks,
    load_builtin_banks,
    near_duplicates,
    normalise_text,
    questions_for,
)
from coach.core.bank_problems import BankFileError, BankProblem
from coach.core.bank_toml import MAX_FILE_BYTES
from coach.errors import BankError, CoachError

BANKS = Path(__file__).resolve().parents[1] / "data" / "banks"
VALID = BANKS / "valid.toml"


def _errors(problems: list[BankProblem]) -> list[BankProblem]:
    return [p for p in problems if p.severity == "error"]


def _question(
    qid: str, text: str, category: str = "general", roles: tuple[str, ...] = ("any",)
) -> Question:
    return Question(
        id=qid,
        text=text,
        category=category,
        difficulty="easy",
        answer_seconds=60,
        listen_for=("a", "b"),
        follow_ups=("c",),
        roles=roles,
    )


def test_valid_bank_loads_every_field_and_default() -> None:
    bank = load_bank(VALID)
    assert (bank.id, bank.title, bank.roles, bank.path) == (
        "test-valid",
        "Valid test bank",
        ("any",),
        VALID,
    )
    assert bank.description == "Two well-formed questions."
    first, second = bank.questions
    assert first == Question(
        id="test-valid-01",
        text="Tell me about a project you are proud of.",
        category="general",
        difficulty="easy",
        answer_seconds=90,
        listen_for=("A concrete project", "Their own contribution"),
        follow_ups=("What would you change about it now?",),
        bank_id="test-valid",
    )
    assert second.star is True
    assert second.subcategory == "conflict"
    assert second.roles == ("any", "manager")
    assert second.tips == ("Keep the tone neutral.",)
    assert len(second.follow_ups) == 2


# file, line, question id, field, words the message must contain
BROKEN = [
    ("bad_toml.toml", 9, None, None, "invalid TOML"),
    ("missing_field.toml", 16, "test-missing-field-02", "listen_for", "missing"),
    ("wrong_type.toml", 12, "test-wrong-type-01", "answer_seconds", "whole number"),
    ("empty_text.toml", 9, "test-empty-text-01", "text", "empty"),
    ("unknown_category.toml", 10, "test-unknown-category-01", "category", "'technical'"),
    ("wrong_schema_version.toml", 1, None, "schema_version", "not supported"),
]


@pytest.mark.parametrize(("name", "line", "question_id", "field", "words"), BROKEN)
def test_broken_file_names_file_line_question_and_field(
    name: str, line: int, question_id: str | None, field: str | None, words: str
) -> None:
    path = BANKS / name
    with pytest.raises(BankFileError) as caught:
        load_bank(path)
    error = caught.value
    assert isinstance(error, BankError) and isinstance(error, CoachError)
    (problem,) = _errors(error.problems)
    assert (problem.path, problem.line, problem.question_id, problem.field) == (
        path,
        line,
        question_id,
        field,
    )
    assert words in problem.message
    assert error.message == str(problem)
    assert str(problem).startswith(f"{path}:{line}: error: ")
    if question_id is not None:
        assert f"question '{question_id}' field '{field}': " in str(problem)


def test_toml_syntax_error_keeps_column_and_tomllib_reason() -> None:
    with pytest.raises(BankFileError) as caught:
        load_bank(BANKS / "bad_toml.toml")
    assert "column" in caught.value.problems[0].message


def test_one_bad_file_does_not_hide_the_good_banks(tmp_path: Path) -> None:
    for name in ("valid.toml", "bad_toml.toml", "wrong_schema_version.toml"):
        shutil.copy(BANKS / name, tmp_path / name)
    banks, problems = load_banks([tmp_path])
    assert [bank.id for bank in banks] == ["test-valid"]
    assert sorted(p.path.name for p in _errors(problems)) == [
        "bad_toml.toml",
        "wrong_schema_version.toml",
    ]


def test_lenient_loading_drops_only_the_invalid_question() -> None:
    banks, problems = load_banks([BANKS / "missing_field.toml"])
    (bank,) = banks
    assert [q.id for q in bank.questions] == ["test-missing-field-01"]
    assert [p.question_id for p in _errors(problems)] == ["test-missing-field-02"]


def test_duplicate_id_across_files_is_an_error_and_the_later_one_is_dropped() -> None:
    for name in ("a.toml", "b.toml"):
        load_bank(BANKS / "duplicates" / name)  # each file is valid on its own
    banks, problems = load_banks([BANKS / "duplicates"])
    (problem,) = problems
    assert problem.severity == "error"
    assert (problem.path.name, problem.line, problem.question_id, problem.field) == (
        "b.toml",
        17,
        "test-duplicates-shared",
        "id",
    )
    assert "a.toml" in problem.message
    by_bank = {bank.id: [q.id for q in bank.questions] for bank in banks}
    assert by_bank == {
        "test-duplicates-a": ["test-duplicates-a-own", "test-duplicates-shared"],
        "test-duplicates-b": ["test-duplicates-b-own"],
    }


def test_duplicate_id_within_one_file(tmp_path: Path) -> None:
    text = VALID.read_text(encoding="utf-8").replace('"test-valid-02"', '"test-valid-01"')
    path = tmp_path / "dup.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(BankFileError) as caught:
        load_bank(path)
    (problem,) = _errors(caught.value.problems)
    assert (problem.question_id, problem.field, problem.line) == ("test-valid-01", "id", 20)
    assert "line 11" in problem.message


def test_duplicate_bank_id_across_files_drops_the_later_bank(tmp_path: Path) -> None:
    shutil.copy(VALID, tmp_path / "a.toml")
    text = VALID.read_text(encoding="utf-8").replace('"test-valid-0', '"other-0')
    (tmp_path / "b.toml").write_text(text, encoding="utf-8")
    banks, problems = load_banks([tmp_path])
    assert [bank.path.name for bank in banks] == ["a.toml"]
    (problem,) = problems
    assert (problem.path.name, problem.line, problem.field) == ("b.toml", 5, "bank.id")
    assert "a.toml" in problem.message


def test_same_file_given_twice_is_loaded_once() -> None:
    banks, problems = load_banks([VALID, BANKS / "." / "valid.toml"])
    assert len(banks) == 1
    assert problems == []


def test_huge_file_is_rejected_before_parsing(tmp_path: Path) -> None:
    # A valid bank padded with comments: only the size check can reject it.
    line = "# padding line for the size limit test\n"
    padding = line * (MAX_FILE_BYTES // len(line) + 10)
    path = tmp_path / "huge.toml"
    path.write_text(VALID.read_text(encoding="utf-8") + padding, encoding="utf-8")
    assert path.stat().st_size > MAX_FILE_BYTES
    with pytest.raises(BankFileError) as caught:
        load_bank(path)
    (problem,) = caught.value.problems
    assert "2 MB" in problem.message
    assert problem.line is None


def test_file_just_under_the_limit_still_loads(tmp_path: Path) -> None:
    base = VALID.read_text(encoding="utf-8")
    path = tmp_path / "big.toml"
    path.write_text(base + "#" * (MAX_FILE_BYTES - len(base.encode()) - 1) + "\n", "utf-8")
    assert path.stat().st_size == MAX_FILE_BYTES
    assert load_bank(path).id == "test-valid"


def test_non_utf8_file_reports_the_line(tmp_path: Path) -> None:
    data = VALID.read_bytes().replace(b"proud of.", b"proud of \xe9.")
    path = tmp_path / "latin1.toml"
    path.write_bytes(data)
    with pytest.raises(BankFileError) as caught:
        load_bank(path)
    assert caught.value.problems[0].line == 12
    assert "UTF-8" in caught.value.problems[0].message


def test_misspelt_field_gives_missing_error_and_unknown_field_warning(tmp_path: Path) -> None:
    text = VALID.read_text(encoding="utf-8").replace(
        'follow_ups = ["What would', 'follow_up = ["What would'
    )
    path = tmp_path / "typo.toml"
    path.write_text(text, encoding="utf-8")
    banks, problems = load_banks([path])
    assert [(p.severity, p.field, p.line) for p in problems] == [
        ("warning", "follow_up", 17),
        ("error", "follow_ups", 10),
    ]
    assert [q.id for q in banks[0].questions] == ["test-valid-02"]


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("answer_seconds = 90", "answer_seconds = 5", "answer_seconds"),
        ("answer_seconds = 90", "answer_seconds = 90.5", "answer_seconds"),
        ('difficulty = "easy"', 'difficulty = "brutal"', "difficulty"),
        ('id = "test-valid-01"', 'id = "Test Valid 01"', "id"),
        ('listen_for = ["A concrete project", ', "listen_for = [", "listen_for"),
        ('listen_for = ["A concrete project", ', 'listen_for = ["", ', "listen_for"),
        ('category = "general"', 'category = "general"\nstar = "yes"', "star"),
        ('category = "general"', 'category = "general"\nroles = ["astronaut"]', "roles"),
        ('category = "general"', 'category = "general"\ntips = ["a", "b", "c", "d"]', "tips"),
        ("proud of.", "proud of." + "x" * 400, "text"),
        ('roles = ["any"]', 'roles = "any"', "bank.roles"),
        ('id = "test-valid"', 'id = ""', "bank.id"),
    ],
)
def test_each_schema_rule_is_enforced(tmp_path: Path, old: str, new: str, field: str) -> None:
    text = VALID.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "edited.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(BankFileError) as caught:
        load_bank(path)
    assert [p.field for p in _errors(caught.value.problems)] == [field]


def test_questions_inherit_the_bank_roles(tmp_path: Path) -> None:
    text = VALID.read_text(encoding="utf-8").replace('roles = ["any"]', 'roles = ["teaching"]')
    path = tmp_path / "teaching.toml"
    path.write_text(text, encoding="utf-8")
    bank = load_bank(path)
    assert [q.roles for q in bank.questions] == [("teaching",), ("any", "manager")]


def test_near_duplicate_texts_are_a_warning_not_an_error() -> None:
    bank = load_bank(BANKS / "near_duplicate.toml")  # warnings do not raise
    assert len(bank.questions) == 3
    banks, problems = load_banks([BANKS / "near_duplicate.toml"])
    (warning,) = problems
    assert warning.severity == "warning"
    assert (warning.question_id, warning.line) == ("test-near-duplicate-02", 17)
    assert "test-near-duplicate-01" in warning.message
    assert len(banks[0].questions) == 3


def test_near_duplicates_uses_normalised_text_and_ratio() -> None:
    questions = [
        _question("a", "Why do you want to work here?"),
        _question("b", "What is your greatest weakness?"),
        _question("c", "why do you want to WORK here"),
        _question("d", "What's your greatest weakness?"),
        _question("e", "Why do you want to leave your current job?"),
    ]
    pairs = [(x.id, y.id) for x, y in near_duplicates(questions)]
    assert pairs == [("a", "c"), ("b", "d")]
    assert normalise_text("  Why—do you, WANT   it?! ") == "why do you want it"


def test_missing_path_and_empty_folder_are_reported(tmp_path: Path) -> None:
    banks, problems = load_banks([tmp_path / "nope.toml", tmp_path])
    assert banks == []
    assert [p.message for p in problems] == [
        "no such file or folder",
        "no question bank files (*.toml) in this folder",
    ]


def test_problem_formats() -> None:
    path = Path("q/x.toml")
    assert str(BankProblem(path, "boom", 3)) == "q/x.toml:3: error: boom"
    assert (
        str(BankProblem(path, "bad", None, "q-1", "text", "warning"))
        == "q/x.toml: warning: question 'q-1' field 'text': bad"
    )


def test_questions_for_filters_by_category_and_role() -> None:
    bank = Bank(
        id="b",
        title="B",
        description="",
        roles=("any",),
        path=Path("b.toml"),
        questions=(
            _question("general-any", "x1", "general"),
            _question("role-sales", "x2", "role", ("sales",)),
            _question("role-data", "x3", "role", ("data", "software")),
        ),
    )
    ids = lambda qs: [q.id for q in qs]  # noqa: E731
    assert ids(questions_for([bank])) == ["general-any", "role-sales", "role-data"]
    assert ids(questions_for([bank], categories={"role"})) == ["role-sales", "role-data"]
    assert ids(questions_for([bank], roles=["software"])) == ["general-any", "role-data"]
    assert ids(questions_for([bank], roles=["any"])) == ["general-any"]
    assert ids(questions_for([bank], categories=["closing"], roles=["sales"])) == []


def test_builtin_banks_are_valid_and_large_enough() -> None:
    banks, problems = load_builtin_banks()
    assert _errors(problems) == []
    questions = questions_for(banks)
    assert len(questions) >= 250
    assert len({q.id for q in questions}) == len(questions)
    assert {q.category for q in questions} == set(CATEGORIES)
    assert {q.difficulty for q in questions} <= set(DIFFICULTIES)
    assert {role for q in questions for role in q.roles} <= set(ROLES)


# The general banks and the minimum size each must keep (from the product issues).
GENERAL_BANKS = {
    "general": 20,
    "behavioural": 50,
    "situational": 25,
    "motivation-career": 25,
    "candidate-questions": 8,
    "closing": 8,
}


def test_general_banks_cover_their_topics() -> None:
    banks = {bank.id: bank for bank in load_builtin_banks()[0]}
    sizes = {bank_id: len(banks[bank_id].questions) for bank_id in GENERAL_BANKS}
    assert all(sizes[b] >= minimum for b, minimum in GENERAL_BANKS.items()), sizes
    assert sum(sizes.values()) >= 140
    behavioural = banks["behavioural"].questions
    assert all(q.star and q.category == "behavioural" for q in behavioural)
    topics = {q.subcategory for q in behavioural}
    assert topics >= {
        "teamwork", "conflict", "failure", "leadership", "pressure", "initiative",
        "mistakes", "feedback", "prioritising", "persuasion", "ethics",
    }  # fmt: skip
    assert {q.category for q in banks["motivation-career"].questions} == {"motivation", "career"}
    texts = [q.text for q in banks["candidate-questions"].questions]
    assert "What questions do you have for me?" in texts
    for bank_id in GENERAL_BANKS:
        assert all("any" in q.roles for q in banks[bank_id].questions)


def _exhaustive_near_duplicates(questions: list[Question]) -> list[tuple[str, str]]:
    """The slow definition the fast version must match: difflib on every pair."""
    texts = [normalise_text(q.text) for q in questions]
    pairs = []
    for i, first in enumerate(texts):
        for j in range(i + 1, len(texts)):
            matcher = difflib.SequenceMatcher(None, texts[j], first, autojunk=False)
            if first == texts[j] or matcher.ratio() >= 0.9:
                pairs.append((questions[i].id, questions[j].id))
    return pairs


def test_near_duplicate_prefilter_loses_no_pair_on_edited_real_questions() -> None:
    rng = random.Random(7)
    originals = questions_for(load_builtin_banks()[0])[::6]

    def edit(text: str) -> str:
        chars = list(text)
        for _ in range(rng.randint(1, max(1, len(chars) // 6))):
            chars.insert(rng.randrange(len(chars)), rng.choice("abcdefghijklmnopqrstuvwxyz "))
            del chars[rng.randrange(len(chars))]
        return "".join(chars)

    edited = [dataclasses.replace(q, id=f"{q.id}-edited", text=edit(q.text)) for q in originals]
    questions = originals + edited
    fast = [(a.id, b.id) for a, b in near_duplicates(questions)]
    expected = _exhaustive_near_duplicates(questions)
    assert len(expected) >= len(originals) // 2  # the edits leave many pairs above 0.9
    assert len(expected) < len(originals)  # ...and push some below it
    assert sorted(fast) == sorted(expected)
