"""`coach questions check`: called directly and through a real `python -m coach` process."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from coach.core.bank_command import run_questions_command

ROOT = Path(__file__).resolve().parents[2]
BANKS = ROOT / "tests" / "data" / "banks"
PROBLEM_LINE = re.compile(r"^\S+\.toml(:\d+)?: (error|warning): .+$")


def test_valid_file_prints_one_summary_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_questions_command(["check", str(BANKS / "valid.toml")]) == 0
    out, err = capsys.readouterr()
    assert out == "OK: 1 bank, 2 questions, 0 warnings\n"
    assert err == ""


def test_warnings_are_listed_but_do_not_fail(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_questions_command(["check", str(BANKS / "near_duplicate.toml")]) == 0
    out, err = capsys.readouterr()
    assert out == "OK: 1 bank, 3 questions, 1 warning\n"
    (line,) = err.splitlines()
    assert line.startswith(f"{BANKS / 'near_duplicate.toml'}:17: warning: question ")


def test_broken_folder_lists_one_line_per_problem(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_questions_command(["check", str(BANKS)]) == 1
    out, err = capsys.readouterr()
    lines = err.splitlines()
    assert all(PROBLEM_LINE.match(line) for line in lines), lines
    errors = [line for line in lines if ": error: " in line]
    expected = {
        "bad_toml.toml:9",
        "empty_text.toml:9",
        "missing_field.toml:16",
        "unknown_category.toml:10",
        "wrong_schema_version.toml:1",
        "wrong_type.toml:12",
    }
    assert {Path(line.split(": ")[0]).name for line in errors} == expected
    assert out.startswith("6 errors; usable: ")


def test_file_and_folder_arguments_combine(capsys: pytest.CaptureFixture[str]) -> None:
    code = run_questions_command(["check", str(BANKS / "valid.toml"), str(BANKS / "duplicates")])
    assert code == 1
    out, err = capsys.readouterr()
    (line,) = err.splitlines()
    assert line.startswith(f"{BANKS / 'duplicates' / 'b.toml'}:17: error: ")
    assert out == "1 error; usable: 3 banks, 5 questions, 0 warnings\n"


def test_missing_path_is_a_problem_not_a_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_questions_command(["check", "no/such/bank.toml"]) == 1
    assert capsys.readouterr().err == "no/such/bank.toml: error: no such file or folder\n"


@pytest.mark.parametrize("argv", [[], ["lint"], ["check", "--strict"]])
def test_bad_usage_exits_2_with_usage_on_stderr(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_questions_command(argv) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert "usage: coach questions check" in err


def test_builtin_banks_pass(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_questions_command(["check"]) == 0
    assert capsys.readouterr().out.startswith("OK: ")


def _run_coach(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "coach", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_real_process_checks_the_questions_folder() -> None:
    result = _run_coach("questions", "check", "questions")
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(r"OK: \d+ banks, \d+ questions, \d+ warnings?\n", result.stdout)


def test_real_process_reports_errors_without_traceback() -> None:
    result = _run_coach("questions", "check", str(BANKS / "bad_toml.toml"))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(f"{BANKS / 'bad_toml.toml'}:9: error: invalid TOML")
