#!/usr/bin/env bash
# One command: set up and run every check: lint, types, import rules and the whole test suite
# with a virtual display and a private PulseAudio virtual speaker + microphone.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh --test

echo "== ruff";         .venv/bin/ruff check coach tests benchmarks
echo "== mypy";         .venv/bin/mypy
echo "== import rules"; .venv/bin/lint-imports

# The self-contained app folder, so tests/packaging/test_bundle.py runs it as a user would
# (4-7 min on 2 cores). COACH_SKIP_BUNDLE=1 skips the build (and, outside CI, that test).
if [ -z "${COACH_SKIP_BUNDLE:-}" ]; then
  echo "== bundle"
  mkdir -p build
  if ! nice bash tools/build-bundle.sh >build/bundle.log 2>&1; then
    tail -n 40 build/bundle.log; echo "The bundle did not build (build/bundle.log)." >&2; exit 1
  fi
fi

# A private sound server, never the user's own: tests play into it and record from it.
export XDG_RUNTIME_DIR="$(mktemp -d)"
unset PULSE_SERVER
# shellcheck source=/dev/null
source .ci/virtual-audio.sh
trap 'bash .ci/virtual-audio-stop.sh; rm -rf "$XDG_RUNTIME_DIR"' EXIT

echo "== pytest"
xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" \
  env QT_QPA_PLATFORM=offscreen COACH_NO_ERROR_WINDOWS=1 .venv/bin/python -m pytest "$@"
