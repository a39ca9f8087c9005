"""The wheel a user installs is complete: built from this checkout, installed into a fresh
virtual environment in a temporary folder outside the checkout, and used from there.

Dependencies: installing them afresh would download ~1 GB (Qt, onnxruntime, ctranslate2) per
run, so the new environment reaches the already installed dependencies through one .pth line
naming the shared environment's site-packages. A .pth line only appends a folder to sys.path: the
shared environment's own .pth files (its editable install of this checkout) are not run, and
the wheel's `coach` in the new environment's site-packages comes first. The test checks that
`coach` and its question banks are loaded from the new environment, never from the checkout.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import sysconfig
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow
MIN_QUESTIONS = 378
JFK = (
    "And so my fellow Americans, ask not what your country can do for you, "
    "ask what you can do for your country."
)

WINDOW_CHECK = textwrap.dedent(
    """
    import json, sys
    from PySide6.QtWidgets import QApplication
    import coach
    from coach import paths
    from coach.app import create_main_window

    window = create_main_window()
    window.resize(1100, 800)
    window.show()
    app = QApplication.instance()
    for _ in range(20):
        app.processEvents()
    setup = window.setup_view
    window.grab().save(sys.argv[1])
    print(json.dumps({
        "coach": coach.__file__,
        "questions_dir": str(paths.questions_dir()),
        "on_setup": window.stack.currentWidget() is setup,
        "banks": setup.bank_box.count(),
        "questions": sum(len(bank.questions) for bank in setup.banks),
        "listed": setup.bank_panel.preview_list.count(),
        "icon": not app.windowIcon().isNull(),
    }))
    window.close()
    """
)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A venv outside the checkout with the freshly built wheel installed; returns its bin/."""
    where = tmp_path_factory.mktemp("wheel-install")
    assert not where.resolve().is_relative_to(ROOT)
    wheels = where / "wheels"
    env = _env(where)  # no PYTHONPATH: pip must not take the checkout for an installed copy
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(ROOT)],
        check=True, timeout=600, cwd=where, env=env,
    )  # fmt: skip
    [wheel] = wheels.glob("second_round-*.whl")
    venv = where / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps",
         "--no-index", str(wheel)],
        check=True, timeout=600, cwd=where, env=env,
    )  # fmt: skip
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        capture_output=True, text=True, check=True, env=env,
    ).stdout.strip()  # fmt: skip
    shared = sysconfig.get_path("purelib")
    (Path(purelib) / "shared-dependencies.pth").write_text(shared + "\n")
    return venv / "bin"


def _env(home: Path) -> dict[str, str]:
    """No PYTHONPATH (the checkout must not leak in), a throw-away home for data and settings."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.update(
        COACH_DATA_DIR=str(home / "data"),
        XDG_CONFIG_HOME=str(home / "config"),
        QT_QPA_PLATFORM="offscreen",
        COACH_NO_ERROR_WINDOWS="1",
    )
    return env


def _run(binary: Path, *args: str, home: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(binary), *args], cwd=home, env=_env(home), capture_output=True, text=True,
        timeout=300,
    )  # fmt: skip


def test_the_wheel_carries_questions_icon_and_desktop_file(installed: Path) -> None:
    import zipfile

    [wheel] = (installed.parent.parent / "wheels").glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    banks = {p.name for p in (ROOT / "questions").glob("*.toml")}
    assert {n.rsplit("/", 1)[1] for n in names if n.startswith("coach/_data/questions/")} >= banks
    assert {"coach/_data/assets/icon.svg", "coach/_data/assets/second-round.desktop"} <= names
    packages = {p.parent.relative_to(ROOT).as_posix() for p in (ROOT / "coach").rglob("*.py")}
    assert all(f"{p}/__init__.py" in names for p in packages), "a coach package was left out"


def test_version_and_question_check_from_the_installed_command(
    installed: Path, tmp_path: Path
) -> None:
    version = _run(installed / "coach", "--version", home=tmp_path)
    assert version.returncode == 0 and version.stdout.startswith("Second Round (coach) 0.")
    check = _run(installed / "coach", "questions", "check", home=tmp_path)
    assert check.returncode == 0, check.stdout + check.stderr
    found = re.search(r"(\d+) banks, (\d+) questions", check.stdout)
    assert found is not None, check.stdout
    assert int(found[2]) >= MIN_QUESTIONS, check.stdout
    where = _run(
        installed / "python", "-c", "from coach import paths; print(paths.questions_dir())",
        home=tmp_path,
    )  # fmt: skip
    assert where.stdout.startswith(str(installed.parent)), where.stdout + where.stderr


def test_analyze_a_real_clip_with_the_installed_command(installed: Path, tmp_path: Path) -> None:
    clip = ROOT / "tests/data/jfk_whisper.flac"  # JFK, "ask not what your country can do"
    proc = _run(
        installed / "coach", "analyze", str(clip), "--engine", "pocketsphinx", "--json",
        home=tmp_path,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    [result] = json.loads(proc.stdout)
    assert result["engine"] == "pocketsphinx"
    assert 10.5 < result["duration_s"] < 11.5
    said = set(result["transcript"].lower().split())
    reference = set(JFK.lower().replace(",", "").replace(".", "").split())
    assert len(said & reference) >= len(reference) / 2, result["transcript"]  # real recognition


def test_the_window_opens_offscreen_on_setup_with_every_question(
    installed: Path, tmp_path: Path
) -> None:
    script = tmp_path / "window_check.py"
    script.write_text(WINDOW_CHECK)
    shot = Path("/tmp/shots/package/wheel-setup.png")
    shot.parent.mkdir(parents=True, exist_ok=True)
    proc = _run(installed / "python", str(script), str(shot), home=tmp_path)
    assert proc.returncode == 0, proc.stderr[-3000:]
    seen = json.loads(proc.stdout.strip().splitlines()[-1])
    assert seen["coach"].startswith(str(installed.parent)), seen
    assert seen["questions_dir"].startswith(str(installed.parent)), seen
    assert seen["on_setup"] and seen["icon"]
    assert seen["questions"] >= MIN_QUESTIONS
    assert seen["listed"] == seen["questions"]  # "All questions": the full list is shown
    assert seen["banks"] >= len(list((ROOT / "questions").glob("*.toml")))
