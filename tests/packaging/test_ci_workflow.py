"""The Windows/macOS workflow cannot run here; what can be checked here is checked: it parses,
builds on both systems with the same script as Linux, and its test selection exists."""

from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW = ROOT / ".github/workflows/build.yml"


def _workflow() -> dict:
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_the_workflow_parses_and_builds_on_windows_and_macos() -> None:
    data = _workflow()
    triggers = data.get("on", data.get(True))  # YAML 1.1 reads the bare key `on` as True
    assert triggers, "the workflow has no trigger"
    job = data["jobs"]["bundle"]
    assert set(job["strategy"]["matrix"]["os"]) == {"windows-latest", "macos-latest"}
    runs = [step.get("run", "") for step in job["steps"]]
    assert any("bash tools/build-bundle.sh" in run for run in runs)
    assert any("pytest" in run for run in runs)
    assert any(step.get("uses", "").startswith("actions/checkout@") for step in job["steps"])


def test_every_path_the_workflow_names_exists() -> None:
    [tests] = [
        s["run"] for s in _workflow()["jobs"]["bundle"]["steps"] if "pytest" in s.get("run", "")
    ]
    words = tests.replace("--ignore=", " ").split()
    paths = [w for w in words if w.startswith("tests/")]
    assert len(paths) > 5
    for path in paths:
        assert (ROOT / path).exists(), path


def test_the_bundle_extra_installs_pyinstaller() -> None:
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    bundle = project["optional-dependencies"]["bundle"]
    assert any(req.lower().startswith("pyinstaller") for req in bundle)
