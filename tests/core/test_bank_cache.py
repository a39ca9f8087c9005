"""The bank cache gives exactly what parsing gives, and notices any change to a bank file."""

from __future__ import annotations

import shutil
from pathlib import Path

from coach import paths
from coach.core.bank import load_banks
from coach.core.bank_cache import load_banks_cached


def test_cached_banks_equal_parsed_banks_and_follow_edits(tmp_path: Path) -> None:
    folder = tmp_path / "questions"
    shutil.copytree(paths.questions_dir(), folder, ignore=shutil.ignore_patterns("*.md"))
    cache = tmp_path / "cache" / "banks.json"
    parsed = load_banks([folder], near_duplicate_check=False)
    first = load_banks_cached([folder], cache)
    assert cache.is_file()
    second = load_banks_cached([folder], cache)  # from the cache this time
    assert first == parsed and second == parsed

    general = folder / "general.toml"
    general.write_text(general.read_text().replace("Tell me about yourself", "Introduce yourself"))
    edited = load_banks_cached([folder], cache)
    assert edited == load_banks([folder], near_duplicate_check=False)
    assert any("Introduce yourself" in q.text for b in edited[0] for q in b.questions)

    (folder / "broken.toml").write_text("schema_version = 1\n[bank\n")
    banks, problems = load_banks_cached([folder], cache)
    assert [p.path.name for p in problems if p.severity == "error"] == ["broken.toml"]
    assert load_banks_cached([folder], cache) == (banks, problems)


def test_a_damaged_cache_is_ignored(tmp_path: Path) -> None:
    cache = tmp_path / "banks.json"
    cache.write_text("{ not json")
    banks, _ = load_banks_cached([paths.questions_dir()], cache)
    assert len(banks) >= 18
