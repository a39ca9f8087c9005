#!/usr/bin/env bash
# Builds the self-contained Second Round app folder with PyInstaller (one-folder mode):
# Python, Qt, PortAudio, the speech engines (espeak-ng and its voices on Linux; SAPI5 and
# NSSpeechSynthesizer are part of Windows/macOS), pocketsphinx's model, the question banks and
# the icon. The Whisper model is not inside: the app offers its download on first run.
#
# Usage: bash tools/build-bundle.sh [PYTHON]    (default: .venv/bin/python, else python3)
# Needs: pip install -c tools/constraints.txt '.[bundle]'  (PyInstaller) in that Python.
# Result: dist/second-round/ (Linux, Windows: run second-round[.exe] inside it),
#         dist/Second Round.app (macOS).  Linux also needs libportaudio2 and libespeak-ng1
#         installed where it is built (tools/setup.sh does that); the bundle then carries them.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${1:-}"
if [ -z "$PYTHON" ]; then
  if [ -x .venv/bin/python ]; then PYTHON=.venv/bin/python
  elif [ -x .venv/Scripts/python.exe ]; then PYTHON=.venv/Scripts/python.exe
  else PYTHON=python3; fi
fi

# Git Bash on Windows: Windows-style paths and the ";" separator PyInstaller expects there, and
# no MSYS rewriting of the arguments.
here="$PWD"
sep=":"
case "$(uname -s)" in
  MINGW* | MSYS* | CYGWIN*) here="$(pwd -W)"; sep=";"; export MSYS_NO_PATHCONV=1 ;;
esac

args=(
  --noconfirm --clean --onedir
  --name second-round
  --distpath dist --workpath build/bundle --specpath build/bundle
  --add-data "$here/questions/*.toml${sep}coach/_data/questions"
  --add-data "$here/assets/icon.svg${sep}coach/_data/assets"
  --add-data "$here/assets/second-round.desktop${sep}coach/_data/assets"
  --collect-submodules coach
  --collect-data pocketsphinx
  --collect-data faster_whisper
  --runtime-hook "$here/tools/bundle/rthook_native_libs.py"
  --exclude-module tkinter
  --exclude-module pytest
)

case "$(uname -s)" in
  Linux)
    find_lib() {
      "$PYTHON" -c "import ctypes.util, sys; print(ctypes.util.find_library(sys.argv[1]) or '')" "$1"
    }
    libdir=""
    for candidate in /usr/lib/x86_64-linux-gnu /usr/lib/aarch64-linux-gnu /usr/lib64 /usr/lib; do
      if [ -e "$candidate/libespeak-ng.so.1" ]; then libdir="$candidate"; break; fi
    done
    if [ -z "$libdir" ] || [ -z "$(find_lib portaudio)" ]; then
      echo "build-bundle: install libespeak-ng1, espeak-ng-data and libportaudio2 first" \
           "(bash tools/setup.sh)" >&2
      exit 1
    fi
    data=""
    for candidate in "$libdir/espeak-ng-data" /usr/share/espeak-ng-data; do
      if [ -d "$candidate" ]; then data="$candidate"; break; fi
    done
    [ -n "$data" ] || { echo "build-bundle: espeak-ng-data not found" >&2; exit 1; }
    portaudio="$(readlink -f "$libdir/libportaudio.so.2")"
    args+=(
      --add-binary "$(readlink -f "$libdir/libespeak-ng.so.1"):."
      --add-binary "$portaudio:."
      --add-data "$data:espeak-ng-data"
    )
    ;;
  Darwin)
    args+=(--windowed --osx-bundle-identifier org.second-round.coach)
    ;;
  MINGW* | MSYS* | CYGWIN*)
    args+=(--windowed)
    ;;
esac

start=$(date +%s)
"$PYTHON" -m PyInstaller "${args[@]}" tools/bundle/second-round.py
if [ "$(uname -s)" = "Linux" ]; then
  # The soname links the loader looks for (PyInstaller copies the versioned file under its name).
  ( cd dist/second-round/_internal
    [ -e libespeak-ng.so.1 ] || ln -s "$(basename "$(readlink -f "$libdir/libespeak-ng.so.1")")" libespeak-ng.so.1
    [ -e libportaudio.so.2 ] || ln -s "$(basename "$portaudio")" libportaudio.so.2 )
fi
echo "build-bundle: built in $(( $(date +%s) - start )) s:" \
     "$(du -sh dist/second-round* 2>/dev/null | head -1)"
