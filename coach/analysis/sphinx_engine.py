"""pocketsphinx engine: always available (its English model ships in the wheel), but rough.

On real speech it measured about 0.5 WER (platform.md §8.1) and it decodes um/uh unreliably
(§8.2), so every transcript it makes is marked low_accuracy with a note saying why.
Audio is split into speech regions by pocketsphinx's own Segmenter and each region decoded as
one utterance: this measured no worse than one long utterance, keeps long answers tractable,
and gives nothing at all for silence.
"""

from __future__ import annotations

import io
import re
import threading
from typing import Any

import numpy as np

from coach.analysis.transcribe import (
    ENERGY_GATE_RMS,
    SAMPLE_RATE,
    Transcript,
    Word,
    as_mono_float32,
    gate_note,
    loudest_frame_rms,
    no_speech,
)
from coach.errors import ModelMissingError

NOTE = (
    "Transcribed by the basic offline recogniser (pocketsphinx): expect many wrong words, "
    "and um/uh are often missed or misheard, so filler counts are unreliable. "
    "Install a Whisper model for accurate transcripts."
)
_FRAME_S = 0.01  # pocketsphinx frames are 10 ms
_ALTERNATE = re.compile(r"\(\d+\)$")  # "read(2)" -> "read"


def _is_word(token: str) -> bool:
    """Skip <s>, </s>, <sil>, [NOISE], [SPEECH]: markers, not words."""
    return bool(token) and not token.startswith(("<", "["))


def _to_pcm16(samples: np.ndarray) -> bytes:
    return (np.clip(samples, -1.0, 1.0) * 32767.0).astype("<i2").tobytes()


class SphinxTranscriber:
    """pocketsphinx with its bundled US English model; one decoder, serialised by a lock."""

    name = "pocketsphinx"

    def __init__(self, *, min_rms: float = ENERGY_GATE_RMS) -> None:
        self.min_rms = min_rms
        self._decoder: Any = None
        self._initial_cmn = ""
        self._lock = threading.Lock()

    def _ensure_decoder(self) -> Any:
        if self._decoder is None:
            try:
                from pocketsphinx import Decoder
            except ImportError as exc:
                raise ModelMissingError(
                    "pocketsphinx is not installed.", detail="pip install pocketsphinx"
                ) from exc
            self._decoder = Decoder(samprate=SAMPLE_RATE, loglevel="FATAL")
            self._initial_cmn = self._decoder.get_cmn()
        return self._decoder

    def load(self) -> None:
        """Create the decoder now instead of on first transcribe."""
        with self._lock:
            self._ensure_decoder()

    def _decode(self, pcm: bytes, offset_s: float) -> list[Word]:
        decoder = self._ensure_decoder()
        decoder.start_utt()
        decoder.process_raw(pcm, full_utt=True)
        decoder.end_utt()
        words = []
        for seg in decoder.seg():
            token = _ALTERNATE.sub("", seg.word)
            if _is_word(token):
                start = offset_s + seg.start_frame * _FRAME_S
                end = offset_s + (seg.end_frame + 1) * _FRAME_S
                words.append(Word(token, round(start, 3), round(end, 3), None))
        return words

    def transcribe(self, samples16k: np.ndarray) -> Transcript:
        samples = as_mono_float32(samples16k)
        level = loudest_frame_rms(samples)
        if level < self.min_rms or samples.size == 0:
            return no_speech(self.name, True, gate_note(level))
        pcm = _to_pcm16(samples)
        words: list[Word] = []
        with self._lock:
            decoder = self._ensure_decoder()  # a missing library -> ModelMissingError first
            # Feature extraction adapts its cepstral mean across utterances; reset it so an
            # answer's transcript never depends on the answer decoded before it.
            decoder.reinit_feat()
            decoder.set_cmn(self._initial_cmn)
            from pocketsphinx import Segmenter

            for region in Segmenter(sample_rate=SAMPLE_RATE).segment(io.BytesIO(pcm)):
                words.extend(self._decode(region.pcm, float(region.start_time)))
        if not words:
            return no_speech(self.name, True, "No speech detected.")
        return Transcript(
            words=tuple(words),
            text=" ".join(w.text for w in words),
            engine=self.name,
            low_accuracy=True,
            note=NOTE,
        )
