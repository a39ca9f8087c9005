#!/usr/bin/env bash
# Install the Second Round launcher and icon for the current user (Linux desktops).
# Usage: bash tools/install-desktop.sh [path-to-coach-executable]
# Default executable: .venv/bin/coach in this checkout. Run again after moving the checkout.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
exe="${1:-$root/.venv/bin/coach}"
data="${XDG_DATA_HOME:-$HOME/.local/share}"
apps="$data/applications"
icons="$data/icons/hicolor/scalable/apps"

if [[ ! -x "$exe" ]]; then
  echo "install-desktop: $exe is not an executable; run tools/setup.sh first" >&2
  exit 1
fi
mkdir -p "$apps" "$icons"
install -m 0644 "$root/assets/icon.svg" "$icons/second-round.svg"
# The Exec key quotes the path (spaces are fine); characters that need the spec's nested escaping
# are refused rather than risked.
case "$exe" in
  *'"'* | *'`'* | *'$'* | *'\'* | *'&'*)
    echo "install-desktop: move the app to a path without these characters: \" \` \$ \\ &" >&2
    exit 1 ;;
esac
sed "s|@EXEC@|\"${exe//|/\\|}\"|" "$root/assets/second-round.desktop" > "$apps/second-round.desktop.tmp"
chmod 0644 "$apps/second-round.desktop.tmp"
mv "$apps/second-round.desktop.tmp" "$apps/second-round.desktop"
if command -v desktop-file-validate >/dev/null; then
  desktop-file-validate "$apps/second-round.desktop" || true
fi
if command -v update-desktop-database >/dev/null; then
  update-desktop-database -q "$apps" || true
fi
if command -v gtk-update-icon-cache >/dev/null; then
  gtk-update-icon-cache -q -t "$data/icons/hicolor" || true
fi
echo "Installed $apps/second-round.desktop and $icons/second-round.svg"
