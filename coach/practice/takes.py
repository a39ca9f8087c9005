"""The life of one take: a "recording" entry in session.json, the microphone on the record
lane, then the finished FLAC (or, when that fails, what was kept) written back to the entry.

The microphone is opened and closed on the executor's "record" lane, so stop() queues behind
start() and the session is finished only after the last take is final.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from coach.core.session import CUT_SHORT, Session, Take
from coach.core.session_store import SessionStore, now_iso
from coach.core.takefile import ROOM_FOR_SESSION_FILE, make_room, partial_duration_s
from coach.errors import CoachError, DeviceError, StorageError
from coach.ports import ListeningRecorderPort, RecorderPort
from coach.practice.executor import Executor
from coach.storage import final_path

SILENT_TAKE = (
    "That answer was silent: no speech reached the microphone. "
    "It is kept; check the microphone level on the setup screen."
)


@dataclass
class TakeHost:
    """What a take needs from its session: save, tell the user, hear that a take is final."""

    save: Callable[[], None]
    tell: Callable[[str, str], None]  # (kind, text): each kind is said once per session
    tell_error: Callable[[CoachError], None]
    saved: Callable[[int, int, Path], None]  # question, take, audio file
    taken: Callable[[int, int], None]  # question, take: kept but not final (no analysis)


def no_room(folder: Path) -> bool:
    """True when the disk under `folder` cannot take another session.json."""
    try:
        return shutil.disk_usage(folder).free < ROOM_FOR_SESSION_FILE
    except OSError:
        return False


class TakeLifecycle:
    """Starts and stops takes for one session at a time."""

    def __init__(
        self,
        executor: Executor,
        store: SessionStore,
        recorder_factory: Callable[[str | None], RecorderPort],
        host: TakeHost,
    ) -> None:
        self.executor = executor
        self.store = store
        self.recorder_factory = recorder_factory
        self.host = host
        self.recorder: RecorderPort | None = None
        self.microphone: str | None = None
        self.enabled = True  # False once there is no microphone: the interview goes on
        self.current: tuple[int, int] | None = None
        self.session: Session | None = None
        self.listening = False  # hands-free: the stream stays open, takes are cut out of it

    def listen(self, on_tap: Callable[[Any], None]) -> None:
        """Hands-free: open the microphone now, without a take, and keep it open; `on_tap`
        gets the block tap (on the owner's thread) for voice activity detection."""
        if self.session is None or not self.enabled:
            return
        self.listening = True

        def listen() -> Any:
            if self.recorder is None:
                self.recorder = self.recorder_factory(self.microphone)
            return cast(ListeningRecorderPort, self.recorder).listen()

        self.executor.submit(listen, lane="record", on_done=on_tap, on_error=self._listen_failed)

    def _listen_failed(self, error: CoachError) -> None:
        self.listening = False
        self._failed(error)

    def stop_listening(self) -> None:
        """Close the listening stream (queued behind the last take on the record lane)."""
        if not self.listening:
            return
        self.listening = False

        def close() -> None:
            if self.recorder is not None:
                self.recorder.stop(None)

        self.executor.submit(close, lane="record", on_error=self.host.tell_error)

    def reset(self, session: Session, microphone: str | None) -> None:
        self.session, self.microphone = session, microphone
        self.recorder = None  # made on the 'record' lane: it imports the audio stack
        self.enabled = True
        self.current = None

    def start(
        self,
        index: int,
        think_s: float | None,
        spoke_over: bool,
        from_sample: int | None = None,
        preroll_s: float = 0.0,
    ) -> None:
        """A new take; while listening it is cut out of the open stream from `from_sample`
        (the detected start of speech) less `preroll_s`, else from now."""
        session = self.session
        if session is None or not self.enabled:
            return
        question = session.questions[index]
        partial, _final = self.store.take_paths(session, index)
        question.takes.append(
            Take(
                audio=partial.name,
                duration_s=0.0,
                started_at=now_iso(),
                think_s=think_s,
                spoke_over_question=spoke_over,
                status="recording",
            )
        )
        question.skipped = False
        self.current = (index, len(question.takes) - 1)
        self.host.save()

        listening = self.listening

        def start() -> None:
            if self.recorder is None:
                self.recorder = self.recorder_factory(self.microphone)
            if listening:
                recorder = cast(ListeningRecorderPort, self.recorder)
                first = None
                if from_sample is not None:
                    first = from_sample - round(preroll_s * recorder.samplerate)
                recorder.begin_take(partial, first)
            else:
                self.recorder.start(partial)

        self.executor.submit(start, lane="record", on_error=self._start_failed)

    def _start_failed(self, error: CoachError) -> None:
        """No microphone or no space: the interview goes on, without recording."""
        if self.session and self.current:
            q, t = self.current
            del self.session.questions[q].takes[t]
            self.host.save()
        self.current = None
        self._failed(error)

    def _failed(self, error: CoachError) -> None:
        if isinstance(error, DeviceError):
            self.enabled = False
            self.host.tell("no-mic", f"{error.message} The interview continues without recording.")
        else:
            self.host.tell_error(error)

    def poll(self) -> Any:
        """The recorder's status while a take runs (one poll per tick: it resets the peak)."""
        if self.recorder is None or self.current is None:
            return None
        return self.recorder.poll()

    def stop(self, discard: bool = False) -> None:
        """End the current take; `discard` removes it (a take begun by a voice command)."""
        session = self.session
        if session is None or self.current is None:
            return
        q, t = self.current
        self.current = None
        take = session.questions[q].takes[t]
        partial = self.store.folder(session) / take.audio
        final = final_path(partial)
        listening = self.listening

        def stop() -> tuple[Any, bool]:
            recorder = self.recorder  # queued behind start() on the same lane
            if recorder is None:
                return None, False
            lost = bool(recorder.poll().device_lost)
            try:
                if listening:
                    info = cast(ListeningRecorderPort, recorder).end_take(final)
                else:
                    info = recorder.stop(final)
                if discard and info is not None:
                    Path(info.path).unlink(missing_ok=True)
                return info, lost
            except StorageError:
                if no_room(partial.parent):
                    make_room(partial)  # so session.json can still say what was kept
                raise

        self.executor.submit(
            stop,
            lane="record",
            on_done=lambda r: (
                self._discarded(session, take) if discard else self._saved(session, q, t, *r)
            ),
            on_error=lambda error: self._cut_short(session, q, t, error),
        )

    def _discarded(self, session: Session, take: Take) -> None:
        for question in session.questions:
            question.takes[:] = [x for x in question.takes if x is not take]
        if session is self.session:
            self.host.save()

    def _cut_short(self, session: Session, q: int, t: int, error: CoachError) -> None:
        """The take could not be finalised (typically a full disk): keep and list what was
        recorded as the raw partial file, playable and marked, instead of a phantom
        "recording" entry. It is finalised by crash recovery once there is space again."""
        take = session.questions[q].takes[t]
        partial = self.store.folder(session) / take.audio
        try:
            take.duration_s = round(partial_duration_s(partial), 3)
        except CoachError:
            take.duration_s = 0.0  # nothing readable was kept
        take.status = CUT_SHORT
        if session is not self.session:
            return
        self.host.tell("disk", f"{error.message} This answer was stopped and kept as recorded.")
        self.host.save()
        self.host.taken(q, t)

    def _saved(self, session: Session, q: int, t: int, info: Any, device_lost: bool) -> None:
        if info is None:
            return
        take = session.questions[q].takes[t]
        take.audio = Path(info.path).name
        take.duration_s = round(float(info.duration_s), 3)
        take.is_silent = bool(info.is_silent)
        take.status = "device_lost" if device_lost else "complete"
        take.overflows = int(getattr(self.recorder.poll(), "overflows", 0)) if self.recorder else 0
        if session is not self.session:  # a new session began meanwhile: nothing more to say
            return
        if take.is_silent:
            self.host.tell("silent", SILENT_TAKE)
        self.host.save()
        self.host.saved(q, t, Path(info.path))

    def after_last_take(self, fn: Callable[[], None]) -> None:
        """Run `fn` once every take queued so far is final (same lane, so in order)."""
        self.executor.submit(lambda: None, lane="record", on_done=lambda _: fn())
