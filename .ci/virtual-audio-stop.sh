#!/usr/bin/env bash
# Stops what virtual-audio.sh started, by PID only.
VA_DIR="${XDG_RUNTIME_DIR:?}/virtual-audio"
for name in keepalive pulse; do
  f="$VA_DIR/$name.pid"; [ -f "$f" ] || continue
  pid=$(cat "$f"); kill -TERM "$pid" 2>/dev/null
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null; rm -f "$f"
done
