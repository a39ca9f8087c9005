"""Expected failures, each carrying a message a user can act on.

Anything that is not a CoachError is a bug and goes to the one crash handler.
"""

from __future__ import annotations


class CoachError(Exception):
    """An expected failure caused by the environment or the user's input, not by a bug."""

    def __init__(self, message: str, *, detail: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail

    def __str__(self) -> str:
        return f"{self.message} ({self.detail})" if self.detail else self.message


class DeviceError(CoachError):
    """No microphone or speaker, PortAudio missing, or a device lost mid-take."""


class TtsError(CoachError):
    """No text-to-speech engine, or it failed to speak a question."""


class BankError(CoachError):
    """A question bank file that cannot be used; the message names file and line or id."""


class StorageError(CoachError):
    """Disk full, data folder not writable, or a session folder that cannot be read."""


class AnalysisError(CoachError):
    """Audio that cannot be analysed: unreadable, empty or not audio at all."""


class TruncatedAudioError(AnalysisError):
    """A WAV file that holds less audio than its header promises (a crash or a full disk)."""


class ModelMissingError(AnalysisError):
    """No speech-recognition model is available where the user pointed us."""


class ModelDownloadError(CoachError):
    """A speech-model download that failed on the network; what arrived is kept to resume."""


class DownloadCancelled(CoachError):
    """The user stopped a download; the partial files stay so the next download resumes."""

    def __init__(self, message: str = "Download cancelled.", *, detail: str = "") -> None:
        super().__init__(message, detail=detail)


class LanguageModelError(CoachError):
    """A language-model file that is missing or not a usable GGUF, or llama-cpp-python absent."""
