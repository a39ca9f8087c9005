"""The app's one content coach: which engine gives feedback and follow-ups, started once.

A `ContentCoach` holds the user's chosen GGUF file (or none). The language-model worker
(coach.content.llm_engine) is started lazily, the first time an answer needs it, and ended
with the app (`close`). A model that cannot load is reported once, in plain words, and the
rules engine is used from then on until the user chooses another file. Qt-free: the session
calls it on executor lanes, never on the window's thread.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coach.content.engine import content_feedback
from coach.content.feedback import ContentFeedback
from coach.content.gguf import llama_available
from coach.errors import CoachError, LanguageModelError
from coach.practice.executor import Executor
from coach.practice.follow_up import WithFallback, rules_follow_up
from coach.storage import content_path, write_json_atomic

if TYPE_CHECKING:
    from coach.analysis.results import AnswerAnalysis
    from coach.content.llm_engine import LlmEngine
    from coach.core.bank import Question

log = logging.getLogger(__name__)

LANE = "content-feedback"
"""Its own executor lane: a 20 s model request never delays a take, the disk or a follow-up."""
FOLLOW_UP_WAIT_S = 4.0
"""Issue 13: the follow-up is spoken within about 4 s after the answer ends, else the rules'."""
FOLLOW_UP_MODEL_BUDGET_S = 3.5
"""The model's own budget, inside the wait, so it stops generating before the rules take over."""


