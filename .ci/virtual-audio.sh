# Source this file: starts a PulseAudio null sink "vsink" (virtual speaker) and a remap of its
# monitor "vmic" (virtual microphone), exporting XDG_RUNTIME_DIR and PULSE_SERVER for the tests.
# Stop with: bash .ci/virtual-audio-stop.sh   (recipe: shared/notes/platform.md §5)
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-$(mktemp -d)}"
mkdir -p "$XDG_RUNTIME_DIR/pulse" && chmod 700 "$XDG_RUNTIME_DIR"
VA_DIR="$XDG_RUNTIME_DIR/virtual-audio"; mkdir -p "$VA_DIR"
export PULSE_SERVER="unix:$XDG_RUNTIME_DIR/pulse/native"
if ! pactl info >/dev/null 2>&1; then
  cat > "$VA_DIR/ci.pa" <<PA
load-module module-native-protocol-unix auth-anonymous=1 socket=$XDG_RUNTIME_DIR/pulse/native
load-module module-null-sink sink_name=vsink rate=48000 channels=2 sink_properties=device.description=VirtualSpeaker
set-default-sink vsink
load-module module-remap-source master=vsink.monitor source_name=vmic source_properties=device.description=VirtualMic
set-default-source vmic
PA
  HOME="$VA_DIR" pulseaudio -n -F "$VA_DIR/ci.pa" --daemonize=no --exit-idle-time=-1 \
      --log-target=file:"$VA_DIR/pulse.log" >/dev/null 2>&1 &
  echo $! > "$VA_DIR/pulse.pid"
  for _ in $(seq 1 100); do pactl info >/dev/null 2>&1 && break; sleep 0.05; done
  # Keep-alive reader: an idle null sink renders in 2 s blocks and stalls the first stream.
  pacat --record -d vsink.monitor --latency-msec=20 --raw >/dev/null 2>&1 &
  echo $! > "$VA_DIR/keepalive.pid"
fi
pactl info >/dev/null 2>&1 || echo "virtual-audio: PulseAudio did not start (see $VA_DIR/pulse.log)" >&2
