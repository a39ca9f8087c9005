"""The fixture language models from PyPI (tests only; see tests/helpers/llm_models.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.llm_models import assemble_gemma, smollm2_path


@pytest.fixture(scope="session")
def gemma(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Gemma 3 270M joined from its four chunk packages and checked against SHA256SUMS."""
    return assemble_gemma(tmp_path_factory.mktemp("gemma"))


@pytest.fixture(scope="session")
def smollm2() -> Path:
    return smollm2_path()