class ContentCoach:
    """Thread-safe; `engine()` is None when no model is set, llama.cpp is absent or it failed."""

    def __init__(self, model_path: Path | None = None) -> None:
        self._lock = threading.Lock()
        self._model_path = model_path
        self._engine: LlmEngine | None = None
        self._broken: str | None = None
        self._told_broken = False
        self._closed = False
        self._model_questions: dict[str, str] = {}
        """transcript -> the follow-up the model already wrote in that answer's feedback."""

    @property
    def model_path(self) -> Path | None:
        return self._model_path

    def set_model(self, path: Path | None) -> None:
        """A new choice from Settings: the old worker ends, the new one starts when needed."""
        with self._lock:
            if path == self._model_path:
                return
            old, self._engine = self._engine, None
            self._model_path, self._broken, self._told_broken = path, None, False
        if old is not None:
            old.close()

    def engine(self) -> LlmEngine | None:
        """The language-model engine, created on first use (the worker loads on first request)."""
        with self._lock:
            if self._closed or self._model_path is None or self._broken is not None:
                return None
            if not llama_available():
                self._broken = (
                    "llama-cpp-python is not installed, so the language model cannot run; "
                    "content feedback uses the built-in rules. Run tools/setup.sh to install it."
                )
                return None
            if self._engine is None:
                from coach.content.llm_engine import LlmEngine

                try:
                    self._engine = LlmEngine(self._model_path)
                except LanguageModelError as exc:
                    self._broken = exc.message
                    return None
            return self._engine

    def _failed(self, engine: LlmEngine, error: LanguageModelError) -> None:
        log.warning("The language model failed: %s", error.detail or error.message)
        with self._lock:
            if self._engine is engine:
                self._engine, self._broken = None, error.message
        engine.close()

    def take_message(self) -> str | None:
        """The model's failure, once (the session shows it); None afterwards or when fine."""
        with self._lock:
            if self._broken is None or self._told_broken:
                return None
            self._told_broken = True
            return self._broken

    def prewarm(self) -> None:
        """Start the worker and load the model now (a session began), so the first answer's
        feedback does not spend its time budget loading; a failure is kept for take_message."""
        engine = self.engine()
        if engine is not None:
            try:
                engine.start()
            except LanguageModelError as error:
                self._failed(engine, error)

    # ----- feedback on an answer
    def feedback(
        self, question: str, analysis: dict[str, Any], *, behavioural: bool | None = None
    ) -> ContentFeedback:
        """The model's feedback when one works, else the rules'; never raises for the model."""
        transcript = str(analysis.get("transcript") or "")
        words = analysis.get("words") or ()
        engine = self.engine()
        if engine is not None:
            try:
                result = content_feedback(
                    question, transcript, words, llm=engine, behavioural=behavioural
                )
            except LanguageModelError as error:
                self._failed(engine, error)
            else:
                if result.follow_up and "follow_up" not in result.fallbacks:
                    with self._lock:  # the interviewer can ask it without waiting for the model
                        self._model_questions = {transcript: result.follow_up}
                return result
        return content_feedback(question, transcript, words, behavioural=behavioural)

    def feedback_and_save(
        self, question: str, audio: Path, analysis: dict[str, Any], *, behavioural: bool | None
    ) -> tuple[Path, ContentFeedback]:
        """Feedback for one take, saved atomically beside its audio (see coach.storage)."""
        result = self.feedback(question, analysis, behavioural=behavioural)
        out = content_path(audio)
        write_json_atomic(out, result.to_dict())
        return out, result

    # ----- on the session's executor
    def submit_prewarm(
        self, executor: Executor, tell: Callable[[str], None], failed: Callable[[CoachError], None]
    ) -> None:
        """`prewarm` on the lane when a model is set; a load failure is told once."""
        if self.model_path is None:
            return

        def load() -> str | None:
            self.prewarm()
            return self.take_message()

        def loaded(message: str | None) -> None:
            if message:
                tell(message)

        executor.submit(load, lane=LANE, on_done=loaded, on_error=failed)

    def submit_feedback(
        self,
        executor: Executor,
        question: str,
        audio: Path,
        analysis: dict[str, Any],
        *,
        behavioural: bool | None,
        saved: Callable[[str], None],
        tell: Callable[[str], None],
        failed: Callable[[CoachError], None],
    ) -> None:
        """`feedback_and_save` on the lane; then `saved(engine)`, after telling a model failure."""

        def run() -> tuple[str, str | None]:
            _, feedback = self.feedback_and_save(question, audio, analysis, behavioural=behavioural)
            return feedback.engine, self.take_message()

        def done(outcome: tuple[str, str | None]) -> None:
            engine, message = outcome
            if message:
                tell(message)
            saved(engine)

        executor.submit(run, lane=LANE, on_done=done, on_error=failed)

    # ----- the interviewer's follow-up
    def _model_follow_up(self, question: Question, analysis: AnswerAnalysis | None) -> str | None:
        engine = self.engine()
        if engine is None or analysis is None:
            raise LookupError("no model or no transcript: the rules decide")
        with self._lock:
            written = self._model_questions.get(analysis.transcript)
        if written:  # the answer's feedback (already done) holds the model's follow-up
            return written
        try:
            text = engine.follow_up(
                question.text, analysis.transcript, analysis.words,
                budget_s=FOLLOW_UP_MODEL_BUDGET_S,
            )  # fmt: skip
        except LanguageModelError as error:
            self._failed(engine, error)
            raise
        if text is None:
            raise TimeoutError("the model gave no usable follow-up in time")
        return text

    def follow_up(self, question: Question, analysis: AnswerAnalysis | None) -> str | None:
        """A `FollowUpPolicy`: the model's question from the answer itself within about 4 s,
        else today's rules (also without a model)."""
        if self.engine() is None:
            return rules_follow_up(question, analysis)
        return WithFallback(self._model_follow_up, FOLLOW_UP_WAIT_S)(question, analysis)

    def close(self) -> None:
        """End the worker (the app is closing); later calls use the rules."""
        with self._lock:
            self._closed = True
            engine, self._engine = self._engine, None
        if engine is not None:
            engine.close()

    def describe(self) -> str:
        """Which engine answers now, for the user ("rules" or the model's file name)."""
        engine = self.engine()
        return f"language model {engine.name}" if engine is not None else "built-in rules"
