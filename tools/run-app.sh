#!/usr/bin/env bash
# One command: set up (first time) and start Second Round.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
exec .venv/bin/coach "$@"
